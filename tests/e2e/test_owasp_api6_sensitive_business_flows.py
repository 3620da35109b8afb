"""OWASP API6:2023 Unrestricted Access to Sensitive Business Flows.

Mosaic's flows worth automating against it are bulk creation of inventory and password
guessing. A batch holds 1 to 1,000 numbers and is all or nothing: one over the cap, or one bad
item, and nothing is stored, so a script cannot claim a range of numbers piecemeal through a
partly accepted batch. Password guessing is limited per client and per username (held by
tests/e2e/test_platform_auth.py: test_repeated_failed_logins_get_429 and, with issue 9,
tests/e2e/test_login_limits.py); every other flow shares the per-user rate limit
(tests/e2e/test_platform_ops.py: test_rate_limit_is_per_user_when_authenticated).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from mosaic.numbers.api import BATCH_LIMIT
from tests.e2e.test_platform_errors import assert_problem
from tests.support.numbers import count, v1_body
from tests.support.owasp import NUMBER, Headers

pytestmark = pytest.mark.e2e


def numbers(how_many: int, version: str = "v1") -> list[dict[str, Any]]:
    """`how_many` distinct mobile numbers of Natal, in the version's body."""
    if version == "v1":
        return [v1_body(f"+55 84 9{n // 10_000:04d}-{n % 10_000:04d}") for n in range(how_many)]
    return [{**NUMBER, "value": f"+55849{n:08d}"} for n in range(how_many)]


@pytest.mark.parametrize("size", [0, BATCH_LIMIT + 1])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_api6_a_batch_outside_1_to_1000_is_refused_whole(
    client: FlaskClient, auth_headers: Headers, size: int, version: str
) -> None:
    before = count(client)
    batch = numbers(size, version)
    response = client.post(
        f"/api/{version}/numbers/batch", json=batch, headers=auth_headers("editor")
    )
    body = assert_problem(response, 422)
    assert str(BATCH_LIMIT) in body["detail"]
    assert count(client) == before


def test_api6_one_bad_item_at_the_end_of_a_full_batch_stores_nothing(
    client: FlaskClient, auth_headers: Headers
) -> None:
    before = count(client)
    batch = [*numbers(BATCH_LIMIT - 1), v1_body("+55 84 9", monthyPrice="-1")]
    response = client.post("/api/v1/numbers/batch", json=batch, headers=auth_headers("editor"))
    assert f"#/{BATCH_LIMIT - 1}/" in assert_problem(response, 422)["errors"][0]["pointer"]
    assert count(client) == before
