"""Rate limits (Flask-Limiter): per user when authenticated, else per client address; failed
logins per address and, with a longer window, per target username."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, request
from flask_jwt_extended import get_jwt_identity
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from mosaic.platform.auth.tokens import verify_access_token
from mosaic.platform.errors import MosaicError, problem
from mosaic.platform.parsing import load_json_body

log = logging.getLogger("mosaic.limits")
V = TypeVar("V", bound=Callable[..., Any])
OWN_LIMIT = "mosaic_own_limit"
PER_WORKER = "per worker: with N workers a client gets up to N times each limit"


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
        verify_access_token(optional=True)
        identity = get_jwt_identity()
    except Exception:  # an invalid token is the view's business (401); limit by address here
        identity = None
    return f"user:{identity}" if identity else address_key()


def address_key() -> str:
    """The client's address alone: what the login limit counts (a token sent there is ignored)."""
    return f"ip:{get_remote_address()}"


def target_username_key() -> str:
    """The username a login names (hashed: no raw input in storage keys), whatever the address."""
    try:
        body = load_json_body(request.get_data(cache=True))
    except MosaicError:  # the view answers 400/422 for it; those never count as failed logins
        body = None
    name = body.get("username") if isinstance(body, dict) else None
    if not isinstance(name, str):
        return "login-user:-"
    return "login-user:" + hashlib.sha256(name.strip().lower().encode()).hexdigest()[:32]


def _limited(error: RateLimitExceeded) -> Response:
    """429 with Retry-After and X-RateLimit-* (only here: ordinary responses carry neither)."""
    limiter: Limiter = current_app.extensions["mosaic.limiter"]
    current = limiter.current_limit
    reset_at = current.reset_at if current else time.time() + 60
    headers = {
        "Retry-After": str(max(1, math.ceil(reset_at - time.time()))),
        "X-RateLimit-Limit": str(error.limit.limit.amount),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(reset_at)),
    }
    what = "failed logins for this username" if _per_username(error) else "requests"
    detail = f"Too many {what}: the limit here is {error.description}. Retry later."
    return problem(429, detail, headers=headers)


def _per_username(error: RateLimitExceeded) -> bool:
    return error.limit.key_func is target_username_key


def _setting(name: str) -> Callable[[], str]:
    return lambda: str(current_app.config[name])


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _login_user_limit() -> str:
    return str(current_app.config["LOGIN_USER_RATE_LIMIT"])


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def counters_scope(app: Flask, *, redis_up: bool) -> dict[str, str]:
    """Where the limits are counted, for /health: one shared count, or one per worker."""
    if not app.config.get("RATELIMIT_ENABLED", True):
        return {"storage": "off", "scope": "no limits"}
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory"):
        return {"storage": "memory", "scope": PER_WORKER}
    if not redis_up:
        return {"storage": "memory (Redis is down)", "scope": PER_WORKER}
    return {"storage": "redis", "scope": "shared by all workers"}


UNLIMITED = "_mosaic_unlimited"


def unlimited(view: V) -> V:
    """Mark a view that no per-client limit applies to (e.g. a webhook called by one sender
    from few addresses, whose retries must not be throttled into data loss)."""
    setattr(view, UNLIMITED, True)
    return view


def init_limits(app: Flask, *, exempt: Iterable[Blueprint], login_endpoint: str) -> Limiter:
    """One Limiter per app (Flask-Limiter keeps per-app state on the instance).

    `exempt` blueprints (health, version) are never limited; `login_endpoint` is limited only
    by its failed logins (401s), counted per client address and per target username, never by
    the token a caller might send.
    """
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)  # set on 429s only (_limited)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis away: serve, do not fail
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5})
    limiter = Limiter(key_func=client_key, app=app)
    for blueprint in exempt:
        limiter.exempt(blueprint)
    for found in list(app.view_functions.values()):
        if getattr(found, UNLIMITED, False):
            limiter.exempt(found)
    for endpoint, own in list(app.view_functions.items()):
        if setting := getattr(own, OWN_LIMIT, None):
            app.view_functions[endpoint] = limiter.limit(_setting(setting))(own)  # type: ignore[assignment]
    view: Any = app.view_functions[login_endpoint]
    # Limits declared on a view replace the defaults there (override_defaults): on the login
    # route only these count, keyed by address and username, never by client_key's token.
    view = limiter.limit(_login_limit, key_func=address_key, deduct_when=_failed_login)(view)
    view = limiter.limit(
        _login_user_limit, key_func=target_username_key, deduct_when=_failed_login
    )(view)
    app.view_functions[login_endpoint] = view
    app.register_error_handler(RateLimitExceeded, _limited)
    app.extensions["mosaic.limiter"] = limiter  # limits hold only a weak reference to it
    if counters_scope(app, redis_up=True)["storage"] == "memory":
        log.warning(
            "rate limits are counted in memory, %s (set REDIS_URL to share them)", PER_WORKER
        )
    return limiter
