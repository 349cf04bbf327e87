"""How well ``pledges extract`` finds the commitments a person coded (issue 26).

For each of the five seed texts (read from ``../shared/seeds``; skipped when absent: the
texts stay out of the project), the bundled ledger's commitments quoted from it (the quotes
of each pledge's making) are compared with the candidates extract proposes:

- recall: the share of those quotes that lie inside a candidate, or overlap one by most
  (over half) of their length;
- precision: the share of candidates that overlap some coded commitment's quote.

Run ``python benchmarks/extract_recall.py [SEEDS_FOLDER]``; it prints a table a text and
the misses with the sentence they sit in. Goal: recall at least 95 % with precision at
least 50 %.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pledges import load_bundled
from pledges.extract import Candidate, extract
from pledges.model import UpdateKind

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def coded_quotes(text_name: str) -> list[tuple[str, str]]:
    """(pledge id, quote) of every making quoted from the text named."""
    ledger = load_bundled()
    found = []
    for pledge in ledger.pledges:
        for update in pledge.history:
            if update.kind is not UpdateKind.MADE:
                continue
            for evidence in update.evidence:
                source = ledger.source(evidence.source)
                if source.path == text_name and evidence.quote:
                    found.append((pledge.id, evidence.quote))
    return found


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covered(span: tuple[int, int], candidates: tuple[Candidate, ...]) -> bool:
    length = span[1] - span[0]
    return any(overlap(span, (c.start, c.end)) * 2 > length for c in candidates)


def measure(folder: Path) -> tuple[int, int, int, int, list[str]]:
    """Rows printed, and the totals: quotes, found, candidates, useful candidates."""
    quotes = found = proposed = useful = 0
    misses: list[str] = []
    print(f"{'text':28} {'quotes':>6} {'found':>5} {'recall':>7} {'cands':>5} {'precision':>9}")
    for path in sorted(folder.glob("0*.txt")):
        text = path.read_text(encoding="utf-8")
        candidates = extract(text)
        spans = []
        for pledge_id, quote in coded_quotes(path.name):
            at = text.find(quote)
            if at < 0:
                misses.append(f"{path.name} {pledge_id}: quote not in the text")
                continue
            spans.append((pledge_id, (at, at + len(quote))))
        hit = [s for s in spans if covered(s[1], candidates)]
        for pledge_id, span in spans:
            if (pledge_id, span) not in hit:
                misses.append(f"{path.name} {pledge_id}: {text[span[0] : span[1]][:100]!r}")
        good = [c for c in candidates if any(overlap((c.start, c.end), s) for _, s in spans)]
        quotes += len(spans)
        found += len(hit)
        proposed += len(candidates)
        useful += len(good)
        recall = len(hit) / len(spans) if spans else 1.0
        precision = len(good) / len(candidates) if candidates else 1.0
        print(
            f"{path.name:28} {len(spans):6} {len(hit):5} {recall:7.1%} "
            f"{len(candidates):5} {precision:9.1%}"
        )
    return quotes, found, proposed, useful, misses


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else SEEDS
    if not folder.is_dir():
        print(f"no seed texts at {folder}: skipped")
        return 0
    quotes, found, proposed, useful, misses = measure(folder)
    print(
        f"{'all':28} {quotes:6} {found:5} {found / quotes:7.1%} {proposed:5} "
        f"{useful / proposed:9.1%}"
    )
    for miss in misses:
        print("missed:", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
