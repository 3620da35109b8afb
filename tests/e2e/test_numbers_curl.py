"""The curl scripts of the README's walkthrough, in order, against a live gunicorn."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import LiveServer

SCRIPTS = ROOT / "scripts" / "curl"


def run(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_curl_walkthrough(live_server: LiveServer) -> None:
    env = {"PATH": "/usr/bin:/bin", "BASE_URL": live_server.base_url}
    token = run(
        "token.sh", env={**env, "USERNAME": live_server.username, "PASSWORD": live_server.password}
    )
    assert token.returncode == 0, token.stderr
    env["TOKEN"] = token.stdout.strip()
    assert env["TOKEN"].count(".") == 2

    created = run("create.sh", "+55 84 93333-4444", "0.07", "2.5", "R$", env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    number = json.loads(created.stdout)
    assert number["value"] == "+55 84 93333-4444"
    assert (number["monthyPrice"], number["setupPrice"], number["currency"]) == (
        "0.07",
        "2.50",
        "R$",
    )
    again = run("create.sh", "+5584933334444", env=env)
    assert again.returncode != 0
    assert '"status": 409' in again.stdout

    listed = run("list.sh", "per_page=3&q=%2B5584933334444", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [n["id"] for n in json.loads(listed.stdout)] == [number["id"]]
    assert re.search(r"(?im)^x-total-count: 1\s*$", listed.stderr)

    got = run("get.sh", str(number["id"]), env=env)
    assert json.loads(got.stdout) == number
    assert f'"pn-{number["id"]}-v1"' in got.stderr

    updated = run("update.sh", str(number["id"]), '{"monthyPrice": "0.09"}', env=env)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert json.loads(updated.stdout)["monthyPrice"] == "0.09"

    deleted = run("delete.sh", str(number["id"]), env=env)
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert deleted.stdout.strip() == "204"
    gone = run("get.sh", str(number["id"]), env=env)
    assert gone.returncode != 0
    assert '"status": 404' in gone.stdout


def test_the_scripts_refuse_to_run_without_base_url() -> None:
    result = run("list.sh", env={"PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "BASE_URL" in result.stderr


def walkthrough(document: Path, heading: str) -> str:
    """The first ```bash block after `heading` in `document`."""
    text = document.read_text()
    start = text.index("```bash", text.index(heading)) + len("```bash")
    return text[start : text.index("```", start)]


@pytest.mark.parametrize(
    ("document", "heading"),
    [
        (ROOT / "README.md", "Walkthrough with the scripts in `scripts/curl/`"),
        (ROOT / "docs" / "numbers.md", "## Walkthrough with curl"),
    ],
)
def test_the_documented_walkthrough_runs_as_written(
    live_server: LiveServer, tmp_path: Path, document: Path, heading: str
) -> None:
    """Copied from the docs and run: it deletes the number it created, never a seeded one."""
    for name in ("scripts", ".venv"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = {**live_server.env, "BASE_URL": live_server.base_url}
    before = _total(env)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough(document, heading)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("204")
    assert _total(env) == before


def _total(env: dict[str, str]) -> int:
    listed = run("list.sh", "per_page=1", env=env)
    found = re.search(r"(?im)^x-total-count: (\d+)", listed.stderr)
    assert found, listed.stderr
    return int(found.group(1))
