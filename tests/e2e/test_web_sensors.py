"""`/sensors` in headless chromium against the live gunicorn: a dwell-time chart per sample
sensor with the API's points, gaps kept as gaps, range and resolution controls, and KPI cards
whose values and changes are the API's."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.support.browser import WatchedPage, api_json

SENSORS = ("100013", "100022")
# The sample's day, named in the URL: other tests push readings at other dates (simulate pushes
# "now"), so the page's default range, the latest day, need not hold the sample.
SAMPLE_DAY = "/sensors?from=2022-11-08T00%3A00&to=2022-11-09T00%3A00"
MINUS = "\u2212"  # the page writes a real minus sign
PAINTED = """canvas => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
  return painted;
}"""


def _ready(web: WatchedPage, path: str = SAMPLE_DAY) -> Page:
    web.page.goto(path)
    expect(web.page.locator("body")).to_have_attribute("data-state", "ready", timeout=20_000)
    return web.page


def _window(page: Page) -> dict[str, str]:
    state = {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}
    return {"from": f"{state['from']}:00Z", "to": f"{state['to']}:00Z"}


def _series(site: LiveServer, sensor: str, **params: str) -> list[dict[str, Any]]:
    body = api_json(site.base_url, f"/api/v1/sensors/{sensor}/readings?{urlencode(params)}")
    return list(body["points"])


def _assert_charts(page: Page, site: LiveServer, **params: str) -> None:
    for sensor in SENSORS:
        points = _series(site, sensor, **params)
        figure = page.locator(f"figure.sensor-chart[data-sensor='{sensor}']")
        expect(figure).to_have_attribute("data-points", str(len(points)))
        values = [point for point in points if point["v"] is not None]
        expect(figure).to_have_attribute("data-values", str(len(values)))
        assert figure.locator("canvas").evaluate(PAINTED) > 500, f"sensor {sensor} not drawn"


def test_the_chart_draws_both_sample_sensors(web: WatchedPage, site: LiveServer) -> None:
    page = _ready(web)
    for sensor in SENSORS:  # other tests may have pushed readings of more sensors
        expect(page.locator(f"figure.sensor-chart[data-sensor='{sensor}']")).to_be_visible()
    window = _window(page)
    assert "res=points%3A500" in page.url
    _assert_charts(page, site, **window, points="500")
    first = _series(site, SENSORS[0], **window, points="500")[0]
    rows = page.locator("figure[data-sensor='100013'] tbody tr")
    expect(rows.first.locator("td")).to_have_text(str(first["v"]))


def test_kpi_cards_are_the_apis_figures(web: WatchedPage, site: LiveServer) -> None:
    page = _ready(web)
    kpis = api_json(site.base_url, f"/api/v1/sensors/kpis?{urlencode(_window(page))}")
    groups = {"all": kpis["overall"]} | {str(s["sensor_id"]): s for s in kpis["sensors"]}
    expect(page.locator(".kpi-group")).to_have_count(len(groups))
    for key, figures in groups.items():
        for name in ("mean", "median", "p95", "max", "count"):
            value = page.locator(f".kpi-group[data-sensor='{key}'] [data-kpi='{name}'] data")
            assert float(value.get_attribute("value") or "nan") == figures[name], (key, name)


def test_range_and_resolution_keep_gaps_and_change_the_kpis(
    web: WatchedPage, site: LiveServer
) -> None:
    page = _ready(web)
    start = _window(page)["from"][:10]
    page.get_by_label("From (UTC)").fill(f"{start}T03:30")
    page.get_by_label("To (UTC)").fill(f"{start}T05:00")
    page.get_by_label("Resolution").select_option("bucket:5m")
    page.get_by_label("Per period").select_option("max")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"res=bucket%3A5m.*agg=max"))
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    window = {"from": f"{start}T03:30:00Z", "to": f"{start}T05:00:00Z"}
    _assert_charts(page, site, **window, bucket="5m", agg="max")
    points = _series(site, SENSORS[0], **window, bucket="5m", agg="max")
    assert any(p["v"] is None for p in points), "the range should hold empty periods"
    assert any(p["v"] is not None for p in points)
    # A range with readings before it: the change on the period before is the API's.
    page.get_by_label("From (UTC)").fill(f"{start}T04:30")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"from=[0-9-]+T04%3A30"))
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    window["from"] = f"{start}T04:30:00Z"
    change = api_json(site.base_url, f"/api/v1/sensors/kpis?{urlencode(window)}")["overall"]
    mean = change["change"]["mean"]
    assert mean is not None
    text = f"{'+' if mean > 0 else MINUS}{abs(mean) * 100:.1f} % on the period before"
    expect(page.locator(".kpi-group[data-sensor='all'] [data-kpi='mean'] .change")).to_have_text(
        text
    )


def test_a_shared_link_restores_the_view_and_375_px_fits(
    phone: WatchedPage, site: LiveServer
) -> None:
    link = "/sensors?from=2022-11-08T04:00&to=2022-11-08T05:00&res=bucket:15m&agg=p95"
    page = _ready(phone, link)
    expect(page.get_by_label("Resolution")).to_have_value("bucket:15m")
    expect(page.get_by_label("Per period")).to_have_value("p95")
    window = {"from": "2022-11-08T04:00:00Z", "to": "2022-11-08T05:00:00Z"}
    _assert_charts(page, site, **window, bucket="15m", agg="p95")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways ({width}px)"


def test_the_api_down_shows_a_message_not_a_blank_page(web: WatchedPage) -> None:
    web.page.route("**/api/**", lambda route: route.abort("connectionrefused"))
    web.page.goto("/sensors")
    status = web.page.locator("#status")
    expect(status).to_contain_text("The API is not answering")
    expect(status.get_by_role("button", name="Retry")).to_be_visible()
    expect(web.page.locator("body")).to_have_attribute("data-state", "error")
    assert all("ERR_CONNECTION_REFUSED" in error for error in web.errors), web.errors
    web.errors.clear()
