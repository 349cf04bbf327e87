"""The static site, read as HTML: every page whole (title, one h1, language), every internal
link resolving, nothing loaded from anywhere, the same bytes for the same ledger, colours
that pass WCAG AA, and hostile data inert in every page."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given

from pledges import Ledger, load_bundled
from pledges.cli import main
from pledges.dates import Window
from pledges.diff import compare
from pledges.escape import BIDI_CONTROLS
from pledges.present.phrases import CATEGORIES, human_window
from pledges.site import build, diff_page
from pledges.site._env import asset
from pledges.site.pages import Pages
from pledges.testing import PAYLOADS, hostile_ledger, hostile_texts

BUNDLED = load_bundled()
HEADLINES = ("2014-fta", "2014-visa-exemption", "2024-roadmap", "2014-defence-training")


class Page(HTMLParser):
    """What a test needs to know of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.titles: list[str] = []
        self.h1 = 0
        self.scripts: list[str] = []
        self.data: list[str] = []  # <script type="application/ld+json">: data, never run
        self.ids: set[str] = set()
        self._in: str | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "h1":
            self.h1 += 1
        if tag == "script" and found.get("type") == "application/ld+json":
            self._in, self._text = "data", []
        elif tag in ("title", "script"):
            self._in, self._text = tag, []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == ("script" if self._in == "data" else self._in):
            shelf = {"title": self.titles, "script": self.scripts, "data": self.data}[self._in]
            shelf.append("".join(self._text))
            self._in = None

    def links(self) -> list[str]:
        return [a["href"] or "" for tag, a in self.tags if tag == "a" and "href" in a]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site") / "site"
    build(BUNDLED, root)
    return root


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_one_page_per_record_and_the_lists(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    assert {"index.html", "sources.html", "actors.html", "occasions.html"} <= names
    assert len([n for n in names if n.startswith("pledge/")]) == len(BUNDLED.pledges)
    assert len([n for n in names if n.startswith("actor/")]) == len(BUNDLED.actors)
    assert len([n for n in names if n.startswith("occasion/")]) == len(BUNDLED.occasions)


def test_every_page_is_whole_and_every_internal_link_resolves(site: Path) -> None:
    parsed = {path: Page(path.read_text(encoding="utf-8")) for path in pages(site)}
    for path, page in parsed.items():
        assert page.titles[0].strip(), path
        assert page.h1 == 1, path
        assert ("html", {"lang": "en"}) in page.tags
        for href in page.links():
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme, (path, href)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), (path, href)
            if parts.fragment:
                assert parts.fragment in parsed[target].ids, (path, href)


def test_nothing_is_loaded_from_anywhere(site: Path) -> None:
    for path in pages(site):
        page = Page(path.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            assert "src" not in attrs, (path, tag)
            assert tag not in ("img", "iframe", "object", "embed"), path
            if tag == "link":  # the feed's announcement: names a file, loads nothing
                assert attrs["rel"] == "alternate", path
                assert (path.parent / (attrs["href"] or "")).resolve() == site / "feed.xml"
        assert page.scripts in ([], [asset("filter.js")]), path


def test_the_same_ledger_gives_the_same_bytes(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    build(BUNDLED, again)
    for path in pages(site):
        assert (again / path.relative_to(site)).read_bytes() == path.read_bytes()


def test_a_rebuild_removes_the_pages_of_records_that_are_gone(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build(BUNDLED, root)
    smaller = BUNDLED.evolve(pledges=BUNDLED.pledges[:-1], occasions=BUNDLED.occasions)
    build(smaller, root)
    assert not (root / "pledge" / f"{BUNDLED.pledges[-1].id}.html").exists()
    assert len(list((root / "pledge").glob("*.html"))) == len(smaller.pledges)


@pytest.mark.parametrize("pledge_id", HEADLINES)
def test_the_headline_pledges_show_their_whole_timeline(site: Path, pledge_id: str) -> None:
    pledge = BUNDLED.pledge(pledge_id)
    text = (site / "pledge" / f"{pledge_id}.html").read_text(encoding="utf-8")
    assert text.count("<li>\n<h3>") == len(pledge.history)
    assert '<figure class="timeline"><figcaption>Timeline of' in text
    assert 'role="img" aria-label="' in text  # the chart's text equivalent
    for update in pledge.history:
        for evidence in update.evidence:
            source = BUNDLED.source(evidence.source)
            if source.url:
                assert f'href="{source.url.replace("&", "&amp;")}"' in text


def test_the_lead_story_names_rounds_and_sources_as_readers_know_them(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "What became of the pledges of Trong–Lukashenko talks and joint statement" in text
    assert "(talks-2014)" not in text
    assert "001_42ab704fff02af66.txt" not in text
    assert text.count("<a ") > 100
    assert "Made</span> → " in text or "→" in text


@pytest.mark.parametrize(
    ("window", "words"),
    [
        (Window.parse("2025/2027"), "2025 (year only) to 2027 (year only)"),
        (Window.parse("../2026-06", "soon"), "until June 2026 (month only) (soon)"),
        (Window.parse("2025-05-12/.."), "from 12 May 2025"),
        (Window.parse("../..", "in the near future"), "open-ended (in the near future)"),
        (Window.parse("../.."), "open-ended"),
    ],
)
def test_windows_read_as_words(window: Window, words: str) -> None:
    assert human_window(window) == words


def test_the_command_builds_the_site(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["site", "--output", str(tmp_path / "s")], out) == 0
    index = tmp_path / "s" / "index.html"
    files = 1 + len(BUNDLED.pledges) + len(BUNDLED.actors) + len(BUNDLED.occasions) + 6
    assert out.getvalue() == f"{tmp_path / 's'}: {files} files (pages and feed.xml); open {index}\n"
    err = io.StringIO()
    assert main(["site", "--output", str(tmp_path / "no" / "s")], io.StringIO(), err) == 1
    assert "does not exist" in err.getvalue()


def _inert(text: str) -> None:
    page = Page(text)
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "cite", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        assert tag not in ("img", "iframe", "object", "embed", "svg") or tag == "svg", tag
    assert page.scripts in ([], [asset("filter.js")])
    for data in page.data:
        assert data.isascii()
        assert "<" not in data
        assert ">" not in data
        json.loads(data)
    assert not set(text) & set(BIDI_CONTROLS)
    assert "\x1b" not in text


def _every_page(ledger: Ledger) -> list[str]:
    built = Pages(ledger)
    diff = compare(ledger, "o1", "2030")
    return [
        built.index(diff),
        *(built.pledge(p) for p in ledger.pledges),
        *(built.actor(a.id) for a in ledger.actors),
        *(built.occasion(o.id) for o in ledger.occasions),
        built.sources(),
        built.method(),
        built.corrections(),
        built.listing("actors"),
        built.listing("occasions"),
        diff_page(ledger, diff),
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_is_inert_in_every_page(payload: str) -> None:
    for text in _every_page(hostile_ledger(payload)):
        _inert(text)


@given(hostile_texts())
def test_hostile_text_is_inert_in_every_page(payload: str) -> None:
    for text in _every_page(hostile_ledger(payload)):
        _inert(text)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_pass_wcag_aa() -> None:
    css = asset("style.css")
    var = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", css))
    pairs = [
        (var["ink"], var["paper"]),
        (var["ink"], var["soft"]),
        (var["muted"], var["paper"]),
        (var["muted"], var["soft"]),
        (var["link"], var["paper"]),
        (var["link"], var["soft"]),
        *re.findall(r"\.badge\.k-[a-z]+ \{ color: (#[0-9a-f]{6}); background: (#[0-9a-f]{6})", css),
        *((var[c.key], var["paper"]) for c in CATEGORIES),
        *(("#ffffff", var[c.key]) for c in CATEGORIES),  # counts and symbols on the bars
    ]
    assert len(pairs) == 6 + 3 * len(CATEGORIES)
    for text, background in pairs:
        assert contrast(text, background) >= 4.5, (text, background)


# -- for readers: the feed, ClaimReview, the method and the corrections (issue 25) --------


def test_the_feed_is_atom_and_holds_every_dated_update_newest_first(site: Path) -> None:
    import feedparser

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    latest = BUNDLED.latest
    assert latest is not None
    updates = [(p.id, u) for p in BUNDLED.pledges for u in BUNDLED.updates_between(p, None, latest)]
    entries = [e for e in feed.entries if not e.link.endswith("corrections.html")]
    assert len(entries) == len(updates)
    assert len(feed.entries) == len(updates) + len(BUNDLED.corrections)
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    stamps = [e.updated for e in feed.entries]
    assert stamps == sorted(stamps, reverse=True)
    pages = {p.id: f"pledge/{p.id}.html" for p in BUNDLED.pledges}
    assert {e.link for e in entries} == {pages[i] for i, _ in updates}
    for entry in entries:
        assert "Evidence:" in entry.summary
        assert any(w in entry.title for w in (" → ", ": still ", ": made")), entry.title


def test_feed_entry_ids_stay_when_the_ledger_grows(tmp_path: Path) -> None:
    from pledges.site.feed import atom

    as_of = BUNDLED.latest
    assert as_of is not None
    from pledges.dates import PartialDate

    ids = set(re.findall(r"<id>(urn:uuid:[^<]+)</id>", atom(BUNDLED, as_of)))
    earlier = set(re.findall(r"<id>(urn:uuid:[^<]+)</id>", atom(BUNDLED, PartialDate(2020))))
    assert earlier < ids  # an entry keeps its id as later ones come; the feed's own id too


@given(hostile_texts())
def test_the_feed_is_well_formed_whatever_the_ledger_holds(payload: str) -> None:
    from xml.etree import ElementTree

    from pledges.dates import PartialDate
    from pledges.site.feed import atom

    text = atom(hostile_ledger(payload), PartialDate(2030, 1, 1), "https://example.org/t/")
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert "\x1b" not in text
    assert not set(text) & set(BIDI_CONTROLS)


def _claim(path: Path) -> dict[str, object]:
    page = Page(path.read_text(encoding="utf-8"))
    (data,) = page.data
    parsed: dict[str, object] = json.loads(data)
    return parsed


def test_every_pledge_page_carries_a_claim_review(site: Path) -> None:
    for pledge in BUNDLED.pledges:
        claim = _claim(site / "pledge" / f"{pledge.id}.html")
        assert claim["@context"] == "https://schema.org"
        assert claim["@type"] == "ClaimReview"
        assert claim["claimReviewed"] == pledge.text
        assert claim["url"] == f"pledge/{pledge.id}.html"
        item = claim["itemReviewed"]
        assert isinstance(item, dict)
        assert item["@type"] == "Claim"
        assert [a["name"] for a in item["author"]] == [
            BUNDLED.actor(a).name for a in pledge.made_by
        ]
        made = pledge.made_on
        assert item["datePublished"] == (str(made) if ".." not in str(made) else str(made.first))
        assert item["firstAppearance"]["@type"] == "CreativeWork"
        rating = claim["reviewRating"]
        assert isinstance(rating, dict)
        latest = BUNDLED.latest
        assert latest is not None
        status = BUNDLED.status_info(pledge, BUNDLED.status_at(pledge, latest) or "")
        assert rating["alternateName"] == status.label
        if status.score is not None:
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert re.fullmatch(r"\d{4}(-\d\d){0,2}", str(claim["datePublished"]))


def test_a_base_url_makes_the_links_absolute(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build(BUNDLED, root, base_url="https://tracker.example.org/vn-by")
    pledge = BUNDLED.pledges[0]
    claim = _claim(root / "pledge" / f"{pledge.id}.html")
    assert claim["url"] == f"https://tracker.example.org/vn-by/pledge/{pledge.id}.html"
    feed = (root / "feed.xml").read_text(encoding="utf-8")
    assert '<link rel="self" href="https://tracker.example.org/vn-by/feed.xml"/>' in feed
    err = io.StringIO()
    assert main(
        ["site", "-o", str(tmp_path / "x"), "--base-url", "javascript:x"], io.StringIO(), err
    )
    assert "not an http or https address" in err.getvalue()
    from pledges.errors import InvalidQuery

    for hostile in ("javascript:alert(1)", "https://x\u202e/", "//example.org/", ""):
        with pytest.raises(InvalidQuery, match="not an http or https address"):
            build(BUNDLED, tmp_path / "y", base_url=hostile or " ")


def test_every_badge_links_to_what_its_status_means(site: Path) -> None:
    method = Page((site / "method.html").read_text(encoding="utf-8"))
    text = (site / "method.html").read_text(encoding="utf-8")
    for lifecycle in {BUNDLED.lifecycle_of(p) for p in BUNDLED.pledges}:
        for status in lifecycle.statuses:
            assert f"{lifecycle.id}--{status.id}" in method.ids
            if status.description:
                assert status.description.replace("'", "&#39;") in text
    index = Page((site / "index.html").read_text(encoding="utf-8"))
    badges = [a for tag, a in index.tags if tag == "a" and "badge" in (a.get("class") or "")]
    assert len(badges) >= len(BUNDLED.pledges)
    assert all((a["href"] or "").startswith("method.html#") for a in badges)


def test_reader_pages_speak_plainly(site: Path) -> None:
    for path in pages(site):
        text = path.read_text(encoding="utf-8")
        assert "Default scale" not in text, path
        assert "General scale" not in text, path
        assert not re.search(r"\b(\w[\w ]*) → \1<", text), path
        assert "Made</span> → <span" not in text.replace("\n", "")
        if path.name != "sources.html":
            assert 'class="hash"' not in text, path
            assert ".txt" not in text, path
    sources = (site / "sources.html").read_text(encoding="utf-8")
    assert "<details><summary>How we checked</summary>" in sources


def test_corrections_are_shown_on_their_pledge_and_their_page(tmp_path: Path) -> None:
    from pledges.testing import hostile_ledger

    ledger = hostile_ledger("plain words")
    pages_ = Pages(ledger)
    listing = pages_.corrections()
    assert "What was wrong:" in listing
    assert "plain words" in listing
    assert 'id="corrections"' in pages_.pledge(ledger.pledge("p1"))
    assert 'id="corrections"' not in pages_.pledge(ledger.pledge("p2"))
    assert "No published call has been corrected." in Pages(BUNDLED).corrections() or (
        BUNDLED.corrections
    )
