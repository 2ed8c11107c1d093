"""Coverage of the trigger lexicon on annotated articles, and its hit rate on a corpus.

Usage::

    .venv/bin/python scripts/trigger_coverage.py [--shared ../shared] [--gold PATH]
        [--corpus PATH] [--articles 2000] [--top 40] [--json out.json] [--misses]

1. For every event of a gold file (default: gold-train), does any of its evidence
   strings hold a TRIGGER of the event's sub-type? Recall is printed per sub-type:
   ``strict`` counts a trigger of exactly that sub-type; ``family`` also counts a
   generic trigger of the other territory sub-type or of the same event type (the
   event builder picks the final sub-type from the actor and the weapon).
2. Over the first N articles of an unlabelled corpus, the number of hits of every
   lexicon entry (TRIGGER, CASUALTY and CUE), to spot entries that fire too often.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.doc import Doc, DocMeta, Span
from marsad.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]
STAGES = ["clean/v1", "normalize/v1", "segment/v1", "triggers/v1"]
_TERRITORY = {"Non-state actor overtakes territory", "Government regains territory"}


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines file (gzip when the name ends in .gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def evidence_ranges(text: str, evidence: list[str]) -> list[tuple[int, int]]:
    """Offsets of every occurrence of every evidence string in ``text``."""
    out: list[tuple[int, int]] = []
    for ev in evidence:
        start = text.find(ev)
        while start >= 0:
            out.append((start, start + len(ev)))
            start = text.find(ev, start + 1)
    return out


def family_match(trig: Span, etype: str, sub: str) -> bool:
    """A trigger of the same sub-type, or a generic one the builder could turn into it."""
    t_sub = trig.attrs.get("sub_event_type")
    if t_sub == sub:
        return True
    if not trig.attrs.get("generic"):
        return False
    if sub in _TERRITORY and t_sub in _TERRITORY:
        return True
    return bool(trig.attrs.get("event_type") == etype)


def gold_coverage(pipe: Pipeline, gold: Path, misses: bool) -> dict[str, dict[str, int]]:
    """Per sub-type: events, events with a strict / family trigger in their evidence."""
    stats: dict[str, dict[str, int]] = collections.defaultdict(
        lambda: {"events": 0, "strict": 0, "family": 0, "any": 0}
    )
    for rec in read_jsonl(gold):
        doc = pipe(Doc(text=rec["text"], meta=DocMeta(doc_id=rec["doc_id"])))
        trigs = doc.spans("TRIGGER")
        for ev in rec.get("events", []):
            sub, etype = ev["sub_event_type"], ev["event_type"]
            ranges = evidence_ranges(doc.text, ev.get("evidence", []))
            inside = [t for t in trigs if any(s <= t.start and t.end <= e for s, e in ranges)]
            st = stats[sub]
            st["events"] += 1
            st["any"] += bool(inside)
            st["strict"] += any(t.attrs.get("sub_event_type") == sub for t in inside)
            fam = any(family_match(t, etype, sub) for t in inside)
            st["family"] += fam
            if misses and not fam:
                found = sorted(
                    {f"{doc.text[t.start : t.end]}={t.attrs['sub_event_type']}" for t in inside}
                )
                print(f"MISS {rec['doc_id']} [{sub}] found: {found}", file=sys.stderr)
                for e in ev.get("evidence", [])[:3]:
                    print(f"     | {e[:160]}", file=sys.stderr)
    return dict(stats)


def corpus_hits(pipe: Pipeline, corpus: Path, n: int) -> tuple[collections.Counter[str], int]:
    """Hits per lexicon entry (label:phrase) over the first ``n`` articles."""
    hits: collections.Counter[str] = collections.Counter()
    docs = 0
    for rec in read_jsonl(corpus, n):
        doc = pipe(Doc(text=rec.get("text") or "", meta=DocMeta(doc_id=str(rec.get("doc_id")))))
        docs += 1
        for lab in ("TRIGGER", "CASUALTY", "CUE"):
            for s in doc.spans(lab):
                hits[f"{lab}:{s.attrs.get('phrase')}"] += 1
    return hits, docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--gold", type=Path, help="gold JSONL (default: gold-train)")
    ap.add_argument("--corpus", type=Path, help="corpus JSONL(.gz) (default: SaudiNewsNet)")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--top", type=int, default=40, help="entries to list, most hits first")
    ap.add_argument("--json", type=Path, help="write all numbers here")
    ap.add_argument("--misses", action="store_true", help="list uncovered events on stderr")
    args = ap.parse_args(argv)
    gold = args.gold or args.shared / "data" / "gold-train" / "gold.jsonl"
    corpus = args.corpus or args.shared / "data" / "corpora" / "saudinewsnet.jsonl.gz"
    pipe = Pipeline(STAGES)

    stats = gold_coverage(pipe, gold, args.misses)
    print(f"Trigger coverage of {gold}")
    print(f"{'sub-type':40} {'events':>6} {'strict':>7} {'family':>7} {'any':>5}")
    tot = collections.Counter[str]()
    for sub in sorted(stats):
        st = stats[sub]
        tot.update(st)
        print(
            f"{sub:40} {st['events']:6d} {st['strict'] / st['events']:7.0%} "
            f"{st['family'] / st['events']:7.0%} {st['any'] / st['events']:5.0%}"
        )
    n = tot["events"] or 1
    print(
        f"{'ALL':40} {tot['events']:6d} {tot['strict'] / n:7.0%} "
        f"{tot['family'] / n:7.0%} {tot['any'] / n:5.0%}"
    )

    hits, docs = corpus_hits(pipe, corpus, args.articles)
    print(f"\nHits per entry in {docs} articles of {corpus.name} (top {args.top})")
    for key, k in hits.most_common(args.top):
        print(f"{k:7d}  {k / max(docs, 1):6.2f}/article  {key}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"coverage": stats, "hits": dict(hits), "articles": docs},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
