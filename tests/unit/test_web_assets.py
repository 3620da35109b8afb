"""The web pages' JavaScript helpers under node's test runner; a page without its bundle."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mosaic.platform.errors import ServiceUnavailable
from mosaic.web.pages import read_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_the_pages_helpers_pass_their_node_tests() -> None:
    node = shutil.which("node")
    assert node, "no node: make test runs npm ci, which needs Node.js"
    result = subprocess.run(
        [node, "--test", str(ROOT / "tests/unit/js/web_assets.test.mjs")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# pass 5" in result.stdout


def test_without_a_built_bundle_the_pages_say_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ServiceUnavailable, match="make assets"):
        read_manifest(tmp_path)
