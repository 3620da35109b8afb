"""POST /api/v1/auth/token|refresh|logout and PUT /api/v1/users/{username} (admin)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from flask_jwt_extended import get_jwt, get_jwt_identity, verify_jwt_in_request

from mosaic.platform.auth.domain import Role
from mosaic.platform.auth.schemas import Credentials, TokenRead, UserRead, UserWrite
from mosaic.platform.auth.services import AuthService, UserService
from mosaic.platform.auth.tokens import require_role, token_expiry
from mosaic.platform.parsing import use_args
from mosaic.platform.wiring import service

blueprint = Blueprint("auth", __name__, url_prefix="/api/v1")


@blueprint.post("/auth/token")
@use_args(Credentials(), location="json")
def issue_token(credentials: dict[str, Any]) -> ResponseReturnValue:
    """Log in.
    ---
    post:
      tags: [auth]
      summary: Exchange a username and password for access and refresh tokens
      description: Repeated failed logins from one client get 429 (LOGIN_RATE_LIMIT).
      requestBody:
        required: true
        content:
          application/json:
            schema: Credentials
            example: {"username": "editor", "password": "correct horse battery"}
      responses:
        200:
          description: Tokens
          content:
            application/json:
              schema: TokenRead
              example: {"access_token": "eyJhbGciOiJIUzI1NiIs...", "refresh_token":
                        "eyJhbGciOiJIUzI1NiIs...", "token_type": "Bearer", "expires_in": 900}
        401: {$ref: "#/components/responses/Unauthorized"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
        429: {$ref: "#/components/responses/TooManyRequests"}
    """
    tokens = service(AuthService).login(credentials["username"], credentials["password"])
    return jsonify(TokenRead().dump(tokens))


@blueprint.post("/auth/refresh")
def refresh_token() -> ResponseReturnValue:
    """Refresh.
    ---
    post:
      tags: [auth]
      summary: A new access token from a refresh token (sent as the Bearer token)
      security: [{bearerAuth: []}]
      responses:
        200:
          description: A new access token
          content:
            application/json:
              schema: TokenRead
              example: {"access_token": "eyJhbGciOiJIUzI1NiIs...", "refresh_token": "",
                        "token_type": "Bearer", "expires_in": 900}
        401: {$ref: "#/components/responses/Unauthorized"}
    """
    verify_jwt_in_request(refresh=True)
    tokens = service(AuthService).refresh(str(get_jwt_identity()))
    return jsonify(TokenRead().dump(tokens))


@blueprint.post("/auth/logout")
def logout() -> ResponseReturnValue:
    """Log out.
    ---
    post:
      tags: [auth]
      summary: Revoke the token sent (access or refresh); later use of it gets 401
      security: [{bearerAuth: []}]
      responses:
        204: {description: Revoked}
        401:
          description: Missing, invalid, expired or already revoked token
          content:
            application/problem+json:
              schema: Problem
              example: {"type": "about:blank", "title": "Unauthorized", "status": 401,
                        "detail": "The token has been revoked.", "instance": "/api/v1/auth/logout",
                        "request_id": "6f1c2a9e-4f0b-4a7e-9f57-2f4c1f0f6a7d"}
    """
    verify_jwt_in_request(verify_type=False)
    claims = get_jwt()
    service(AuthService).revoke(str(claims["jti"]), expires_at=token_expiry(claims))
    return "", 204


@blueprint.put("/users/<string:username>")
@require_role(Role.ADMIN)
@use_args(UserWrite(), location="json")
def put_user(body: dict[str, Any], username: str) -> ResponseReturnValue:
    """Create or update a user (admin).
    ---
    put:
      tags: [auth]
      summary: Create a user, or give an existing one a new role and password
      security: [{bearerAuth: []}]
      parameters:
        - {in: path, name: username, required: true, schema: {type: string}, example: ana}
      requestBody:
        required: true
        content:
          application/json:
            schema: UserWrite
            example: {"role": "editor", "password": "correct horse battery"}
      responses:
        200:
          description: Updated
          content:
            application/json: {schema: UserRead, example: {"username": "ana", "role": "editor"}}
        201:
          description: Created
          content:
            application/json: {schema: UserRead, example: {"username": "ana", "role": "editor"}}
        401: {$ref: "#/components/responses/Unauthorized"}
        403: {$ref: "#/components/responses/Forbidden"}
        422: {$ref: "#/components/responses/UnprocessableEntity"}
    """
    user, created = service(UserService).create_or_update(
        username, role=body["role"], password=body["password"]
    )
    return jsonify(UserRead().dump(user)), 201 if created else 200
