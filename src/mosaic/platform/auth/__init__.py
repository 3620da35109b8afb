"""Users, roles and JWT tokens: wired like a bounded context."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform, provide

OPENAPI_TAGS = [{"name": "auth", "description": "Tokens, and users with roles."}]


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the user and session services, the JWT callbacks and the blueprint."""
    from mosaic.platform.auth.api import blueprint
    from mosaic.platform.auth.repository import AuthUnitOfWork
    from mosaic.platform.auth.services import AuthService, Passwords, SessionStates, UserService
    from mosaic.platform.auth.tokens import JwtIssuer, init_jwt
    from mosaic.platform.cache import Uncached

    def uow() -> AuthUnitOfWork:
        # platform.database.sessions is read at call time: tests pin the sessions
        return AuthUnitOfWork(platform.database.sessions)

    passwords = Passwords()
    # Only a shared cache can be invalidated in every worker: without Redis (or while it is
    # down), read the database.
    sessions = SessionStates(
        uow, platform.cache.shared_only() if app.config["REDIS_URL"] else Uncached()
    )
    issuer = JwtIssuer(
        access_minutes=app.config["JWT_ACCESS_TOKEN_MINUTES"],
        refresh_days=app.config["JWT_REFRESH_TOKEN_DAYS"],
    )
    provide(
        app, AuthService(uow, passwords, issuer, sessions), UserService(uow, passwords, sessions)
    )
    init_jwt(app)
    app.register_blueprint(blueprint)
