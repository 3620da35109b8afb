"""Security headers on every response.

- Content-Security-Policy: nothing may load from an API answer; an HTML page (Swagger UI at
  /docs) may load its own scripts, styles and images and run only the inline scripts it holds
  (each allowed by its SHA-256). Set with setdefault: a blueprint or view that sends its own
  policy (a web UI) keeps it.
- A response to a request that carried credentials (an Authorization header, any method, any
  status) is `Cache-Control: private, no-store` with `Vary: Authorization` (OWASP API8:2023):
  no cache, shared or the browser's, keeps what a token was shown. It replaces whatever the view
  chose. The ETag stays, so a client that keeps responses itself can still revalidate (304).
  Anonymous reads keep `no-cache` + ETag (platform/cache.py) or the view's own policy.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

LOCKED_DOWN = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
API_POLICY = f"default-src 'none'; {LOCKED_DOWN}"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
CREDENTIALED = "private, no-store"


def page_policy(html: bytes) -> str:
    """The policy of an HTML page of ours: its own origin, plus its inline scripts by hash."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; connect-src 'self'; font-src 'self'; {LOCKED_DOWN}"
    )


def _content_security_policy(response: Response) -> str:
    readable = not (response.direct_passthrough or response.is_streamed)
    if response.mimetype == "text/html" and readable:
        return page_policy(response.get_data())
    return API_POLICY


def _security_headers(response: Response) -> Response:
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = _content_security_policy(response)
    if "Authorization" in request.headers:
        response.vary.add("Authorization")
        response.headers["Cache-Control"] = CREDENTIALED
    return response


def init_headers(app: Flask) -> None:
    app.after_request(_security_headers)
