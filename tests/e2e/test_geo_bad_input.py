"""Every bad input is a 400 problem naming the parameter and the allowed values."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, func, select

from mosaic.geo.models import PaystatModel, PostalCodeModel

pytestmark = pytest.mark.usefixtures("geo_seeded")
API = "/api/v1"

BAD_QUERIES = [
    ("bbox=-3.7,40.4,-3.6", "bbox", "minLon,minLat,maxLon,maxLat"),
    ("bbox=-3.7,40.4,-3.6,40.5,1", "bbox", "minLon,minLat,maxLon,maxLat"),
    ("bbox=west,40.4,-3.6,40.5", "bbox", "numbers"),
    ("bbox=NaN,40.4,-3.6,40.5", "bbox", "minLon,minLat,maxLon,maxLat"),
    ("bbox=-3.6,40.4,-3.7,40.5", "bbox", "min <= max"),
    ("bbox=-3.7,40.4,-3.6,95", "bbox", "±90"),
    ("from=2015-06&to=2015-02", "from", "from <= to"),
    ("from=2015-13", "from", "YYYY-MM"),
    ("to=June", "to", "YYYY-MM"),
    ("age=18-24", "age", "25-34"),
    ("gender=X", "gender", "F, M"),
    ("simplify=-0.1", "simplify", ">= 0"),
    ("precision=16", "precision", "0 to 15"),
    ("precision=-1", "precision", "0 to 15"),
]


@pytest.mark.parametrize(("query", "parameter", "allowed"), BAD_QUERIES)
def test_bad_choropleth_query_is_a_400(
    client: FlaskClient, query: str, parameter: str, allowed: str
) -> None:
    response = client.get(f"{API}/postal-codes?{query}")

    _assert_problem(response, parameter, allowed)


@pytest.mark.parametrize(
    ("query", "parameter", "allowed"),
    [
        ("group_by=month,colour", "group_by", "month, gender, age, postal_code"),
        ("postal_code=28001,2800A", "postal_code", "five digits"),
        ("bbox=1,2,3", "bbox", "minLon,minLat,maxLon,maxLat"),
        ("age=99", "age", ">=65"),
    ],
)
def test_bad_turnover_query_is_a_400(
    client: FlaskClient, query: str, parameter: str, allowed: str
) -> None:
    _assert_problem(client.get(f"{API}/turnover?{query}"), parameter, allowed)


@pytest.mark.parametrize(
    ("path", "parameter", "allowed"),
    [
        ("/tiles/postal-codes/23/0/0.mvt", "z", "0 to 22"),
        ("/tiles/postal-codes/-1/0/0.mvt", "z", "0 to 22"),
        ("/tiles/postal-codes/2/4/0.mvt", "x", "0 to 3"),
        ("/tiles/postal-codes/2/0/-1.mvt", "y", "0 to 3"),
        ("/tiles/postal-codes/zoom/0/0.mvt", "z", "integer"),
        ("/postal-codes/28O01", "code", "five digits"),
        ("/postal-codes/280011", "code", "five digits"),
    ],
)
def test_bad_path_is_a_400(client: FlaskClient, path: str, parameter: str, allowed: str) -> None:
    _assert_problem(client.get(f"{API}{path}"), parameter, allowed)


def _assert_problem(response: object, parameter: str, allowed: str) -> None:
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.mimetype == "application/problem+json"  # type: ignore[attr-defined]
    errors = response.get_json(force=True)["errors"]  # type: ignore[attr-defined]
    assert [e["parameter"] for e in errors] == [parameter]
    assert allowed in errors[0]["detail"]


INJECTIONS = [
    "/postal-codes?age=25-34');DELETE FROM paystat;--",
    "/postal-codes?gender=F' OR '1'='1",
    "/turnover?postal_code=28001'%3B DROP TABLE postal_code%3B--",
    "/turnover?group_by=month%3BDELETE FROM paystat",
    "/turnover?from=2015-01'--",
    "/postal-codes?bbox=1,2,3,4);DELETE FROM paystat;--",
    "/postal-codes/28001';DELETE FROM paystat;--",
    "/tiles/postal-codes/1;DELETE FROM paystat/0/0.mvt",
]


def test_injection_text_changes_nothing(client: FlaskClient, connection: Connection) -> None:
    def counts() -> tuple[int | None, int | None]:
        paystats = connection.scalar(select(func.count()).select_from(PaystatModel))
        postal_codes = connection.scalar(select(func.count()).select_from(PostalCodeModel))
        return paystats, postal_codes

    before = counts()
    statuses = {url: client.get(f"{API}{url}").status_code for url in INJECTIONS}

    assert counts() == before
    assert before[0]
    assert before[1]
    assert set(statuses.values()) <= {400, 404}, statuses
