"""Commands on expenses and their registers: statuses, If-Match, batches all or nothing, import."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.expenses import SOURCE, seed

pytestmark = pytest.mark.e2e
API = "/api/v1"
Headers = dict[str, str]


IDS: dict[str, int] = {}  # of IT, Gaama and Sam (sequences move on across rolled-back tests)


@pytest.fixture
def editor(app: Flask, client: FlaskClient, auth_headers: Callable[[str], Headers]) -> Headers:
    seed(app)
    for kind, name in (("department", "IT"), ("project", "Gaama"), ("member", "Sam")):
        found = client.get(f"{API}/{kind}s").get_json()["data"]
        IDS[kind] = next(r["id"] for r in found if r["name"] == name)
    return auth_headers("editor")


def expense(**changes: Any) -> dict[str, Any]:
    return {
        "department_id": IDS["department"],
        "project_id": IDS["project"],
        "member_id": IDS["member"],
        "amount": "12.34",
        "date": "2021-05-01",
        **changes,
    }


def count(client: FlaskClient) -> int:
    return int(client.get(f"{API}/expenses?limit=1").get_json()["meta"]["total"])


def test_writes_need_an_editor(
    client: FlaskClient, editor: Headers, auth_headers: Callable[[str], Headers]
) -> None:
    assert client.post(f"{API}/expenses", json=expense()).status_code == 401
    assert (
        client.post(f"{API}/expenses", json=expense(), headers=auth_headers("viewer")).status_code
        == 403
    )


def test_create_read_change_delete(client: FlaskClient, editor: Headers) -> None:
    created = client.post(f"{API}/expenses", json=expense(description="taxi"), headers=editor)
    assert created.status_code == 201
    location, etag = created.headers["Location"], created.headers["ETag"]
    body = created.get_json()
    assert body["department"] == "IT"
    assert body["amount"] == "12.34"
    assert body["quarter"] == "2021-Q2"
    assert client.get(location).headers["ETag"] == etag

    assert client.patch(location, json={"amount": "13.00"}, headers=editor).status_code == 428
    changed = client.patch(location, json={"amount": "13.00"}, headers={**editor, "If-Match": etag})
    assert changed.status_code == 200
    assert changed.get_json()["amount"] == "13.00"
    stale = client.put(location, json=expense(), headers={**editor, "If-Match": etag})
    assert stale.status_code == 412
    new_etag = changed.headers["ETag"]
    assert (
        client.put(
            location, json=expense(amount="1.00"), headers={**editor, "If-Match": new_etag}
        ).status_code
        == 200
    )
    assert client.delete(location, headers={**editor, "If-Match": etag}).status_code == 412
    assert client.delete(location, headers={**editor, "If-Match": "*"}).status_code == 204
    assert client.get(location).status_code == 404


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"amount": "-5"}, "#/amount"),
        ({"amount": "0"}, "#/amount"),
        ({"amount": "1.234"}, "#/amount"),
        ({"amount": "ten"}, "#/amount"),
        ({"amount": 12.5}, "#/amount"),
        ({"department_id": 999_999}, "#/department_id"),
        ({"member_id": 999_999}, "#/member_id"),
        ({"date": "2021-02-30"}, "#/date"),
        ({"currency": "EURO"}, "#/currency"),
        ({"is_approved": True}, "#/is_approved"),
    ],
)
def test_invalid_expenses_are_422_naming_the_field(
    client: FlaskClient, editor: Headers, changes: dict[str, Any], pointer: str
) -> None:
    before = count(client)
    response = client.post(f"{API}/expenses", json=expense(**changes), headers=editor)
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.get_json()["errors"]]
    assert count(client) == before


def test_a_batch_is_all_or_nothing_with_pointers(client: FlaskClient, editor: Headers) -> None:
    before = count(client)
    items = [expense(), expense(), expense(), expense(amount="-1"), expense(project_id=999_999)]
    response = client.post(f"{API}/expenses", json=items, headers=editor)
    assert response.status_code == 422
    pointers = [e["pointer"] for e in response.get_json()["errors"]]
    assert pointers == ["#/3/amount", "#/4/project_id"]
    assert count(client) == before
    created = client.post(f"{API}/expenses", json=items[:3], headers=editor)
    assert created.status_code == 201
    assert len(created.get_json()["data"]) == 3
    assert count(client) == before + 3


def test_batch_change_and_delete_by_id(client: FlaskClient, editor: Headers) -> None:
    made = client.post(f"{API}/expenses", json=[expense(), expense()], headers=editor).get_json()[
        "data"
    ]
    changes = [{"id": e["id"], "version": e["version"], "description": "audited"} for e in made]
    changed = client.patch(f"{API}/expenses", json=changes, headers=editor)
    assert changed.status_code == 200
    assert {e["description"] for e in changed.get_json()["data"]} == {"audited"}
    stale = client.delete(
        f"{API}/expenses", json=[{"id": e["id"], "version": 1} for e in made], headers=editor
    )
    assert stale.status_code == 412
    current = [{"id": e["id"], "version": 2} for e in made]
    before = count(client)
    assert client.delete(f"{API}/expenses", json=current, headers=editor).status_code == 204
    assert count(client) == before - 2


def test_registers_crud_and_conflicts(client: FlaskClient, editor: Headers) -> None:
    assert client.post(f"{API}/departments", json={"name": "IT"}, headers=editor).status_code == 409
    created = client.post(f"{API}/projects", json={"name": "Apollo"}, headers=editor)
    assert created.status_code == 201
    location, etag = created.headers["Location"], created.headers["ETag"]
    renamed = client.put(location, json={"name": "Artemis"}, headers={**editor, "If-Match": etag})
    assert renamed.status_code == 200
    assert renamed.get_json()["name"] == "Artemis"
    assert client.delete(location, headers=editor).status_code == 428
    assert (
        client.delete(
            f"{API}/members/{IDS['member']}", headers={**editor, "If-Match": "*"}
        ).status_code
        == 409
    )
    assert (
        client.delete(location, headers={**editor, "If-Match": renamed.headers["ETag"]}).status_code
        == 204
    )
    assert (
        client.post(f"{API}/members", json={"name": "Ann", "role": "x"}, headers=editor).status_code
        == 422
    )


CSV_HEAD = "departments,project_name,amount,date,member_name\n"


def test_import_reports_and_dry_run(client: FlaskClient, editor: Headers) -> None:
    before = count(client)
    text = CSV_HEAD + 'Legal,Zeus,"1,000.50€",1/2/2022,Zoe\nIT,Gaama,"1,200.00€",10/2/2021,Sam\n'
    headers = {**editor, "Content-Type": "text/csv"}
    dry = client.post(f"{API}/expenses/import?dry_run=true", data=text, headers=headers)
    assert dry.status_code == 200
    assert dry.get_json() | {} == {
        "rows": 2,
        "inserted": 1,
        "duplicates": 1,
        "registers_created": 3,
        "dry_run": True,
    }
    assert count(client) == before
    upload = {"file": (io.BytesIO(text.encode()), "nightly.csv")}
    done = client.post(
        f"{API}/expenses/import", data=upload, headers=editor, content_type="multipart/form-data"
    )
    assert done.status_code == 201
    assert done.get_json()["inserted"] == 1
    assert count(client) == before + 1
    again = client.post(f"{API}/expenses/import", data=text, headers=headers)
    assert again.get_json()["inserted"] == 0


def test_an_import_with_a_bad_row_writes_nothing(client: FlaskClient, editor: Headers) -> None:
    before = count(client)
    text = (
        CSV_HEAD
        + 'IT,Gaama,"5.00€",1/2/2022,Sam\n'
        + 'IT,Gaama,"-1.00€",1/3/2022,Sam\n'
        + "IT,Gaama,7€,2/30/2022,Sam\n"
    )
    response = client.post(
        f"{API}/expenses/import", data=text, headers={**editor, "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == ["line 3", "line 4"]
    assert count(client) == before


def test_the_seed_file_imports_as_duplicates(client: FlaskClient, editor: Headers) -> None:
    response = client.post(
        f"{API}/expenses/import",
        data=SOURCE.read_bytes(),
        headers={**editor, "Content-Type": "text/csv"},
    )
    assert response.get_json()["duplicates"] == 149


def test_a_batch_change_needs_each_item_id_and_version(
    client: FlaskClient, editor: Headers
) -> None:
    response = client.patch(f"{API}/expenses", json=[{"amount": "1.00"}], headers=editor)
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.get_json()["errors"]}
    assert pointers == {"#/0/id", "#/0/version"}


def test_an_id_beyond_the_column_is_a_404_for_every_method(
    client: FlaskClient, editor: Headers
) -> None:
    item = f"{API}/expenses/99999999999999"
    headers = {**editor, "If-Match": "*"}
    assert client.get(item).status_code == 404
    assert client.patch(item, json={"amount": "1.00"}, headers=headers).status_code == 404
    assert client.delete(item, headers=headers).status_code == 404


def test_register_collections_link_to_themselves_and_their_items(
    client: FlaskClient, editor: Headers
) -> None:
    body = client.get(f"{API}/projects").get_json()
    assert body["links"] == {"self": f"{API}/projects", "expenses": f"{API}/expenses"}
    first = body["data"][0]["links"]
    assert client.get(first["self"]).status_code == 200
    assert client.get(first["expenses"]).get_json()["meta"]["total"] > 0


def test_an_import_without_the_source_columns_is_refused(
    client: FlaskClient, editor: Headers
) -> None:
    """A text that is not the source format (here `{}`) was a 200 importing nothing."""
    for text in ("{}", "", "departments,amount\nIT,5.00€\n"):
        response = client.post(
            f"{API}/expenses/import?dry_run=true",
            data=text,
            headers={**editor, "Content-Type": "text/csv"},
        )
        assert response.status_code == 422, text
        assert "the header lacks" in response.get_json()["detail"]


def test_shares_hold_past_the_amount_column_range(
    app: Flask, client: FlaskClient, editor: Headers
) -> None:
    """A currency's total above NUMERIC(12,2) (10^10) made the share's division a 500."""
    seed(app)
    ids = {
        f"{kind[:-1]}_id": client.get(f"{API}/{kind}").get_json()["data"][0]["id"]
        for kind in ("departments", "projects", "members")
    }
    big = {**ids, "date": "2021-05-01", "amount": "9999999999.99", "currency": "JPY"}
    assert client.post(f"{API}/expenses", json=[big] * 3, headers=editor).status_code == 201
    response = client.get(f"{API}/expenses/aggregates?by=department&metrics=sum,share")
    assert response.status_code == 200
    shares = {group["currency"]: group for group in response.get_json()["data"]}
    assert (shares["JPY"]["sum"], shares["JPY"]["share"]) == ("29999999999.97", "100.00")
