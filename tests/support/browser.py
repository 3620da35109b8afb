"""Browser fixtures for the web pages' e2e tests (a pytest plugin, see tests/conftest.py).

Playwright driving Debian's chromium (never a downloaded browser) against the live gunicorn.

Every page a test opens is watched: console errors, uncaught exceptions and requests to any
other host fail the test (the requests are aborted, so nothing leaves the machine), and a
screenshot is written to test-artifacts/screenshots/ (git-ignored) when the test ends.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", ROOT / "test-artifacts")) / "screenshots"
FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


@dataclass
class WatchedPage:
    """A page and what it did wrong; `expect_status` allows a failed response the test provokes."""

    page: Page
    host: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)

    def expect_status(self, *statuses: int) -> None:
        self.expected_statuses.update(statuses)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        failed = FAILED_LOAD.search(message.text)
        if failed and int(failed.group(1)) in self.expected_statuses:
            return  # the browser's own network line for a refusal the test asked for
        self.errors.append(message.text)

    def on_route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == self.host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def assert_clean(self) -> None:
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.foreign, f"requests to other hosts: {self.foreign}"


def api_json(base_url: str, path: str) -> Any:
    with urllib.request.urlopen(f"{base_url}{path}", timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM, "no chromium: `make test` installs it (scripts/test-tools.sh)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(live_server: LiveServer) -> LiveServer:
    """The live server the pages are tested on (it has the geo datasets and 800 numbers)."""
    return live_server


def _open(browser: Browser, site: LiveServer, name: str, width: int) -> Iterator[WatchedPage]:
    context = browser.new_context(base_url=site.base_url, viewport={"width": width, "height": 900})
    page = context.new_page()
    watched = WatchedPage(page, urlsplit(site.base_url).netloc)
    page.on("console", watched.on_console)
    page.on("pageerror", lambda error: watched.errors.append(f"uncaught: {error}"))
    context.route("**/*", watched.on_route)
    try:
        yield watched
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    finally:
        context.close()
    watched.assert_clean()


@pytest.fixture
def web(
    browser: Browser, site: LiveServer, request: pytest.FixtureRequest
) -> Iterator[WatchedPage]:
    """A desktop-sized watched page on the live site."""
    yield from _open(browser, site, request.node.name, 1280)


@pytest.fixture
def phone(
    browser: Browser, site: LiveServer, request: pytest.FixtureRequest
) -> Iterator[WatchedPage]:
    """A 375 px wide watched page."""
    yield from _open(browser, site, request.node.name, 375)
