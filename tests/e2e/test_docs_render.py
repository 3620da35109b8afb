"""Swagger UI renders the OpenAPI 3.1 document in a real headless browser, with no network."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No background traffic: the page may only load what this server serves.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=10000",
    "--dump-dom",
]


@pytest.fixture
def docs_url(
    make_app: Callable[..., Flask], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/docs/"
    server.shutdown()


def test_docs_render_the_api_in_headless_chromium(
    docs_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert CHROMIUM, "no chromium: `make test` installs it (scripts/test-tools.sh)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    rendered = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", docs_url],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    ).stdout
    assert 'class="title">Mosaic API' in rendered
    assert "OAS 3.1" in rendered
    assert "/api/v1/auth/token" in rendered  # the operations were drawn from /openapi.json
    assert "Unable to render" not in rendered
