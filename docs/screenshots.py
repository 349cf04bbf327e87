"""Take the screenshots the docs and the README show: the site of the bundled ledger in the
system's Chromium, at 1280 and 390 pixels wide.

Run it from the project folder after a change to the site's look:
``python docs/screenshots.py`` (needs ``pip install '.[test]'`` and Debian's chromium).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from pledges import load_bundled
from pledges.site import build

IMAGES = Path(__file__).resolve().parent / "img"
SHOTS = [  # file name, page, width, height, the element shown (None: the screen)
    ("site-index-1280.png", "index.html", 1280, 900, None),
    ("site-pledge-1280.png", "pledge/2014-fta.html", 1280, 1400, None),
    ("site-index-390.png", "index.html", 390, 844, None),
    ("site-pledge-390.png", "pledge/2014-defence-training.html", 390, 844, None),
    # The chart with the bundled ledger's one regression (stalled) in its own colour.
    ("site-chart-1280.png", "index.html", 1280, 900, "figure.shares"),
    ("site-chart-390.png", "index.html", 390, 844, "figure.shares"),
    ("site-timeline-390.png", "pledge/2014-market-access.html", 390, 844, "figure.timeline"),
]


def main() -> int:
    """Build the site in a scratch folder and photograph its pages."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no Chromium on this machine (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        root = Path(scratch) / "site"
        build(load_bundled(), root)
        browser = playwright.chromium.launch(executable_path=chromium)
        for name, page_name, width, height, element in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto((root / page_name).as_uri())
            if element is None:
                page.screenshot(path=IMAGES / name)
            else:
                page.locator(element).first.screenshot(path=IMAGES / name)
            page.close()
            print(f"docs/img/{name}: {page_name} at {width}x{height}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
