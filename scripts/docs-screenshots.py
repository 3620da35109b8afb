"""Refresh the screenshots in docs/screenshots/ from a running, seeded server.

    .venv/bin/python scripts/docs-screenshots.py http://127.0.0.1:8000 [USERNAME PASSWORD]

With an editor's credentials the numbers page is shown with its edit form open. The PNGs are
squeezed with pngquant when it is installed (apt-get install pngquant), to keep the repo small.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

DOCS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
VIEWPORT = {"width": 1200, "height": 820}


def ready(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-state=ready]", timeout=30_000)


def shoot(page: Page, name: str) -> None:
    path = DOCS / f"{name}.png"
    page.screenshot(path=path)
    pngquant = shutil.which("pngquant")
    if pngquant:
        options = ["--force", "--ext", ".png", "--quality", "60-85"]
        subprocess.run([pngquant, *options, str(path)], check=True)  # noqa: S603 - our own file
    print(f"{path.relative_to(DOCS.parents[1])}: {path.stat().st_size // 1024} KiB")


def main(base: str, credentials: list[str]) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        page = browser.new_page(viewport=VIEWPORT)
        ready(page, f"{base}/?code=28001&map=11.5/40.43/-3.69")
        shoot(page, "dashboard")
        ready(page, f"{base}/numbers?sort=-monthlyPrice&per_page=10")
        if len(credentials) == 2:
            page.get_by_label("User name").fill(credentials[0])
            page.get_by_label("Password").fill(credentials[1])
            page.get_by_role("button", name="Sign in").click()
            page.locator("tbody tr button").first.click()
            page.get_by_label("Monthly price").fill("-1")
            page.get_by_role("button", name="Save changes").click()
            page.wait_for_selector("#monthly-error:not([hidden])")
        shoot(page, "numbers")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": 1450})  # charts too
        ready(page, f"{base}/sensors?from=2022-11-08T04:30&to=2022-11-08T05:00&res=bucket:1m")
        shoot(page, "sensors")
        ready(page, f"{base}/expenses")
        page.get_by_label("Group by").select_option("month")
        page.wait_for_selector("body[data-state=ready]")
        shoot(page, "expenses")
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), sys.argv[2:])
