"""Rate limits (Flask-Limiter): per user when authenticated, else per client IP."""

from __future__ import annotations

from flask import Flask, Response
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from mosaic.platform.errors import problem


def client_key() -> str:
    """`user:<name>` for a valid token, else `ip:<address>` (ProxyFix sets it behind nginx)."""
    try:
        verify_jwt_in_request(optional=True)
        identity = get_jwt_identity()
    except Exception:  # an invalid token is the view's business (401); limit by address here
        identity = None
    return f"user:{identity}" if identity else f"ip:{get_remote_address()}"


def _limited(error: RateLimitExceeded) -> Response:
    return problem(429, f"Too many requests: the limit here is {error.description}. Retry later.")


limiter = Limiter(key_func=client_key)


def init_limits(app: Flask) -> None:
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis away: serve, do not fail
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5})
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _limited)
