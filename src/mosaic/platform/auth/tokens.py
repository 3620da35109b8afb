"""JWT with flask-jwt-extended: HS256 pinned, `exp` required, logout blocklist, role guards."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, current_app
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt,
    verify_jwt_in_request,
)

from mosaic.config import MIN_SECRET_BYTES
from mosaic.platform.auth.domain import Role, User
from mosaic.platform.auth.services import AuthService, TokenPair
from mosaic.platform.errors import Forbidden, problem
from mosaic.platform.wiring import service

P = ParamSpec("P")
R = TypeVar("R")
ALGORITHM = "HS256"
log = logging.getLogger("mosaic.auth")


class JwtIssuer:
    """Issues tokens whose subject is the username and whose `role` claim drives the guards."""

    def __init__(self, access_minutes: int) -> None:
        self.expires_in = access_minutes * 60

    def issue(self, user: User, *, with_refresh: bool = True) -> TokenPair:
        claims = {"role": user.role.value}
        access = create_access_token(identity=user.username, additional_claims=claims)
        refresh = create_refresh_token(identity=user.username) if with_refresh else ""
        return TokenPair(access_token=access, refresh_token=refresh, expires_in=self.expires_in)


def _secret_key(config: dict[str, Any]) -> str:
    secret = config.get("JWT_SECRET_KEY")
    if secret and len(str(secret).encode()) >= MIN_SECRET_BYTES:
        return str(secret)
    if config["ENV"] == "production":
        raise RuntimeError(
            f"JWT_SECRET_KEY must be set to at least {MIN_SECRET_BYTES} bytes in production."
        )
    log.warning("JWT_SECRET_KEY is missing or short: using a random key for this process only")
    return secrets.token_urlsafe(48)


def _unauthorized(detail: str) -> Response:
    return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="mosaic"'})


def _is_revoked(_header: dict[str, Any], data: dict[str, Any]) -> bool:
    return service(AuthService).is_revoked(str(data["jti"]))


def _has_expiry(_header: dict[str, Any], data: dict[str, Any]) -> bool:
    return "exp" in data


def init_jwt(app: Flask) -> JWTManager:
    """One JWTManager per app; its callbacks find the app's services through current_app."""
    app.config.update(
        JWT_SECRET_KEY=_secret_key(app.config),
        JWT_ALGORITHM=ALGORITHM,
        JWT_DECODE_ALGORITHMS=[ALGORITHM],  # never "none", never an algorithm the token picks
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=app.config["JWT_ACCESS_TOKEN_MINUTES"]),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=app.config["JWT_REFRESH_TOKEN_DAYS"]),
    )
    jwt = JWTManager(app)
    jwt.token_verification_loader(_has_expiry)
    jwt.token_in_blocklist_loader(_is_revoked)
    jwt.unauthorized_loader(lambda reason: _unauthorized(f"Authentication required: {reason}."))
    jwt.invalid_token_loader(lambda reason: _unauthorized(f"The token is invalid: {reason}."))
    jwt.expired_token_loader(lambda _h, _d: _unauthorized("The token has expired."))
    jwt.revoked_token_loader(lambda _h, _d: _unauthorized("The token has been revoked."))
    jwt.token_verification_failed_loader(
        lambda _h, _d: _unauthorized("The token has no expiry; log in again.")
    )
    jwt.user_lookup_error_loader(lambda _h, _d: _unauthorized("The token's user is unknown."))
    return jwt


def token_expiry(claims: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(claims["exp"]), UTC)


def current_role() -> Role | None:
    claims = get_jwt()
    return Role(claims["role"]) if claims.get("role") in set(Role) else None


def require_role(role: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Guard a view: a valid access token whose role allows `role` (401, then 403)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            verify_jwt_in_request()
            held = current_role()
            if held is None or not held.allows(role):
                raise Forbidden(f"This operation needs the role '{role.value}' or higher.")
            return view(*args, **kwargs)

        return guarded

    return decorator


def read_access(view: Callable[P, R]) -> Callable[P, R]:
    """Reads are public unless AUTH_REQUIRED_FOR_READS; a token sent anyway must be valid."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        verify_jwt_in_request(optional=not current_app.config["AUTH_REQUIRED_FOR_READS"])
        return view(*args, **kwargs)

    return guarded
