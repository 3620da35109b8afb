"""Helpers for the OWASP API Security Top 10 tests: a stored number to attack, forged tokens."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import jwt as pyjwt
from flask.testing import FlaskClient
from tests.conftest import TEST_SECRET

NUMBER = {
    "value": "+5584900001111",
    "monthlyPrice": {"amount": "0.03", "currency": "USD"},
    "setupPrice": {"amount": "3.40", "currency": "USD"},
}
Headers = Callable[..., dict[str, str]]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def stored_number(client: FlaskClient, auth_headers: Headers, **changes: Any) -> tuple[str, str]:
    """POST a v2 number as an editor: its URL and ETag."""
    created = client.post(
        "/api/v2/numbers", json={**NUMBER, **changes}, headers=auth_headers("editor")
    )
    assert created.status_code == 201, created.get_json()
    return str(created.headers["Location"]), str(created.headers["ETag"])


def signed(claims: dict[str, Any], *, key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    """A token over the usual access claims, `claims` merged in (None removes one)."""
    payload: dict[str, Any] = {
        "sub": "mallory",
        "role": "admin",
        "type": "access",
        "jti": "forged-1",
        "fresh": False,
        "iat": int(time.time()),
        "exp": int(time.time()) + 600,
        **claims,
    }
    with warnings.catch_warnings():  # HS512 over the test's 45-byte key: forged on purpose
        warnings.simplefilter("ignore")
        return pyjwt.encode({k: v for k, v in payload.items() if v is not None}, key, algorithm)
