"""`/expenses` in headless chromium against the live gunicorn: the table filters (a member) and
pages by the API's cursor links, sparse fields choose the columns, the totals' bar chart holds
the API's sums, and the CSV links download what is shown."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.support.browser import WatchedPage, api_json


def _ready(web: WatchedPage) -> Page:
    web.page.goto("/expenses")
    expect(web.page.locator("body")).to_have_attribute("data-state", "ready", timeout=20_000)
    return web.page


def _settled(page: Page) -> None:
    expect(page.locator("body")).to_have_attribute("data-state", "ready")


def _ids(page: Page) -> list[str]:
    return page.locator("#expenses tbody th").all_inner_texts()


def _api_ids(body: dict[str, Any]) -> list[str]:
    return [str(row["id"]) for row in body["data"]]


def _follow(site: LiveServer, link: str) -> dict[str, Any]:
    return dict(api_json(site.base_url, link.removeprefix(site.base_url)))


def test_the_table_filters_by_member_and_pages_by_cursor(
    web: WatchedPage, site: LiveServer
) -> None:
    page = _ready(web)
    page.get_by_role("textbox", name="Member").fill("Sam")
    page.get_by_label("Per page").select_option("10")
    page.get_by_label("Sort by").select_option("-amount")
    page.get_by_role("button", name="Apply").click()
    _settled(page)
    asked = {"member": "Sam", "sort": "-amount", "limit": "10", "cursor": ""}
    first = api_json(site.base_url, f"/api/v1/expenses?{urlencode(asked)}")
    expect(page.locator("#expenses tbody tr")).to_have_count(10)
    assert _ids(page) == _api_ids(first)
    assert set(page.locator("#expenses tbody td:nth-child(5)").all_inner_texts()) == {"Sam"}
    page.get_by_role("button", name="Next").click()
    _settled(page)
    second = _follow(site, first["links"]["next"])
    expect(page.locator("#page-info")).to_have_text("Page 2")
    assert _ids(page) == _api_ids(second)
    page.get_by_role("button", name="Previous").click()
    _settled(page)
    assert _ids(page) == _api_ids(first)
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()


def test_sparse_fields_choose_the_columns(web: WatchedPage) -> None:
    page = _ready(web)
    for column in ("Project", "Currency"):
        page.get_by_role("checkbox", name=column).uncheck()
    page.get_by_role("checkbox", name="Quarter").check()
    page.get_by_role("button", name="Apply").click()
    _settled(page)
    headers = page.locator("#expenses thead th").all_inner_texts()
    assert headers == ["#", "Date", "Department", "Member", "Amount", "Quarter"]


def test_the_totals_bar_chart_holds_the_apis_sums(web: WatchedPage, site: LiveServer) -> None:
    page = _ready(web)
    figure = page.locator("#totals-figure")
    for by in ("department", "month", "member", "project"):
        page.get_by_label("Group by").select_option(by)
        _settled(page)
        groups = api_json(site.base_url, f"/api/v1/expenses/aggregates?by={by}")["data"]
        expect(figure).to_have_attribute(
            "data-sums", json.dumps({g[by]: g["sum"] for g in groups}, separators=(",", ":"))
        )
        expect(page.locator("#totals tbody tr")).to_have_count(len(groups))
    painted = page.locator("#totals-chart").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v > 0)"
    )
    assert painted


def test_the_csv_links_download_the_filtered_rows(web: WatchedPage, site: LiveServer) -> None:
    page = _ready(web)
    page.get_by_role("textbox", name="Member").fill("Ann")
    page.get_by_role("button", name="Apply").click()
    _settled(page)
    href = page.locator("#csv").get_attribute("href") or ""
    assert "member=Ann" in href
    assert "format=csv" in href
    with urllib.request.urlopen(f"{site.base_url}{href}", timeout=10) as response:  # noqa: S310
        assert response.headers["Content-Type"].startswith("text/csv")
        lines = response.read().decode().splitlines()
    total = api_json(site.base_url, "/api/v1/expenses?member=Ann&limit=1")["meta"]["total"]
    assert len(lines) == total + 1
    totals = page.locator("#totals-csv").get_attribute("href") or ""
    assert "member=Ann" in totals
    assert "/aggregates" in totals


def test_375_px_fits_and_the_api_down_shows_a_message(phone: WatchedPage) -> None:
    page = _ready(phone)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px)"
    page.route("**/api/**", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#status")).to_contain_text("The API is not answering")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    assert all("ERR_CONNECTION_REFUSED" in error for error in phone.errors), phone.errors
    phone.errors.clear()
