"""The Postman collection (docs/postman) runs green with newman against a live gunicorn."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import LiveServer

NEWMAN = ROOT / "node_modules" / ".bin" / "newman"
POSTMAN = ROOT / "docs" / "postman"


def test_the_postman_collection_passes(live_server: LiveServer) -> None:
    if not NEWMAN.exists():
        pytest.fail("newman is not installed: run `make test` (npm ci) or `npm ci` first")
    assert shutil.which("node"), "node is needed to run newman"
    result = subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(POSTMAN / "mosaic.postman_collection.json"),
            "-e",
            str(POSTMAN / "mosaic.postman_environment.json"),
            "--env-var",
            f"baseUrl={live_server.base_url}",
            "--env-var",
            f"username={live_server.username}",
            "--env-var",
            f"password={live_server.password}",
            "--reporters",
            "cli",
            "--color",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "AssertionError" not in result.stdout
