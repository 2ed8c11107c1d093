"""``marsad evaluate GOLD.jsonl [--system OUT.jsonl] [--json] [--articles] [--errors]``.

Scores events against a gold file with :mod:`marsad.evaluate`. Without ``--system`` the
gold articles are extracted first (and the extraction speed is reported). The plain text
report always ends with a summary block of at most 12 lines, so ``| tail -n 12`` shows it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from marsad.errors import ConfigError
from marsad.evaluate import (
    COUNT_FIELDS,
    Event,
    GoldArticle,
    Report,
    Tally,
    load_gold,
    load_system,
    score,
)


def add_parser(subparsers: Any) -> None:
    """Register the ``evaluate`` sub-command."""
    p = subparsers.add_parser(
        "evaluate",
        help="score extracted events against a gold file",
        description=(
            "Score events against a gold JSONL file (spec/EVENTS.md §4): event precision, "
            "recall and F1, and per-field accuracy on matched events. Without --system the "
            "gold articles are extracted first."
        ),
    )
    p.add_argument("gold", help="gold JSONL file (one annotated article a line)")
    p.add_argument(
        "--system", metavar="OUT.jsonl", help="score this `marsad extract` output instead"
    )
    p.add_argument("--json", action="store_true", help="print the whole report as one JSON object")
    p.add_argument("--articles", action="store_true", help="add a per-article table")
    p.add_argument(
        "--errors",
        action="store_true",
        help="add type confusions, missed and spurious events, and field errors",
    )
    p.set_defaults(func=run)


def extract_gold(gold_path: str) -> tuple[dict[str, list[Event]], dict[str, Any]]:
    """Run the extractor on the gold file's articles; return (doc_id → events, timing)."""
    try:
        from marsad.extract import Extractor
        from marsad.ingest.readers import read_inputs
    except ImportError as exc:
        raise ConfigError(
            f"the extractor cannot be loaded ({exc}); score an existing output with --system"
        ) from exc
    t0 = time.perf_counter()
    extractor = Extractor()
    extractor.warm_up()
    t1 = time.perf_counter()
    system: dict[str, list[Event]] = {}
    failed = 0
    for rec in read_inputs([gold_path]):
        line = extractor.extract_record(rec)
        failed += "error" in line
        system.setdefault(str(line["doc_id"]), []).extend(line.get("events") or [])
    t2 = time.perf_counter()
    n = len(system)
    timing = {
        "articles": n,
        "failed": failed,
        "load_s": round(t1 - t0, 3),
        "extract_s": round(t2 - t1, 3),
        "articles_per_s": round(n / (t2 - t1), 3) if t2 > t1 else None,
    }
    return system, timing


def run(args: argparse.Namespace) -> int:
    gold = load_gold(args.gold)
    timing: dict[str, Any] | None = None
    if args.system:
        system = load_system(args.system)
    else:
        system, timing = extract_gold(args.gold)
    report = score(gold, system)
    out = sys.stdout
    if args.json:
        obj = {"gold_file": args.gold, "system_file": args.system, **report.to_dict()}
        obj["timing"] = timing
        json.dump(obj, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if args.articles:
        print_articles(report, out)
    if args.errors:
        print_errors(report, gold, out)
    for w in report.warnings:
        print(f"warning: {w}", file=out)
    print_summary(report, args.gold, len(gold), timing, out)
    return 0


# --------------------------------------------------------------------------- text output


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _acc(t: Tally) -> str:
    return f"{_f(t.accuracy)} ({t.correct}/{t.total})"


def print_summary(
    report: Report, gold_file: str, n_articles: int, timing: Mapping[str, Any] | None, out: TextIO
) -> None:
    """The closing block (at most 12 lines): event P/R/F1 and every field accuracy."""
    e, f = report.events, report.fields
    lines = [
        f"== marsad evaluate {gold_file}: {n_articles} articles ==",
        f"events   P {_f(e.precision)}  R {_f(e.recall)}  F1 {_f(e.f1)}"
        f"   (gold {e.gold}, system {e.system}, matched {e.matched})",
        f"type     sub_event_type {_acc(f['sub_event_type'])}",
        f"time     date {_acc(f['date'])}  time_precision {_acc(f['time_precision'])}",
        f"place    location {_acc(f['location'])}  geo_precision {_acc(f['geo_precision'])}",
        f"         country {_acc(f['country'])}  admin1 {_acc(f['admin1'])}",
        f"actors   {_acc(f['actors'])} sides   sources {_acc(f['sources'])}",
        "counts   " + "  ".join(f"{c} {_acc(f[c])}" for c in COUNT_FIELDS[:2]),
        "         " + "  ".join(f"{c} {_acc(f[c])}" for c in COUNT_FIELDS[2:]),
    ]
    if timing is not None:
        lines.append(
            f"speed    {timing['articles_per_s']} articles/s ({timing['articles']} articles in "
            f"{timing['extract_s']} s, load {timing['load_s']} s, {timing['failed']} failed)"
        )
    print("\n".join(lines), file=out)


def print_articles(report: Report, out: TextIO) -> None:
    """Per-article table: doc_id, gold, system, matched, P, R, F1."""
    width = max([len("doc_id")] + [len(a["doc_id"]) for a in report.articles])
    print(f"{'doc_id':<{width}}  gold  sys  match      P      R     F1", file=out)
    for a in report.articles:
        print(
            f"{a['doc_id']:<{width}}  {a['gold']:>4} {a['system']:>4} {a['matched']:>6}"
            f"  {_f(a['precision'])}  {_f(a['recall'])}  {_f(a['f1'])}",
            file=out,
        )
    print(file=out)


def _value(v: Any) -> str:
    if isinstance(v, Mapping):  # a location
        coords = f" ({v.get('lat')}, {v.get('lon')})" if v.get("lat") is not None else ""
        return f"{v.get('text')}{coords}"
    if isinstance(v, list | tuple):
        return "[" + "; ".join(_value(x) for x in v) + "]"
    return "null" if v is None else str(v)


def _brief(ev: Mapping[str, Any]) -> str:
    return (
        f"{ev['event_type']} / {ev['sub_event_type']}  {ev['date']}  @{ev['location']}"
        f"\n      «{ev['evidence']}»"
    )


def print_errors(report: Report, gold: Sequence[GoldArticle], out: TextIO) -> None:
    """Confusions, false negatives and positives, and field errors on matched events."""

    def section(title: str) -> None:
        print(f"-- {title}", file=out)

    section("event_type confusion (unmatched gold → unmatched system, by evidence overlap)")
    for (g, s), n in report.type_confusion.most_common():
        print(f"  {n:>3}  {g}  →  {s}", file=out)
    section("sub_event_type confusion on matched events (gold → system)")
    for (g, s), n in report.subtype_confusion.most_common():
        print(f"  {n:>3}  {g}  →  {s}", file=out)
    section("missed gold events by type / spurious system events by type")
    for t in sorted(set(report.missed_by_type) | set(report.spurious_by_type)):
        print(
            f"  {t}: missed {report.missed_by_type[t]}, spurious {report.spurious_by_type[t]}",
            file=out,
        )
    section(f"false negatives ({len(report.false_negatives)})")
    for ev in report.false_negatives:
        print(f"  {ev['doc_id']} g{ev['index']}  {_brief(ev)}", file=out)
    section(f"false positives ({len(report.false_positives)})")
    for ev in report.false_positives:
        print(f"  {ev['doc_id']} s{ev['index']}  {_brief(ev)}", file=out)
    section(f"field errors on matched events ({len(report.field_errors)})")
    for fe in sorted(report.field_errors, key=lambda x: (x["field"], x["doc_id"])):
        print(
            f"  {fe['field']:<14} {fe['doc_id']} g{fe['gold_index']}~s{fe['system_index']}"
            f"  gold {_value(fe['gold'])}  |  system {_value(fe['system'])}",
            file=out,
        )
    print(file=out)
