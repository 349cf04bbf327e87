"""The site as a person sees it: every page of the bundled ledger's site loaded in a real
browser (the system's Chromium, headless, driven by Playwright).

Locally these tests skip when there is no Chromium or no Playwright; with
``PLEDGES_REQUIRE_BROWSER=1`` (as in CI) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pledges import load_bundled
from pledges.site import build
from pledges.testing import PAYLOADS, hostile_ledger

BUNDLED = load_bundled()
HEADLINES = ("2014-fta", "2014-visa-exemption", "2024-roadmap", "2014-defence-training")
REQUIRED = os.environ.get("PLEDGES_REQUIRE_BROWSER") == "1"
CHROMIUM = (
    os.environ.get("PLEDGES_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)


def _missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason}, and PLEDGES_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install '.[test]')")
    if CHROMIUM is None:
        _missing("no Chromium on this machine (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser") / "site"
    build(BUNDLED, root)
    return root


class Visit:
    """A browser page that records what a page load asks for and complains about."""

    def __init__(self, browser: Any, **options: Any) -> None:
        self.context = browser.new_context(**options)
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.folder: Path | None = None
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        """Load a page: navigate to it, or, beside a script-free page already shown, write
        its HTML into the tab (in a third of the time). Such pages resolve links against an
        address in their own folder and carry the same policy, which a written document
        adds to the shown one's: a page with a script is always navigated to."""
        text = path.read_text(encoding="utf-8")
        if self.folder == path.parent and "<script" not in text:
            self.page.set_content(text, wait_until="domcontentloaded")
        else:
            self.page.goto(path.as_uri(), wait_until="domcontentloaded")  # its script has run
            self.folder = None if "<script" in text else path.parent
        return self.page

    def close(self) -> None:
        self.context.close()


_FACTS = """() => ({
    title: document.title,
    h1: document.querySelectorAll("h1").length,
    lang: document.documentElement.lang,
    hrefs: [...document.querySelectorAll("a[href]")].map(a => a.href),
    handlers: [...document.querySelectorAll("*")]
        .filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
    scripts: document.scripts.length,
})"""


@pytest.mark.parametrize(
    ("folder", "share"),
    [
        (".", 0),
        ("pledge", 0),
        # The rest in CI's deeper run: the same templates, other records.
        pytest.param("pledge", 1, marks=pytest.mark.slow),
        pytest.param("pledge", 2, marks=pytest.mark.slow),
        pytest.param("actor", 0, marks=pytest.mark.slow),
        pytest.param("occasion", 0, marks=pytest.mark.slow),
    ],
)
def test_every_page_loads_clean_and_whole(
    browser: Any, site: Path, folder: str, share: int
) -> None:
    """Every page, the pledges' in three shares (so that two workers share them)."""
    visit = Visit(browser)
    shares = 3 if folder == "pledge" else 1
    try:
        for path in sorted((site / folder).glob("*.html"))[share::shares]:
            facts = visit.open(path).evaluate(_FACTS)
            assert facts["title"].strip(), path
            assert (facts["h1"], facts["lang"]) == (1, "en"), path
            for href in facts["hrefs"]:  # resolved by the browser
                assert href.startswith(("file://", "https://", "http://")), (path, href)
                if href.startswith("file://"):
                    assert Path(href[len("file://") :].split("#")[0]).is_file(), (path, href)
        assert visit.problems == []
        assert visit.requests == []  # nothing left file://
    finally:
        visit.close()


@pytest.mark.slow  # tests/test_site.py checks the same markup without a browser
def test_the_headline_pledges_show_their_whole_timelines(browser: Any, site: Path) -> None:
    visit = Visit(browser)
    try:
        for pledge_id in HEADLINES:
            pledge = BUNDLED.pledge(pledge_id)
            page = visit.open(site / "pledge" / f"{pledge_id}.html")
            assert page.locator("ol.history > li").count() == len(pledge.history), pledge_id
            assert page.locator("figure.timeline svg").is_visible()
            evidence = sum(len(u.evidence) for u in pledge.history)
            assert page.locator("ul.evidence > li").count() == evidence, pledge_id
            assert page.get_by_role("img", name=f"Timeline of {pledge.title}").count() == 1
    finally:
        visit.close()


def test_the_filters_work_and_the_list_is_whole_without_javascript(
    browser: Any, site: Path
) -> None:
    latest = BUNDLED.latest
    assert latest is not None
    now = {p.id: BUNDLED.status_at(p, latest) for p in BUNDLED.pledges}
    kept = len(
        [p for p in BUNDLED.pledges if BUNDLED.status_info(p, now[p.id] or "").kind == "fulfilled"]
    )
    visit = Visit(browser)
    try:
        page = visit.open(site / "index.html")
        page.select_option("select[name=kind]", "fulfilled")
        assert page.locator("#pledge-list tbody tr:visible").count() == kept
        assert (
            page.locator("#shown").inner_text() == f"{kept} of {len(BUNDLED.pledges)} pledges shown"
        )
    finally:
        visit.close()
    plain = Visit(browser, java_script_enabled=False)
    try:
        page = plain.open(site / "index.html")
        assert not page.locator("#filters").is_visible()
        assert page.locator("#pledge-list tbody tr:visible").count() == len(BUNDLED.pledges)
    finally:
        plain.close()


def test_a_phone_screen_does_not_scroll_sideways(browser: Any, site: Path) -> None:
    visit = Visit(browser, viewport={"width": 390, "height": 844})
    try:
        for name in ["index.html", "sources.html", *(f"pledge/{p}.html" for p in HEADLINES)]:
            page = visit.open(site / name)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    finally:
        visit.close()


_LABELS = """() => Array.from(document.querySelectorAll("figure svg text"))
    .filter((t) => getComputedStyle(t).display !== "none")
    .map((t) => {
        const box = t.getBoundingClientRect();
        return {size: parseFloat(getComputedStyle(t).fontSize), left: box.left,
                right: box.right, text: t.textContent};
    })"""


@pytest.mark.parametrize("width", [390, pytest.param(1280, marks=pytest.mark.slow)])
def test_chart_labels_are_legible_and_on_screen(browser: Any, site: Path, width: int) -> None:
    visit = Visit(browser, viewport={"width": width, "height": 844})
    try:
        for name in ["index.html", "pledge/2014-market-access.html", "pledge/2014-fta.html"]:
            page = visit.open(site / name)
            labels = page.evaluate(_LABELS)
            assert labels, name
            for label in labels:
                assert label["size"] >= 11, (name, label)
                assert label["left"] >= -1, (name, label)
                assert label["right"] <= width + 1, (name, label)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    finally:
        visit.close()


def test_a_regression_has_its_own_colour_and_symbol(browser: Any, site: Path) -> None:
    visit = Visit(browser)
    try:
        page = visit.open(site / "index.html")
        fill = "(s) => getComputedStyle(document.querySelector(s)).fill"
        colours = {
            key: page.evaluate(fill, f"figure.shares rect.k-{key}")
            for key in ("stalled", "progress", "open", "fulfilled")
        }
        assert len(set(colours.values())) == len(colours), colours
        legend = page.locator("figure.shares ul.legend").inner_text()
        assert "stalled" in legend
        assert "▼" in legend
    finally:
        visit.close()


def test_a_hostile_ledger_is_inert_in_the_browser(browser: Any, tmp_path: Path) -> None:
    """Every payload at once, in every text field: nothing runs, nothing is fetched."""
    root = tmp_path / "site"
    build(hostile_ledger(" ".join(PAYLOADS)), root)
    visit = Visit(browser)
    try:
        for path in sorted(root.rglob("*.html")):
            facts = visit.open(path).evaluate(_FACTS)
            assert facts["handlers"] == 0, path
            assert facts["scripts"] <= 1, path
        assert visit.dialogs == []  # no alert(1) ran
        assert visit.requests == []  # no image, no beacon
        assert visit.problems == []  # not even a blocked attempt
    finally:
        visit.close()
