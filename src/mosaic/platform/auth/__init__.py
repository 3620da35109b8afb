"""Users, roles and JWT tokens: wired like a bounded context."""

from __future__ import annotations

from flask import Flask

from mosaic.platform.wiring import Platform, provide

OPENAPI_TAGS = [{"name": "auth", "description": "Tokens, and users with roles."}]


def init_app(app: Flask, platform: Platform) -> None:
    """Wire the user and token services, the JWT callbacks and the blueprint."""
    from mosaic.platform.auth.api import blueprint
    from mosaic.platform.auth.repository import AuthUnitOfWork
    from mosaic.platform.auth.services import AuthService, Passwords, UserService
    from mosaic.platform.auth.tokens import JwtIssuer, init_jwt

    database = platform.database
    passwords = Passwords()

    def uow() -> AuthUnitOfWork:
        return AuthUnitOfWork(database.sessions)  # read at call time: tests pin the sessions

    issuer = JwtIssuer(app.config["JWT_ACCESS_TOKEN_MINUTES"])
    provide(app, AuthService(uow, passwords, issuer), UserService(uow, passwords))
    init_jwt(app)
    app.register_blueprint(blueprint)
