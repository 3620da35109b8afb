"""Use cases of users and sessions."""

from mosaic.platform.auth.services.passwords import Passwords
from mosaic.platform.auth.services.sessions import (
    AuthService,
    SessionStates,
    StateCache,
    TokenIssuer,
    TokenPair,
)
from mosaic.platform.auth.services.users import LastAdmin, UserNotFound, UserService

__all__ = [
    "AuthService",
    "LastAdmin",
    "Passwords",
    "SessionStates",
    "StateCache",
    "TokenIssuer",
    "TokenPair",
    "UserNotFound",
    "UserService",
]
