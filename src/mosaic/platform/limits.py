"""Rate limits (Flask-Limiter): per user when authenticated, else per client IP."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from mosaic.platform.errors import problem

V = TypeVar("V", bound=Callable[..., Any])
OWN_LIMIT = "mosaic_own_limit"


def limited_by(setting: str) -> Callable[[V], V]:
    """Give a view its own limit, read from the setting named (instead of the default one):
    e.g. map tiles, dozens of which one map view loads at once."""

    def mark(view: V) -> V:
        setattr(view, OWN_LIMIT, setting)
        return view

    return mark


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


def _setting(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def init_limits(app: Flask, *, exempt: Iterable[Blueprint], login_endpoint: str) -> Limiter:
    """One Limiter per app (Flask-Limiter keeps per-app state on the instance).

    `exempt` blueprints (health, version) are never limited; `login_endpoint` counts failed
    logins only, so a client guessing passwords gets 429.
    """
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis away: serve, do not fail
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5})
    limiter = Limiter(key_func=client_key, app=app)
    for blueprint in exempt:
        limiter.exempt(blueprint)
    for endpoint, view in list(app.view_functions.items()):
        if setting := getattr(view, OWN_LIMIT, None):
            app.view_functions[endpoint] = limiter.limit(_setting(setting))(view)  # type: ignore[assignment]
    login_view = app.view_functions[login_endpoint]
    limited = limiter.limit(_login_limit, deduct_when=_failed_login)(login_view)
    app.view_functions[login_endpoint] = limited  # type: ignore[assignment]
    app.register_error_handler(RateLimitExceeded, _limited)
    app.extensions["mosaic.limiter"] = limiter  # limits hold only a weak reference to it
    return limiter
