"""Helpers for the numbers tests: the mock body, Link parsing, the inventory count."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

MOCK = {"value": "+55 84 91234-4321", "monthyPrice": "0.03", "setupPrice": "3.40", "currency": "U$"}
LINK = re.compile(r'<([^>]+)>;\s*rel="([a-z]+)"')


def links(header: str | None) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(header or "")}


def v1_body(value: str, **changes: str) -> dict[str, Any]:
    return {**MOCK, "value": value, **changes}


def count(client: FlaskClient) -> int:
    return int(client.get("/api/v1/numbers?per_page=1").headers["X-Total-Count"])
