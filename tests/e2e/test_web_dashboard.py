"""`/` in headless chromium against the live gunicorn: the map, the widgets, filters, URL state."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.support.browser import WatchedPage, api_json


def _ready(web: WatchedPage, path: str = "/") -> None:
    web.page.goto(path)
    expect(web.page.locator("body")).to_have_attribute("data-state", "ready", timeout=20_000)


def _turnover(site: LiveServer, **params: str) -> Any:
    return api_json(site.base_url, f"/api/v1/turnover?{urlencode(params)}")


def _centre(site: LiveServer, code: str) -> tuple[float, float]:
    feature = api_json(site.base_url, f"/api/v1/postal-codes/{code}")
    points = [p for polygon in feature["geometry"]["coordinates"] for p in polygon[0]]
    return (
        sum(lat for _, lat in points) / len(points),
        sum(lon for lon, _ in points) / len(points),
    )


def test_the_map_draws_every_postal_code_and_the_total_is_the_apis(
    web: WatchedPage, site: LiveServer
) -> None:
    collection = api_json(site.base_url, "/api/v1/postal-codes")
    _ready(web)
    page = web.page
    expect(page.locator("path[data-code]")).to_have_count(101)
    assert len(collection["features"]) == 101
    no_data = [f for f in collection["features"] if f["properties"]["legend_class"] == 0]
    assert no_data, "the seed has postal codes without paystats"
    for feature in no_data:  # drawn with the hatching, apart from every green class
        path = page.locator(f'path[data-code="{feature["properties"]["code"]}"]')
        expect(path).to_have_attribute("fill", "url(#no-data)")
    expect(page.locator('path[data-code="28001"]')).not_to_have_attribute("fill", "url(#no-data)")
    classes = collection["legend"]["classes"]
    expect(page.locator("#legend-items li")).to_have_count(classes + 1)
    # The first view shows all of Madrid: its total is the API's total.
    expect(page.locator("#total")).to_have_attribute("value", _turnover(site)["total"])
    bbox = page.locator("#map").get_attribute("data-bbox")
    assert bbox
    assert page.locator("#total").get_attribute("value") == _turnover(site, bbox=bbox)["total"]


def test_clicking_28001_shows_its_detail_and_filters_the_widgets(
    web: WatchedPage, site: LiveServer
) -> None:
    lat, lon = _centre(site, "28001")
    _ready(web, f"/?map=14/{lat:.5f}/{lon:.5f}")
    web.page.locator('path[data-code="28001"]').click()
    expected = _turnover(site, postal_code="28001", group_by="age,gender")
    detail = api_json(site.base_url, "/api/v1/postal-codes/28001")["properties"]
    assert expected["total"] == detail["turnover"]
    expect(web.page.locator("#total")).to_have_attribute("value", expected["total"])
    expect(web.page.locator("#detail")).to_be_visible()
    expect(web.page.locator("#detail-code")).to_have_text("28001")
    expect(web.page.locator("#detail-turnover")).to_have_attribute("value", detail["turnover"])
    expect(web.page.locator("#top-codes li")).to_have_count(1)
    assert "code=28001" in web.page.url
    women_25_34 = next(
        g["turnover"] for g in expected["groups"] if g["age"] == "25-34" and g["gender"] == "F"
    )
    cells = web.page.locator("#table-ages tbody tr").nth(1).locator("td")
    expect(cells.first).to_have_text("€" + f"{float(women_25_34):,.2f}")


def test_a_month_filter_changes_the_widgets_and_the_url_keeps_it(
    web: WatchedPage, site: LiveServer
) -> None:
    _ready(web)
    everything = web.page.locator("#total").get_attribute("value")
    web.page.select_option("#from", "2015-06")
    web.page.select_option("#to", "2015-06")
    june = _turnover(site, **{"from": "2015-06", "to": "2015-06"})["total"]
    assert june != everything
    expect(web.page.locator("#total")).to_have_attribute("value", june)
    expect(web.page.locator("#table-months tbody tr")).to_have_count(1)
    assert "from=2015-06" in web.page.url
    assert "to=2015-06" in web.page.url
    _ready(web, web.page.url)  # a reload (or a shared link) restores the filters and figures
    expect(web.page.locator("#from")).to_have_value("2015-06")
    expect(web.page.locator("#total")).to_have_attribute("value", june)


def test_moving_the_map_totals_what_is_in_view(web: WatchedPage, site: LiveServer) -> None:
    lat, lon = _centre(site, "28001")
    _ready(web, f"/?map=15/{lat:.5f}/{lon:.5f}")
    bbox = web.page.locator("#map").get_attribute("data-bbox")
    assert bbox
    in_view = _turnover(site, bbox=bbox)["total"]
    assert float(in_view) < float(_turnover(site)["total"])
    expect(web.page.locator("#total")).to_have_attribute("value", in_view)
    web.page.locator("#map").focus()
    web.page.keyboard.press("-")  # the keyboard zooms out too; the widgets follow the new view
    expect(web.page.locator("#map")).not_to_have_attribute("data-bbox", bbox)
    wider = web.page.locator("#map").get_attribute("data-bbox")
    assert wider
    expect(web.page.locator("#total")).to_have_attribute(
        "value", _turnover(site, bbox=wider)["total"]
    )


def test_the_postal_code_list_and_age_and_gender_filters_work_by_keyboard(
    web: WatchedPage, site: LiveServer
) -> None:
    _ready(web)
    web.page.locator("input[name=gender][value=F]").check()
    web.page.locator("input[name=age][value='35-44']").check()
    web.page.select_option("#code", "28013")
    expected = _turnover(site, postal_code="28013", gender="F", age="35-44")["total"]
    expect(web.page.locator("#total")).to_have_attribute("value", expected)
    assert "gender=F" in web.page.url
    assert "code=28013" in web.page.url


def test_the_dashboard_is_usable_at_375_px(phone: WatchedPage) -> None:
    _ready(phone)
    page = phone.page
    expect(page.locator("path[data-code]")).to_have_count(101)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px)"


def test_the_api_down_shows_a_message_not_a_blank_page(web: WatchedPage) -> None:
    web.page.route("**/api/**", lambda route: route.abort("connectionrefused"))
    web.page.goto("/")
    status = web.page.locator("#status")
    expect(status).to_contain_text("The API is not answering")
    expect(status.get_by_role("button", name="Retry")).to_be_visible()
    expect(web.page.locator("body")).to_have_attribute("data-state", "error")
    # The only console lines are the browser's own about the refused connections.
    assert all("ERR_CONNECTION_REFUSED" in error for error in web.errors), web.errors
    web.errors.clear()


def test_a_link_to_an_unknown_postal_code_falls_back_to_the_view(
    web: WatchedPage, site: LiveServer
) -> None:
    _ready(web, "/?code=99999&gender=M")  # the API would refuse it (400): the page drops it
    expect(web.page.locator("#detail")).to_be_hidden()
    expect(web.page.locator("#total")).to_have_attribute(
        "value", _turnover(site, gender="M")["total"]
    )
    assert "code=" not in web.page.url
