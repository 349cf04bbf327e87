"""Candidate commitments from a text: the first step of coding a round (``pledges extract``).

:func:`extract` splits a news report into sentences and proposes each one that bears a
commitment as a :class:`Candidate`: its words exactly as in the text (so that ``pledges
verify`` finds them), where they are, who commits where the text says, the cues that
matched, a specificity score and a suggested kind. A person accepts or rejects each one.

The rules are data, not code: the cues of a language are a TOML file (:func:`cues`;
English ships as ``pledges/cues/en.toml``; pass your own). No model and no network: the
rules and the text alone. The cues are found in the whole text in one pass, then each
one's sentence around it, by rules that know abbreviations (``Mr.``, ``etc.``, ``U.S.``),
closing quotes, list items and the furniture of web pages kept as text (picture captions,
"related news" rows, datelines); a sentence-splitting dependency did not earn its place
(the seed texts' furniture needs rules of its own, and work bounded around each cue is
what a hostile text needs).

Every pattern is linear (no nested repetition), a sentence is looked for within half of
:data:`MAX_SENTENCE` characters of its cue, and a text over :data:`MAX_TEXT` characters,
or with over :data:`MAX_CANDIDATES` candidates, is refused: a hostile text gives
candidates or a clear error quickly.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from pledges.errors import InvalidQuery
from pledges.model import PledgeKind

__all__ = ["MAX_CANDIDATES", "MAX_SENTENCE", "MAX_TEXT", "Candidate", "Cues", "cues", "extract"]

MAX_TEXT = 1024 * 1024
"""The longest text (in characters) :func:`extract` reads: a long report is 50,000; a
whole book about a million. A longer text is refused at once (a clear error, not a wait)."""
MAX_SENTENCE = 1_500
"""The longest candidate: a longer run without a sentence end is cut at a word boundary."""
_GAP = r"\W+(?:\w+\W+){0,8}?"
"""What ``...`` in a cue stands for: up to eight words."""


def _pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern of whole phrases (``...``: a gap of a few words)."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        pieces = [re.escape(p.strip()).replace(r"\ ", r"\s+") for p in phrase.split("...")]
        body = _GAP.join(p for p in pieces if p) if len(pieces) > 1 else pieces[0]
        if phrase.rstrip().endswith("..."):
            body += r"\W+\w+"
        parts.append(body)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@attrs.frozen
class Cues:
    """The cues of one language: per kind of commitment (``order`` says which wins when a
    sentence has several), the cues of specificity, the subjects that say who commits, and
    the furniture of pages kept as text. Build one with :func:`cues`."""

    language: str
    order: tuple[str, ...]
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    any_cue: re.Pattern[str]
    specific: tuple[tuple[str, re.Pattern[str]], ...]
    groups: re.Pattern[str] | None
    sides: frozenset[str]
    pronouns: frozenset[str]
    reporting: re.Pattern[str] | None
    skip: frozenset[str]
    furniture: re.Pattern[str]
    caption_end: str
    dateline: re.Pattern[str]
    abbreviations: frozenset[str]

    @classmethod
    def from_data(cls, data: dict[str, Any], source: str = "<cues>") -> Cues:
        """Cues from a parsed TOML document; :class:`~pledges.errors.InvalidQuery` names
        what is missing or wrong."""
        try:
            kinds = data["kinds"]
            order = tuple(data.get("order", kinds))
            unknown = [k for k in order if k not in {m.value for m in PledgeKind}]
            if unknown:
                raise InvalidQuery(
                    f"{source}: kinds {unknown} are not kinds of pledge "
                    f"({', '.join(m.value for m in PledgeKind)})"
                )
            specific = data.get("specific", {})
            speakers = data.get("speakers", {})
            furniture = data.get("furniture", {})
            built = {name: _pattern(kinds[name]) for name in order}
            return cls(
                language=str(data.get("language", "")),
                order=order,
                kinds=tuple((n, p) for n, p in built.items() if p is not None),
                any_cue=_pattern([c for name in order for c in kinds[name]]) or re.compile("$^"),
                specific=tuple(
                    (n, p) for n, p in ((n, _pattern(v)) for n, v in specific.items()) if p
                ),
                groups=_pattern(speakers.get("groups", [])),
                sides=frozenset(w.casefold() for w in speakers.get("sides", [])),
                pronouns=frozenset(w.casefold() for w in speakers.get("pronouns", [])),
                reporting=_pattern(speakers.get("reporting", [])),
                skip=frozenset(w.casefold() for w in speakers.get("skip", [])),
                furniture=re.compile("|".join(f"(?:{x})" for x in furniture.get("lines", ["$^"]))),
                caption_end=str(furniture.get("caption_end", " |")),
                dateline=re.compile(str(furniture.get("dateline", "$^"))),
                abbreviations=frozenset(a.casefold() for a in furniture.get("abbreviations", [])),
            )
        except InvalidQuery:
            raise
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise InvalidQuery(f"{source}: not a cue file ({type(exc).__name__}: {exc})") from None


@functools.cache
def _shipped(language: str) -> Cues:
    name = f"{language}.toml"
    folder = resources.files("pledges").joinpath("cues")
    if not re.fullmatch(r"[a-z]{2,3}", language) or not folder.joinpath(name).is_file():
        known = sorted(
            p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
        )
        raise InvalidQuery(f"no cues shipped for {language!r} (shipped: {', '.join(known)})")
    text = folder.joinpath(name).read_text("utf-8")
    return Cues.from_data(tomllib.loads(text), f"pledges/cues/{name}")


def cues(language_or_file: str | Path = "en") -> Cues:
    """The cues of a shipped language (``"en"``), or of a TOML file of your own in the same
    layout (see ``pledges/cues/en.toml``)."""
    if isinstance(language_or_file, Path) or language_or_file.endswith(".toml"):
        path = Path(language_or_file)
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidQuery(f"{path}: cannot be read as TOML ({exc})") from None
        return Cues.from_data(data, str(path))
    return _shipped(language_or_file)


@attrs.frozen
class Candidate:
    """A sentence (or part of one) that may bear a commitment.

    ``quote`` is ``text[start:end]`` exactly; ``speaker`` who commits where the text says
    (``None`` where it does not, or says only "he"); ``cues`` the cues that matched, in the
    text's order; ``specificity`` from 0 to 1 (see :func:`extract`); ``kind`` the suggested
    kind of pledge."""

    number: int
    quote: str
    start: int
    end: int
    speaker: str | None
    cues: tuple[str, ...]
    specificity: float
    kind: PledgeKind


# A sentence ends at . ! ? (and any closing quotes or brackets) before a space; a line
# break always ends one.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LIST_ITEM = re.compile(r"\s*(?:[-*•·]|\d{1,3}[.)])\s+")
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
MAX_CANDIDATES = 10_000
"""The most candidates one text gives: a text with more is not a report to code by hand."""


def _is_furniture(line: str, rules: Cues) -> bool:
    stripped = line.strip()
    caption = rules.caption_end.rstrip()
    return (
        not stripped
        or bool(rules.furniture.match(stripped))
        or (line.rstrip().endswith(caption) and stripped != caption)
    )


def _is_end(line: str, match: re.Match[str], floor: int, rules: Cues) -> bool:
    """Whether a full stop ends a sentence: not after an abbreviation or an initial."""
    word = _WORD_BEFORE.search(line, max(floor, match.start() - 12), match.start())
    before = word.group(1).casefold().rstrip(".") if word else ""
    if before in rules.abbreviations:
        return False
    return len(before.replace(".", "")) != 1 or not before[:1].isalpha()


_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_NEAR = 4096
"""How far from a cue a line break is looked for: a longer line is no page furniture."""


def _line_of(text: str, at: int) -> tuple[int | None, int]:
    """Where the line holding ``at`` starts (``None``: over :data:`_NEAR` before it) and
    where it ends (at most :data:`_NEAR` after it)."""
    low = max(0, at - _NEAR)
    start = max(text.rfind(c, low, at) for c in _BREAKS) + 1
    known = start > 0 or low == 0
    found = _LINE_BREAK.search(text, at, at + _NEAR)
    end = found.start() if found else min(len(text), at + _NEAR)
    return (start if known else None), end


def _sentence(text: str, at: int, rules: Cues) -> tuple[int, int] | None:
    """The sentence holding position ``at`` (``None`` in a line of page furniture): from
    the last sentence end before it to the first after it, within its line, each at most
    half of :data:`MAX_SENTENCE` away (else cut at a space); without the line's dateline or
    list marker."""
    line_start, line_end = _line_of(text, at)
    floor = max(0, at - _NEAR) if line_start is None else line_start
    if line_start is not None:
        head = text[line_start : min(line_end, line_start + 2 * MAX_SENTENCE)]
        if _is_furniture(head, rules):
            return None
        dateline = rules.dateline.match(head)
        floor += dateline.end() if dateline else 0
        item = _LIST_ITEM.match(text, floor, line_end)
        floor = item.end() if item else floor
    reach = MAX_SENTENCE // 2
    low = max(floor, at - reach)
    start = low
    for match in _END.finditer(text, low, at):
        if _is_end(text, match, floor, rules):
            start = match.end()
    if start == low and low > floor:  # no sentence end in reach: cut after a space
        space = text.find(" ", low, at)
        start = space + 1 if space >= 0 else low
    high = min(line_end, at + reach)
    end = high
    for match in _END.finditer(text, at, high):
        if _is_end(text, match, floor, rules):
            end = match.end()
            break
    else:
        if high < line_end:
            space = text.rfind(" ", at, high)
            end = space if space > at else high
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


_NUMBER = re.compile(r"\d")
_NAME = re.compile(r"[A-ZÀ-Ỹ][\w'’.-]*")


def _subject(clause: str, rules: Cues) -> str | None:
    """The first subject of a clause: a group ("the two sides"), a side ("the Belarusian
    side"), or a run of capitalised words joined by "and" that is not a pronoun or a
    word such as "As" or "Regarding"."""
    if rules.groups is not None:
        group = rules.groups.search(clause)
        if group:
            return group.group(0)
    words = [w.strip(",.") for w in clause.split()]
    for i, word in enumerate(words):
        if word.casefold() in rules.sides and i >= 1 and words[i - 1][:1].isupper():
            lead = "the " if i >= 2 and words[i - 2].casefold() == "the" else ""
            return f"{lead}{words[i - 1]} {word}"
    run: list[str] = []
    for word in words:
        folded = word.casefold()
        if (
            _NAME.fullmatch(word) and folded not in rules.skip and folded not in rules.pronouns
        ) or (folded == "and" and run):
            run.append(word)
        elif run:
            break
    while run and run[-1] == "and":
        run.pop()
    return " ".join(run) or None


def _speaker(sentence: str, cue_at: int, rules: Cues) -> str | None:
    """Who commits: the subject of the clause the first cue is in, else of the sentence
    before it (``None`` where the text names no one before the cue)."""
    before = sentence[:cue_at]
    clause = re.split(r"[;:,]\s|\bthat\s", before)[-1]
    if rules.reporting is not None:  # "X said Belarus will": Belarus commits
        clause = rules.reporting.split(clause)[-1]
    words = clause.split()
    if words and words[0].casefold().strip('"“') in rules.pronouns:
        return None  # "he asked", "we proposed": who, the text says elsewhere
    return _subject(clause, rules) or _subject(before, rules)


def _specificity(sentence: str, rules: Cues, found: dict[str, int]) -> float:
    """0 to 1: a number or an amount (0.3), a deadline or a plan (0.3), a cue of a
    measurable thing (0.2), a firm commitment cue rather than goodwill alone (0.2)."""
    score = 0.3 if _NUMBER.search(sentence) else 0.0
    for name, pattern in rules.specific:
        if pattern.search(sentence):
            score += 0.3 if name == "deadline" else 0.2
    if found.get("commitment") or found.get("agreement"):
        score += 0.2
    return round(min(score, 1.0), 2)


def extract(text: str, rules: Cues | None = None) -> tuple[Candidate, ...]:
    """The candidate commitments of ``text``, in the order they appear, numbered from 1.

    A sentence is a candidate when it holds a cue of some kind; its kind is the first of
    the cues' ``order`` that matched; its specificity is :func:`_specificity`'s sum. The
    cues are found in the whole text first (so that a text without any costs one pass),
    then each one's sentence. :class:`~pledges.errors.InvalidQuery` for a text over
    :data:`MAX_TEXT` characters or with over :data:`MAX_CANDIDATES` candidates."""
    if len(text) > MAX_TEXT:
        raise InvalidQuery(
            f"the text is {len(text):,} characters; extract reads at most {MAX_TEXT:,}"
        )
    rules = rules or cues()
    positions = [m.start() for m in rules.any_cue.finditer(text)]  # one pass for all kinds
    found: list[Candidate] = []
    covered = -1
    for at in positions:
        if at < covered:
            continue
        span = _sentence(text, at, rules)
        if span is None or span[1] <= at:
            continue
        start, end = span
        covered = end
        candidate = _candidate(text[start:end], start, len(found) + 1, rules)
        if candidate is None:
            continue
        found.append(candidate)
        if len(found) > MAX_CANDIDATES:
            raise InvalidQuery(
                f"the text gives over {MAX_CANDIDATES:,} candidates: it is not a report to "
                "code by hand (split it, or use cues of your own)"
            )
    return tuple(found)


def _candidate(sentence: str, start: int, number: int, rules: Cues) -> Candidate | None:
    matches: dict[str, int] = {}
    spans: list[tuple[int, str]] = []
    for kind, pattern in rules.kinds:
        for match in pattern.finditer(sentence):
            matches[kind] = matches.get(kind, 0) + 1
            spans.append((match.start(), match.group(0)))
    if not spans:
        return None
    spans.sort()
    kind = next(k for k in rules.order if k in matches)
    return Candidate(
        number=number,
        quote=sentence,
        start=start,
        end=start + len(sentence),
        speaker=_speaker(sentence, spans[0][0], rules),
        cues=tuple(dict.fromkeys(" ".join(c.split()) for _, c in spans)),
        specificity=_specificity(sentence, rules, matches),
        kind=PledgeKind(kind),
    )
