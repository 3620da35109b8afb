"""Every error is application/problem+json: type, title, status, detail, instance, request id."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}


def assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body  # type: ignore[no-any-return]


def test_unknown_route_is_a_404_problem(client: FlaskClient) -> None:
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["instance"] == "/api/v1/no-such-thing"
    assert body["type"] == "about:blank"


def test_wrong_method_is_a_405_problem_with_allow(client: FlaskClient) -> None:
    response = client.delete("/health")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_malformed_json_is_a_400_problem(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/auth/token", data='{"username": "ana",', content_type="application/json"
    )
    body = assert_problem(response, 400)
    assert "not valid JSON" in body["detail"]


def test_wrong_content_type_is_a_415_problem(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", data="username=ana&password=x")
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_oversized_body_is_a_413_problem(make_app: Callable[..., Flask]) -> None:
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    payload = json.dumps({"username": "ana", "password": "x" * 4096})
    response = client.post("/api/v1/auth/token", data=payload, content_type="application/json")
    assert_problem(response, 413)


def test_invalid_body_is_a_422_problem_with_field_errors(client: FlaskClient) -> None:
    response = client.post("/api/v1/auth/token", json={"username": 7, "extra": True})
    body = assert_problem(response, 422)
    pointers = {error["pointer"] for error in body["errors"]}
    assert pointers == {"#/username", "#/password", "#/extra"}


def test_unexpected_error_is_a_500_problem_without_traceback(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app()

    def explode() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_url_rule("/explode", view_func=explode)
    response = app.test_client().get("/explode")
    body = assert_problem(response, 500)
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert "hunter2" not in text
    assert "request id" in body["detail"]


def test_request_id_is_echoed_when_sane_and_replaced_when_not(client: FlaskClient) -> None:
    sane = client.get("/version", headers={"X-Request-ID": "abc-123.def"})
    assert sane.headers["X-Request-ID"] == "abc-123.def"

    hostile = client.get(
        "/version", headers={"X-Request-ID": "<script>alert(1)</script>" + "y" * 200}
    )
    replaced = hostile.headers["X-Request-ID"]
    assert replaced != "abc-123.def"
    assert len(replaced) == 36  # a fresh UUID4


def test_log_lines_are_json_with_the_request_id(
    make_app: Callable[..., Flask], capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_app(LOG_LEVEL="INFO").test_client()
    client.get("/version", headers={"X-Request-ID": "trace-me-42"})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    access = [line for line in lines if line["logger"] == "mosaic.access"]
    assert access
    assert access[-1]["request_id"] == "trace-me-42"
    assert access[-1]["status"] == 200
    assert access[-1]["path"] == "/version"


def test_a_nul_in_the_body_is_a_422_naming_the_field(client: FlaskClient) -> None:
    """Found by fuzzing: PostgreSQL text cannot hold NUL, and psycopg2 raised (a 500)."""
    response = client.post("/api/v1/auth/token", json={"username": "a\x00b", "password": "x"})
    body = assert_problem(response, 422)
    assert body["errors"] == [
        {"pointer": "#/username", "detail": "Must not contain a NUL character (\\u0000)."}
    ]


def test_a_nul_in_the_url_is_a_400(
    client: FlaskClient, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    in_query = client.get("/api/v1/numbers?q=12%0034")
    assert assert_problem(in_query, 400)["errors"][0]["parameter"] == "q"
    in_path = client.put(
        "/api/v1/users/ana%00", json={"role": "viewer", "password": "long-enough"},
        headers=auth_headers("admin"),
    )  # fmt: skip
    assert_problem(in_path, 400)


def test_oversized_body_detail_states_the_limit_in_bytes(make_app: Callable[..., Flask]) -> None:
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    payload = json.dumps({"username": "ana", "password": "x" * 4096})
    response = client.post("/api/v1/auth/token", data=payload, content_type="application/json")
    assert "1024 bytes" in assert_problem(response, 413)["detail"]


def test_oversized_body_detail_states_the_endpoint_s_own_lower_limit(
    make_app: Callable[..., Flask],
) -> None:
    """A view may lower the limit for its requests (the sensors push does): the 413 says so."""
    app = make_app(MAX_CONTENT_LENGTH=4096)

    def small() -> str:
        request.max_content_length = 100
        return request.get_data(as_text=True)

    app.add_url_rule("/small", view_func=small, methods=["POST"])
    response = app.test_client().post("/small", data="x" * 200)
    assert "100 bytes" in assert_problem(response, 413)["detail"]


def test_no_content_and_not_modified_name_no_media_type(
    client: FlaskClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    editor = auth_headers("editor")
    body = {"value": "+5584912340001", "monthyPrice": "0.03", "setupPrice": "3.40"}
    body["currency"] = "U$"
    created = client.post("/api/v1/numbers", json=body, headers=editor)
    etag = created.headers["ETag"]
    again = client.get(created.headers["Location"], headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert "Content-Type" not in again.headers
    gone = client.delete(created.headers["Location"], headers={**editor, "If-Match": etag})
    assert gone.status_code == 204
    assert "Content-Type" not in gone.headers


def test_a_weak_if_match_is_a_412_that_says_weak_tags_never_match(
    client: FlaskClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    editor = auth_headers("editor")
    body = {"value": "+5584912340002", "monthyPrice": "0.03", "setupPrice": "3.40"}
    body["currency"] = "U$"
    created = client.post("/api/v1/numbers", json=body, headers=editor)
    weak = "W/" + created.headers["ETag"]
    response = client.delete(created.headers["Location"], headers={**editor, "If-Match": weak})
    assert "weak" in assert_problem(response, 412)["detail"]
    assert client.get(created.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("/api/v1/turnover?groupby=month", "group_by"),
        ("/api/v1/postal-codes?colour=green", "bbox"),
        ("/api/v1/regions/madrid?zoom=3", "precision"),
        ("/api/v1/numbers?limit=5", "per_page"),
    ],
)
def test_an_unknown_query_parameter_is_a_400_naming_it_and_the_accepted_ones(
    client: FlaskClient, url: str, accepted: str
) -> None:
    body = assert_problem(client.get(url), 400)
    unknown = url.split("?")[1].split("=", maxsplit=1)[0]
    [error] = body["errors"]
    assert error["parameter"] == unknown
    assert accepted in error["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/numbers/1?expand=all", "/api/v1/tiles/postal-codes.json?v=2"]
)
def test_an_endpoint_that_reads_no_query_refuses_one(client: FlaskClient, url: str) -> None:
    body = assert_problem(client.get(url), 400)
    assert body["errors"][0]["parameter"] == url.split("?")[1].split("=", maxsplit=1)[0]
