"""The dashboard's first load: bytes over the wire and time until the map and widgets are drawn.

    eval "$(scripts/provision.sh mosaic_bench_web)"     # a migrated, seeded database
    .venv/bin/alembic upgrade head && .venv/bin/flask --app mosaic seed all
    make assets
    .venv/bin/python bench/web_bench.py [--runs 11]

Starts gunicorn on a free loopback port (stopped at the end) and drives Debian's chromium with
Playwright. Each cold run is a fresh browser context (empty cache); a warm run reloads in the
same context (hashed assets from the HTTP cache, API answers revalidated with ETags). Times are
the page's own performance marks (`map-drawn`, `widgets-drawn`) from navigation start. Bytes are
the response bodies as served (gunicorn does not compress) and as nginx sends them (gzip level 5
on the types and minimum length of nginx/nginx.conf, computed here with zlib). Baseline, same run:
the browser fetching the same five API answers with no page around them.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Response, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
COMPRESSED = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/javascript",
    "image/svg+xml",
    "application/problem+json",
)
GZIP_MIN_LENGTH = 1024
DATA_ONLY = """async () => {
  const urls = ["/api/v1/turnover?group_by=month", "/api/v1/postal-codes",
    "/api/v1/turnover?group_by=month,gender&bbox=-4.4,40.2,-3.4,41.2",
    "/api/v1/turnover?group_by=age,gender&bbox=-4.4,40.2,-3.4,41.2",
    "/api/v1/turnover?group_by=postal_code&bbox=-4.4,40.2,-3.4,41.2"];
  const start = performance.now();
  await Promise.all(urls.map((u) => fetch(u, {cache: "no-store"}).then((r) => r.text())));
  return performance.now() - start;
}"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    base = f"http://127.0.0.1:{free_port()}"
    env = {**os.environ, "RATELIMIT_ENABLED": "false", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            "gunicorn.conf.py",
            "--bind",
            base.removeprefix("http://"),
            "mosaic.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2):  # noqa: S310
                return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not start: is DATABASE_URL migrated and seeded?")


def wire_size(body: bytes, content_type: str) -> int:
    if len(body) >= GZIP_MIN_LENGTH and content_type.startswith(COMPRESSED):
        return len(gzip.compress(body, compresslevel=5))
    return len(body)


def load(page: Page, url: str) -> dict[str, float]:
    page.goto(url)
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)
    marks = page.evaluate(
        "() => Object.fromEntries(performance.getEntriesByType('mark')"
        ".map((m) => [m.name, m.startTime]))"
    )
    return {"map": marks["map-drawn"], "widgets": marks["widgets-drawn"]}


def cold_run(browser: Browser, base: str) -> tuple[dict[str, float], dict[str, float], list[Any]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses: list[Response] = []

    # a bound method is refused by Playwright's handler wrapper, hence the function
    def collect(response: Response) -> None:
        responses.append(response)

    page.on("response", collect)
    cold = load(page, f"{base}/")
    sizes = []
    for response in responses:
        body = response.body()
        kind = response.headers.get("content-type", "")
        sizes.append((response.url.removeprefix(base), len(body), wire_size(body, kind)))
    warm = load(page, f"{base}/")
    context.close()
    return cold, warm, sizes


def data_only(browser: Browser, base: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/health")
    elapsed = float(page.evaluate(DATA_ONLY))
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("no chromium: apt-get install chromium (scripts/test-tools.sh)")
    server, base = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            cold_run(browser, base)  # warm the server's caches and the OS, not measured
            runs = [cold_run(browser, base) for _ in range(args.runs)]
            baseline = [data_only(browser, base) for _ in range(args.runs)]
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(runs, baseline)


def report(runs: list[Any], baseline: list[float]) -> None:
    median = statistics.median
    sizes = runs[0][2]
    print(f"{'request':60} {'bytes':>9} {'gzip-5':>9}")
    for url, raw, wire in sizes:
        print(f"{url[:60]:60} {raw:9d} {wire:9d}")
    print(
        f"{'first load of / (all requests)':60} {sum(s[1] for s in sizes):9d}"
        f" {sum(s[2] for s in sizes):9d}"
    )
    data = median(baseline)
    for label, index in (("cold", 0), ("warm", 1)):
        drawn_map = median(run[index]["map"] for run in runs)
        widgets = median(run[index]["widgets"] for run in runs)
        print(
            f"{label}: map drawn {drawn_map:.0f} ms, widgets drawn {widgets:.0f} ms"
            f" ({widgets / data:.1f}x the data alone)"
        )
    print(f"baseline: the five API answers fetched alone {data:.0f} ms; runs: {len(runs)}")


if __name__ == "__main__":
    main()
