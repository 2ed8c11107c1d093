"""Pairwise precision and recall of cross-article deduplication.

    .venv/bin/python scripts/eval_dedup.py [PAIRS.jsonl] [--errors]
    .venv/bin/python scripts/eval_dedup.py --build tests/store/data/dedup_reports.jsonl

``tests/store/data/dedup_reports.jsonl`` holds events coded by hand from SaudiNewsNet
articles (July-August 2015), each with the occurrence it reports (``occurrence``,
judged by reading the articles). ``--build`` turns them into labelled pairs
(``dedup_pairs.jsonl``): every pair of reports of one occurrence from two articles
(label ``same``), and every pair of reports of different occurrences that are easy to
confuse: same country, or dates at most two days apart (label ``different``, with
the kind of hard negative). Without ``--build`` the pairs are scored with
:func:`marsad.store.dedup.decide`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests/store/data"


def _report(side: dict[str, Any]) -> dict[str, Any]:
    from marsad.store.records import event_row

    row = event_row(side["event"])
    row["doc_id"] = side["doc_id"]
    row["outlet"] = side.get("outlet")
    return row


def _kind(a: dict[str, Any], b: dict[str, Any]) -> str:
    ea, eb = a["event"], b["event"]
    la, lb = ea["location"] or {}, eb["location"] or {}
    days = abs((date.fromisoformat(ea["date"]) - date.fromisoformat(eb["date"])).days)
    same_place = la.get("name") == lb.get("name") or (
        la.get("admin1") == lb.get("admin1") and la.get("country") == lb.get("country")
    )
    if same_place and days > 0:
        return "same place, different day"
    if days <= 1 and not same_place:
        return "same day, different place"
    if same_place:
        return "same place, same day"
    return "same country"


def build(reports_path: Path) -> list[dict[str, Any]]:
    """Labelled pairs from hand-coded reports (see the module docstring)."""
    reports = [json.loads(x) for x in reports_path.read_text(encoding="utf-8").splitlines() if x]
    pairs: list[dict[str, Any]] = []
    for a, b in itertools.combinations(reports, 2):
        if a["doc_id"] == b["doc_id"]:
            continue
        side_a = {k: a[k] for k in ("doc_id", "outlet", "published", "event")}
        side_b = {k: b[k] for k in ("doc_id", "outlet", "published", "event")}
        if a["occurrence"] == b["occurrence"]:
            pairs.append({"label": "same", "kind": "same occurrence", "a": side_a, "b": side_b})
            continue
        ea, eb = a["event"], b["event"]
        days = abs((date.fromisoformat(ea["date"]) - date.fromisoformat(eb["date"])).days)
        same_country = ea["location"]["country"] == eb["location"]["country"]
        if same_country or days <= 2:
            pairs.append({"label": "different", "kind": _kind(a, b), "a": side_a, "b": side_b})
    for i, p in enumerate(pairs):
        p["pair_id"] = i
    return pairs


def evaluate(pairs: list[dict[str, Any]], show_errors: bool = False) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of :func:`marsad.store.dedup.decide` on ``pairs``."""
    from marsad.store.dedup import decide

    tp = fp = fn = tn = 0
    by_kind: Counter[tuple[str, bool]] = Counter()
    errors = []
    for p in pairs:
        d = decide(_report(p["a"]), _report(p["b"]))
        gold = p["label"] == "same"
        by_kind[(p["kind"], d.same == gold)] += 1
        if d.same and gold:
            tp += 1
        elif d.same:
            fp += 1
            errors.append(("false link", p, d.reason))
        elif gold:
            fn += 1
            errors.append(("missed", p, d.reason))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if show_errors:
        for what, p, reason in errors:
            ea, eb = p["a"]["event"], p["b"]["event"]
            print(
                f"{what:10s} [{reason or '-'}] {p['kind']}: "
                f"{ea['event_id']} {ea['date']} {ea['sub_event_type']} {ea['location']['name']} | "
                f"{eb['event_id']} {eb['date']} {eb['sub_event_type']} {eb['location']['name']}"
            )
    kinds = sorted({k for k, _ in by_kind})
    return {
        "pairs": len(pairs),
        "positives": tp + fn,
        "negatives": fp + tn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "accuracy_by_kind": {
            k: f"{by_kind[(k, True)]}/{by_kind[(k, True)] + by_kind[(k, False)]}" for k in kinds
        },
    }


def extracted_pairs(reports_path: Path, corpus: Path) -> list[dict[str, Any]]:
    """Pairs of events that the extraction pipeline finds in the same articles.

    Each extracted event whose evidence overlaps the evidence of a hand-coded report
    takes that report's occurrence; the others are left out. This measures linking on
    real extractor output (wrong types, places or dates included).
    """
    import gzip

    from marsad.extract import Extractor
    from marsad.ingest.readers import Record

    reports = [json.loads(x) for x in reports_path.read_text(encoding="utf-8").splitlines() if x]
    wanted = {r["doc_id"] for r in reports}
    articles: dict[str, dict[str, Any]] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            if any(w in line[:40] for w in wanted):
                d = json.loads(line)
                if d["doc_id"] in wanted:
                    articles[d["doc_id"]] = d
    ext = Extractor()
    coded: list[dict[str, Any]] = []
    for doc_id in sorted(articles):
        a = articles[doc_id]
        rec = Record(
            doc_id=doc_id,
            text=a["text"],
            title=a["title"],
            published=a["published"],
            outlet=a["outlet"],
        )
        out = ext.extract_record(rec)
        mine = [r for r in reports if r["doc_id"] == doc_id]
        for ev in out["events"]:
            spans = [(e["start"], e["end"]) for e in ev.get("evidence") or []]
            for r in mine:
                ref = [(e["start"], e["end"]) for e in r["event"]["evidence"]]
                if any(s < re_ and rs < e for s, e in spans for rs, re_ in ref):
                    coded.append(
                        {
                            **{k: r[k] for k in ("doc_id", "outlet", "published", "occurrence")},
                            "event": ev,
                        }
                    )
                    break
    tmp = [json.dumps(c, ensure_ascii=False) for c in coded]
    path = Path(reports_path).with_suffix(".extracted.tmp")
    path.write_text("\n".join(tmp) + "\n", encoding="utf-8")
    try:
        return build(path)
    finally:
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("pairs", nargs="?", default=str(DATA / "dedup_pairs.jsonl"))
    ap.add_argument("--build", metavar="REPORTS", help="write PAIRS from hand-coded reports")
    ap.add_argument("--errors", action="store_true", help="list every wrong decision")
    ap.add_argument(
        "--extracted",
        metavar="REPORTS",
        help="score pairs of events the pipeline extracts from the articles of REPORTS",
    )
    ap.add_argument(
        "--corpus",
        default=str(REPO.parent / "shared/data/corpora/saudinewsnet.jsonl.gz"),
        help="SaudiNewsNet (for --extracted)",
    )
    args = ap.parse_args(argv)
    if args.build:
        pairs = build(Path(args.build))
        with open(args.pairs, "w", encoding="utf-8") as fh:
            for p in pairs:
                fh.write(json.dumps(p, ensure_ascii=False) + "\n")
        labels = Counter(p["kind"] for p in pairs)
        print(f"wrote {len(pairs)} pairs to {args.pairs}: {dict(labels)}", file=sys.stderr)
        return 0
    if args.extracted:
        pairs = extracted_pairs(Path(args.extracted), Path(args.corpus))
    else:
        pairs = [
            json.loads(x) for x in Path(args.pairs).read_text(encoding="utf-8").splitlines() if x
        ]
    print(json.dumps(evaluate(pairs, args.errors), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
