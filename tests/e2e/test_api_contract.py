"""The OpenAPI document is the contract: schemathesis `--checks all` over every operation, as an
admin and anonymously, finds no request the document allows that the API refuses, none it
forbids that the API accepts, and no answer (status, headers, body) the document does not list.

It runs the schemathesis CLI, as a partner would, against a live gunicorn over a database of its
own (TEST_DATABASE_URL's name + "_contract"; the writes are real), with a fixed seed and a case
budget so CI is repeatable. tests/contract/schemathesis.toml says where Mosaic departs from
schemathesis' defaults (412, 428) and tests/contract/hooks.py states the rules OpenAPI cannot
(one parameter bounded by another). Explore further with, e.g.:
    CONTRACT_EXAMPLES=200 CONTRACT_SEED=7 .venv/bin/pytest tests/e2e/test_api_contract.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import BIN, gunicorn, live_database

ADMIN, PASSWORD = "contract-admin", "contract-admin-password"
SEED = os.environ.get("CONTRACT_SEED", "20261123")
EXAMPLES = os.environ.get("CONTRACT_EXAMPLES", "20")
# Logout would end the session every later case sends; tests/e2e/test_platform_sessions.py
# covers it.
EXCLUDED_PATHS = ("/api/v1/auth/logout",)


@pytest.fixture(scope="module")
def contract_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A seeded gunicorn of its own; yields its URL and an admin's access token."""
    env = live_database(
        "_contract",
        user=(ADMIN, PASSWORD, "admin"),
        seeds=[("geo",), ("expenses",), ("sensors",), ("numbers", "--count", "200")],
    )
    with gunicorn(env, tmp_path_factory.mktemp("contract") / "gunicorn.log") as base_url:
        yield base_url, _token(base_url)


def _token(base_url: str) -> str:
    request = urllib.request.Request(  # noqa: S310  (loopback)
        f"{base_url}/api/v1/auth/token",
        data=json.dumps({"username": ADMIN, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return str(json.load(response)["access_token"])


def _schemathesis(base_url: str, *headers: str, report: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(BIN / "schemathesis"), "--config-file", "tests/contract/schemathesis.toml",
        "run", f"{base_url}/openapi.json", "--checks", "all", "--seed", SEED,
        "--max-examples", EXAMPLES, "--generation-database", "none", "--no-color",
        "--suppress-health-check", "all", "--report", "junit", "--report-dir", str(report),
        *(f"--exclude-path={path}" for path in EXCLUDED_PATHS),
        *(argument for header in headers for argument in ("-H", header)),
    ]  # fmt: skip
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.contract.hooks",
        "SEED_DATA_DIR": os.environ.get("SEED_DATA_DIR", str(ROOT.parent / "shared" / "data")),
    }
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.mark.parametrize("role", ["admin", "anonymous"])
def test_every_operation_keeps_the_contract(
    contract_server: tuple[str, str], role: str, tmp_path: Path
) -> None:
    base_url, token = contract_server
    headers = (f"Authorization: Bearer {token}",) if role == "admin" else ()

    run = _schemathesis(base_url, *headers, report=tmp_path)

    report = run.stdout[run.stdout.find("SUMMARY") :]
    assert run.returncode == 0, f"schemathesis found contract breaks:\n{run.stdout[-20000:]}"
    selected = re.search(r"Selected: (\d+)/(\d+)", report)
    tested = re.search(r"Tested: (\d+)", report)
    assert selected, report
    assert tested, report
    assert int(selected[2]) - int(selected[1]) == len(EXCLUDED_PATHS), report
    assert int(tested[1]) == int(selected[1]), report  # every operation was exercised
    if role == "admin":  # the session held to the end: the cases were not all 401s
        assert _status(f"{base_url}/api/v1/sensors/quarantine", token) == 200


def _status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return int(response.status)
