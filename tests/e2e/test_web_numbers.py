"""`/numbers` in headless chromium against the live gunicorn: the table, sign-in, create, a stale
edit shown as a conflict, delete, and a problem's detail next to the field it names."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.support.browser import WatchedPage, api_json

NUMBER, SHOWN = "+55 11 99876-5432", "+5511998765432"


def _call(
    site: LiveServer, method: str, path: str, body: Any = None, **headers: str
) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        f"{site.base_url}{path}", data=data, method=method, headers=headers
    )
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            raw = response.read()
            return response.status, dict(response.headers), json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def _token(site: LiveServer) -> str:
    credentials = {"username": site.username, "password": site.password}
    _, _, body = _call(site, "POST", "/api/v1/auth/token", credentials)
    return str(body["access_token"])


def _ready(web: WatchedPage, path: str = "/numbers") -> Page:
    web.page.goto(path)
    expect(web.page.locator("body")).to_have_attribute("data-state", "ready", timeout=20_000)
    return web.page


def _sign_in(page: Page, site: LiveServer) -> None:
    page.get_by_label("User name").fill(site.username)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#who")).to_have_text(site.username)


def _fill(page: Page, *, value: str, monthly: str, setup: str) -> None:
    page.get_by_label("Number, in international form").fill(value)
    page.get_by_label("Monthly price").fill(monthly)
    page.get_by_label("Setup price").fill(setup)


def test_the_table_pages_sorts_and_searches(web: WatchedPage, site: LiveServer) -> None:
    page = _ready(web)
    listing = api_json(site.base_url, "/api/v2/numbers?per_page=25")
    expect(page.locator("tbody tr")).to_have_count(25)
    expect(page.locator("#caption")).to_contain_text(f"{listing['total']} found")
    page.get_by_role("button", name="Monthly").click()
    page.get_by_role("button", name="Monthly").click()  # again: descending
    expect(page.locator("th[aria-sort=descending]")).to_have_count(1)
    top = api_json(site.base_url, "/api/v2/numbers?per_page=25&sort=-monthlyPrice")["items"]
    expect(page.locator("tbody tr").first.locator("th")).to_have_text(top[0]["value"])
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#page-info")).to_contain_text("Page 2 of")
    second = api_json(site.base_url, "/api/v2/numbers?per_page=25&sort=-monthlyPrice&page=2")
    expect(page.locator("tbody tr").first.locator("th")).to_have_text(second["items"][0]["value"])
    page.get_by_label("Search digits").fill("84912")
    page.get_by_role("button", name="Search").click()
    found = api_json(site.base_url, "/api/v2/numbers?q=84912&per_page=25")
    expect(page.locator("#caption")).to_contain_text(f"{found['total']} found, page 1")
    assert "q=84912" in page.url
    assert "sort=-monthlyPrice" in page.url


def test_a_supervisor_creates_edits_through_a_conflict_and_deletes(
    web: WatchedPage, site: LiveServer
) -> None:
    web.expect_status(412)  # the stale save this test provokes
    page = _ready(web, f"/numbers?q={quote(SHOWN)}")
    expect(page.locator("#caption")).to_contain_text("0 found")
    _sign_in(page, site)
    page.get_by_role("button", name="Add a number").click()
    _fill(page, value=NUMBER, monthly="0.03", setup="3.40")
    page.get_by_role("button", name="Add number").click()
    expect(page.locator("#status")).to_have_text(f"Added {SHOWN}.")
    row = page.locator("tbody tr", has_text=SHOWN)
    expect(row.locator("td").first).to_have_text("U$0.03")
    number_id = row.get_attribute("data-id")

    row.get_by_role("button", name=f"Edit {SHOWN}").click()
    expect(page.get_by_label("Monthly price")).to_have_value("0.03")
    # Meanwhile someone else changes the number through the API.
    token = {"Authorization": f"Bearer {_token(site)}"}
    _, headers, _ = _call(site, "GET", f"/api/v2/numbers/{number_id}")
    change = {"setupPrice": {"amount": "9.99", "currency": "USD"}}
    status, _, _ = _call(
        site,
        "PATCH",
        f"/api/v2/numbers/{number_id}",
        change,
        **token,
        **{"If-Match": headers["ETag"]},
    )
    assert status == 200
    page.get_by_label("Monthly price").fill("0.07")
    page.get_by_role("button", name="Save changes").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone changed this number after you opened it")
    _, _, stored = _call(site, "GET", f"/api/v2/numbers/{number_id}")
    assert stored["monthlyPrice"]["amount"] == "0.03"  # the stale edit did not overwrite

    page.get_by_role("button", name="Load the current version").click()
    expect(page.get_by_label("Setup price")).to_have_value("9.99")
    page.get_by_label("Monthly price").fill("0.07")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#status")).to_have_text(f"Saved {SHOWN}.")
    expect(row.locator("td").first).to_have_text("U$0.07")
    expect(row.locator("td").nth(1)).to_have_text("U$9.99")

    row.get_by_role("button", name=f"Edit {SHOWN}").click()
    page.get_by_role("button", name="Delete this number").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("#status")).to_have_text(f"Deleted {SHOWN}.")
    expect(page.locator("#caption")).to_contain_text("0 found")
    assert _call(site, "GET", f"/api/v2/numbers/{number_id}")[0] == 404


def test_a_bad_price_shows_the_problems_detail_next_to_its_field(
    web: WatchedPage, site: LiveServer
) -> None:
    web.expect_status(422)
    body = {
        "value": NUMBER,
        "monthlyPrice": {"amount": "-1", "currency": "USD"},
        "setupPrice": {"amount": "3.40", "currency": "USD"},
    }
    token = {"Authorization": f"Bearer {_token(site)}"}
    status, _, problem = _call(site, "POST", "/api/v2/numbers", body, **token)
    assert status == 422
    (error,) = problem["errors"]
    assert error["pointer"] == "#/monthlyPrice/amount"
    page = _ready(web)
    _sign_in(page, site)
    page.get_by_role("button", name="Add a number").click()
    _fill(page, value=NUMBER, monthly="-1", setup="3.40")
    page.get_by_role("button", name="Add number").click()
    expect(page.locator("#monthly-error")).to_have_text(error["detail"])
    expect(page.get_by_label("Monthly price")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Monthly price")).to_be_focused()
    expect(page.locator("#setup-error")).to_be_hidden()
    expect(page.locator("#value-error")).to_be_hidden()
    assert _call(site, "GET", f"/api/v2/numbers?q={quote(SHOWN)}")[2]["total"] == 0


def test_the_numbers_page_is_usable_at_375_px(phone: WatchedPage) -> None:
    page = _ready(phone)
    expect(page.locator("tbody tr")).to_have_count(25)
    expect(page.get_by_label("User name")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px)"
