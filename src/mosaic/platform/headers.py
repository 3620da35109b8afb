"""Security headers on every response.

- Content-Security-Policy: nothing may load from an API answer; an HTML page (Swagger UI at
  /docs) may load its own scripts, styles and images and run only the inline scripts it holds
  (each allowed by its SHA-256). Set with setdefault: a blueprint or view that sends its own
  policy (a web UI) keeps it.
- Authenticated reads (GET/HEAD with Authorization) are `private` and `Vary: Authorization`, so
  no shared cache serves one user's answer to another.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

LOCKED_DOWN = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
API_POLICY = f"default-src 'none'; {LOCKED_DOWN}"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
READS = {"GET", "HEAD"}


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
    if request.method in READS and "Authorization" in request.headers:
        response.vary.add("Authorization")
        if "Cache-Control" not in response.headers:
            response.cache_control.no_cache = True
        response.cache_control.public = False
        response.cache_control.private = True
    return response


def init_headers(app: Flask) -> None:
    app.after_request(_security_headers)
