"""JWT with flask-jwt-extended: HS256 pinned, `exp` required, logout blocklist, role guards."""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Flask, Response, current_app, g
from flask_jwt_extended import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    get_jwt,
    verify_jwt_in_request,
)
from flask_jwt_extended.exceptions import UserClaimsVerificationError

from mosaic.config import MIN_SECRET_BYTES, check_environment, secret_weakness
from mosaic.platform.auth.domain import USERNAME_PATTERN, Role, User
from mosaic.platform.auth.services import AuthService, TokenPair
from mosaic.platform.errors import Forbidden, problem
from mosaic.platform.wiring import service

P = ParamSpec("P")
R = TypeVar("R")
ALGORITHM = "HS256"
TOKEN_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LATEST_EXPIRY = int(datetime(9999, 1, 1, tzinfo=UTC).timestamp())
VERIFIED_IN_REQUEST = "mosaic_verified"  # on flask.g: this request's access token was verified
log = logging.getLogger("mosaic.auth")


class JwtIssuer:
    """Tokens whose subject is the username, whose `role` claim drives the guards, and whose
    `gen` (the user's token generation) and `sid` (the session) are checked on every request."""

    def __init__(self, *, access_minutes: int, refresh_days: int) -> None:
        self.expires_in = access_minutes * 60
        self.session_lifetime = timedelta(days=refresh_days)

    def issue(self, user: User, *, session_id: str | None = None) -> TokenPair:
        session = {"gen": user.token_generation, "sid": session_id or uuid.uuid4().hex}
        access = create_access_token(
            identity=user.username, additional_claims={"role": user.role.value, **session}
        )
        refresh = (
            "" if session_id else create_refresh_token(user.username, additional_claims=session)
        )
        return TokenPair(access_token=access, refresh_token=refresh, expires_in=self.expires_in)


def _secret_key(config: dict[str, Any]) -> str:
    """The signing key: strong in production; a random one only for a single development or
    test process (several workers with a key each would refuse each other's tokens)."""
    secret = str(config.get("JWT_SECRET_KEY") or "")
    if check_environment(config["ENV"]) == "production":
        weakness = secret_weakness(secret)
        if weakness:
            raise RuntimeError(f"JWT_SECRET_KEY is unfit for production: {weakness}.")
        return secret
    if len(secret.encode()) >= MIN_SECRET_BYTES:
        return secret
    if int(config.get("WORKERS") or 1) > 1:
        raise RuntimeError(
            f"JWT_SECRET_KEY is missing or short and {config['WORKERS']} workers run "
            "(WEB_CONCURRENCY): each would sign with its own random key. Set JWT_SECRET_KEY."
        )
    log.warning("JWT_SECRET_KEY is missing or short: using a random key for this process only")
    return secrets.token_urlsafe(48)


def _unauthorized(detail: str) -> Response:
    return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="mosaic"'})


def _well_formed(data: dict[str, Any]) -> bool:
    """Claims our issuer could have written: a signed token with odd ones is a 401, not a 500."""
    exp, generation, subject = data.get("exp"), data.get("gen"), data.get("sub")
    return (
        all(_is_id(data.get(claim)) for claim in ("jti", "sid"))
        and _is_int(exp, 0, LATEST_EXPIRY)
        and _is_int(generation, 1, 2**31 - 1)
        and isinstance(subject, str)
        and USERNAME_PATTERN.match(subject) is not None
    )


def _is_id(value: object) -> bool:
    return isinstance(value, str) and TOKEN_ID_PATTERN.match(value) is not None


def _is_int(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _session_is_over(header: dict[str, Any], data: dict[str, Any]) -> bool:
    """Runs first after the signature check: malformed claims stop here (401); then the
    user's cached session state says whether the token's generation and session still hold."""
    if not _well_formed(data):
        raise UserClaimsVerificationError("malformed claims", header, data)
    checked: dict[tuple[str, int, str], bool] = g.setdefault("sessions_checked", {})
    key = (data["sub"], data["gen"], data["sid"])
    if key not in checked:  # the rate limiter and the view both verify the token: check once
        auth = service(AuthService)
        checked[key] = auth.admits(key[0], generation=key[1], session_id=key[2])
    return not checked[key]


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
    jwt.token_in_blocklist_loader(_session_is_over)
    jwt.unauthorized_loader(lambda reason: _unauthorized(f"Authentication required: {reason}."))
    jwt.invalid_token_loader(lambda reason: _unauthorized(f"The token is invalid: {reason}."))
    jwt.expired_token_loader(lambda _h, _d: _unauthorized("The token has expired."))
    jwt.revoked_token_loader(
        lambda _h, _d: _unauthorized(
            "The token has been revoked (logout, or the account changed); log in again."
        )
    )
    jwt.token_verification_failed_loader(
        lambda _h, _d: _unauthorized("The token's claims are malformed; log in again.")
    )
    jwt.user_lookup_error_loader(lambda _h, _d: _unauthorized("The token's user is unknown."))
    return jwt


def verify_access_token(*, optional: bool = False) -> None:
    """flask-jwt-extended's verify_jwt_in_request for an access token, at most once per request
    that carries a valid one: the rate limiter's key and the view's guard both need it, and it
    is decoded (signature, claims, session) once. A missing or invalid token is never
    remembered, so a guard that requires one still refuses."""
    if g.get(VERIFIED_IN_REQUEST):
        return
    verify_jwt_in_request(optional=optional)
    if get_jwt():  # a valid access token (with optional=True and none sent, the claims are {})
        setattr(g, VERIFIED_IN_REQUEST, True)


def current_role() -> Role | None:
    claims = get_jwt()
    return Role(claims["role"]) if claims.get("role") in set(Role) else None


def require_role(role: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Guard a view: a valid access token whose role allows `role` (401, then 403)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            verify_access_token()
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
        verify_access_token(optional=not current_app.config["AUTH_REQUIRED_FOR_READS"])
        return view(*args, **kwargs)

    return guarded
