"""List pages are cached whole, per inventory revision and URL: writes show at once, hosts apart."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, column, func, select, table

from tests.support.numbers import links, v1_body

PAGE = "/api/v1/numbers?per_page=5&sort=-id"


def test_a_write_shows_in_the_next_list(
    client: FlaskClient, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    before = client.get(PAGE)
    assert client.get(PAGE).get_data() == before.get_data()  # served from the cache

    created = client.post(
        "/api/v1/numbers", json=v1_body("+55 84 98888-1234"), headers=auth_headers("editor")
    )
    assert created.status_code == 201

    after = client.get(PAGE)
    assert int(after.headers["X-Total-Count"]) == int(before.headers["X-Total-Count"]) + 1
    assert after.get_json()[0]["id"] == created.get_json()["id"]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_each_host_gets_its_own_links(client: FlaskClient) -> None:
    one = client.get(PAGE, base_url="http://one.example")
    two = client.get(PAGE, base_url="http://two.example")
    assert links(one.headers.get("Link"))["last"].startswith("http://one.example/")
    assert links(two.headers.get("Link"))["last"].startswith("http://two.example/")


def test_invalid_queries_are_never_cached(client: FlaskClient) -> None:
    for _ in range(2):
        assert client.get("/api/v1/numbers?per_page=500").status_code == 400


def test_lists_survive_killed_connections(make_app: Callable[..., Flask], engine: Engine) -> None:
    client = make_app().test_client()
    assert client.get(PAGE).status_code == 200  # the revision connection is standing now
    with engine.connect() as admin:
        killed = admin.execute(
            select(func.count(func.pg_terminate_backend(column("pid"))))
            .select_from(table("pg_stat_activity"))
            .where(
                column("application_name") == "mosaic",
                column("datname") == func.current_database(),  # not other runs' databases
                column("pid") != func.pg_backend_pid(),
            )
        ).scalar_one()
    assert killed >= 1
    assert [client.get(PAGE).status_code for _ in range(3)] == [200, 200, 200]
