"""scripts/curl/expenses.sh against a live gunicorn seeded with expanses.csv."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e
SCRIPTS = ROOT / "scripts" / "curl"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPTS / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_expenses_script(live_server: LiveServer, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "BASE_URL": live_server.base_url}
    token = run(
        "token.sh", env={**env, "USERNAME": live_server.username, "PASSWORD": live_server.password}
    )
    env["TOKEN"] = token.stdout.strip()

    listed = run("expenses.sh", "list", "amount[gte]=1400&member_name=Sam&limit=500", env=env)
    assert listed.returncode == 0, listed.stderr
    page = json.loads(listed.stdout)
    assert page["meta"]["total"] == len(page["data"]) > 0
    assert re.search(r"(?im)^x-total-count: \d+", listed.stderr)

    groups = json.loads(run("expenses.sh", "aggregates", "by=departments", env=env).stdout)
    assert {g["department"] for g in groups["data"]} == {
        "IT",
        "HR",
        "Sales",
        "Finance",
        "Marketing",
    }
    csv_text = run("expenses.sh", "csv", "member=Sam", env=env).stdout
    assert csv_text.splitlines()[0].startswith("id,department")

    links = page["data"][0]["links"]
    ids = {k: int(links[k].rsplit("/", 1)[1]) for k in ("department", "project", "member")}
    body = json.dumps(
        {**{f"{k}_id": v for k, v in ids.items()}, "amount": "12.34", "date": "2021-05-01"}
    )
    created = run("expenses.sh", "create", body, env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    expense = json.loads(created.stdout)
    assert expense["amount"] == "12.34"

    got = run("expenses.sh", "get", str(expense["id"]), env=env)
    assert f'"e-{expense["id"]}-v1"' in got.stderr
    updated = run("expenses.sh", "update", str(expense["id"]), '{"amount": "13.00"}', env=env)
    assert json.loads(updated.stdout)["amount"] == "13.00", updated.stdout + updated.stderr
    assert run("expenses.sh", "delete", str(expense["id"]), env=env).stdout.strip() == "204"
    assert run("expenses.sh", "get", str(expense["id"]), env=env).returncode != 0

    upload = tmp_path / "nightly.csv"
    upload.write_text(
        'departments,project_name,amount,date,member_name\nIT,Gaama,"1,200.00€",10/2/2021,Sam\n'
    )
    report = json.loads(run("expenses.sh", "import", str(upload), "dry_run", env=env).stdout)
    assert report == {
        "rows": 1,
        "inserted": 0,
        "duplicates": 1,
        "registers_created": 0,
        "dry_run": True,
    }

    answer = run("expenses.sh", "graphql", '{ aggregates(by: ["member"]) }', env=env)
    assert len(json.loads(answer.stdout)["data"]["aggregates"]) == 5, answer.stdout
