"""``marsad ingest|reprocess|runs|query|export|dedupe``: the event store from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from marsad.errors import StoreError

#: Export formats (kept here so that building the parser does not import the store).
FORMATS = ("acled-csv", "hxl", "geojson", "jsonl", "parquet")


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="sqlite:///PATH or postgresql://USER@HOST/DB (default $MARSAD_DB or sqlite:///marsad.db)",
    )


def _add_filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="events on or after")
    g.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="events on or before")
    g.add_argument("--country", help="ISO code or English name")
    g.add_argument("--admin1", help="governorate / province (English)")
    g.add_argument("--type", dest="event_type", help="event type, e.g. Battles")
    g.add_argument("--sub-type", dest="sub_event_type", help="sub-event type, e.g. 'Armed clash'")
    g.add_argument("--actor", help="actor name or alias (Arabic or English)")
    g.add_argument("--bbox", metavar="MINLON,MINLAT,MAXLON,MAXLAT", help="bounding box")
    g.add_argument("--min-fatalities", type=int, metavar="N")
    g.add_argument("--text", help="Arabic words the reporting articles contain")
    g.add_argument("--limit", type=int, metavar="N")
    g.add_argument(
        "--run",
        dest="run_id",
        type=int,
        metavar="ID",
        help="the reports of one run (implies --reports)",
    )
    p.add_argument(
        "--reports",
        action="store_true",
        help="every report (one row per extracted event) instead of canonical events",
    )


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    keys = (
        "date_from",
        "date_to",
        "country",
        "admin1",
        "event_type",
        "sub_event_type",
        "actor",
        "bbox",
        "min_fatalities",
        "text",
        "limit",
        "run_id",
    )
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def count_inputs(paths: list[str]) -> int | None:
    """How many articles ``paths`` hold (for the progress ETA); ``None`` for standard input.

    A ``.jsonl`` file counts its non-empty lines, any other file one article, a
    directory the files ``marsad extract`` would read under it.
    """
    from pathlib import Path

    from marsad.ingest.readers import DIRECTORY_SUFFIXES

    def one(path: Path) -> int:
        if path.suffix.lower() == ".jsonl":
            with path.open("rb") as fh:
                return sum(1 for line in fh if line.strip())
        return 1

    total = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        if path.is_dir():
            total += sum(
                one(f)
                for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in DIRECTORY_SUFFIXES
            )
        elif path.is_file():
            total += one(path)
    return total


def _progress(total: int | None, label: str) -> Any:
    from marsad.store.progress import Progress

    return Progress(total, label=label)


def _open(args: argparse.Namespace) -> Any:
    from marsad.store import Store

    return Store(args.db)


def run_ingest(args: argparse.Namespace) -> int:
    from marsad.extract import Extractor

    store = _open(args)
    try:
        extractor = Extractor()
        extractor.warm_up()
        result = store.ingest(
            args.paths,
            extractor,
            published=args.published,
            batch_size=args.batch_size,
            progress=_progress(count_inputs(args.paths) if sys.stderr.isatty() else None, "ingest"),
        )
    finally:
        store.close()
    print(f"marsad: {result.summary()} (run {result.run_id})", file=sys.stderr)
    for doc_id, reason in result.failures[:20]:
        print(f"marsad: failed: {doc_id}: {reason}", file=sys.stderr)
    if len(result.failures) > 20:
        print(f"marsad: ... and {len(result.failures) - 20} more failures", file=sys.stderr)
    attempted = result.new + result.changed + result.failed
    return 1 if attempted and result.failed == attempted else 0


def run_reprocess(args: argparse.Namespace) -> int:
    from marsad.extract import Extractor

    store = _open(args)
    extractor = Extractor()
    extractor.warm_up()
    try:
        result = store.reprocess(
            extractor,
            force=args.force,
            batch_size=args.batch_size,
            progress=_progress(None, "reprocess"),
        )
    finally:
        store.close()
    print(
        f"marsad: re-extracted {result.changed} articles, {result.events} events, "
        f"{result.failed} failed, {result.canonical} canonical events (run {result.run_id})",
        file=sys.stderr,
    )
    return 0


def run_runs(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        for r in store.runs():
            print(
                f"{r['id']:>4}  {r['kind']:<9}  {r['started_at']:%Y-%m-%d %H:%M}  "
                f"{r['n_articles']:>6} articles  {r['n_events']:>6} events  "
                f"{r['n_failures']:>4} failed  {r['pipeline_version']}"
            )
    finally:
        store.close()
    return 0


def run_dedupe(args: argparse.Namespace) -> int:
    store = _open(args)
    try:
        n = store.relink()
        counts = store.counts()
    finally:
        store.close()
    print(f"marsad: {counts['events']} reports linked to {n} canonical events", file=sys.stderr)
    return 0


_TABLE_COLS = (
    ("date", 10),
    ("event_type", 26),
    ("sub_event_type", 30),
    ("country", 2),
    ("admin1", 14),
    ("location", 16),
    ("actor1", 24),
    ("actor2", 24),
    ("fatalities", 5),
    ("n", 3),
)


def _cell(value: Any, width: int) -> str:
    s = "" if value is None else str(value)
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _table(rows: list[dict[str, Any]], reports: bool) -> str:
    lines = ["  ".join(name[:w].ljust(w) for name, w in _TABLE_COLS)]
    for r in rows:
        vals = dict(r)
        vals["location"] = r.get("location_name") or r.get("location_text")
        vals["n"] = 1 if reports else r.get("n_reports")
        lines.append("  ".join(_cell(vals.get(name), w).ljust(w) for name, w in _TABLE_COLS))
    return "\n".join(lines)


def run_query(args: argparse.Namespace) -> int:
    from marsad.store.export import event_records

    store = _open(args)
    try:
        filters = _filters(args)
        if args.format == "jsonl" or (args.format == "auto" and not sys.stdout.isatty()):
            for rec in event_records(store, reports=args.reports, **filters):
                sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        else:
            rows = store.query(reports=args.reports, **filters)
            print(_table(rows, args.reports))
            print(f"({len(rows)} {'reports' if args.reports else 'events'})", file=sys.stderr)
    finally:
        store.close()
    return 0


def run_export(args: argparse.Namespace) -> int:
    from marsad.store.export import export

    store = _open(args)
    try:
        n = export(store, args.format, args.output, reports=args.reports, **_filters(args))
    finally:
        store.close()
    where = args.output if args.output and args.output != "-" else "standard output"
    print(
        f"marsad: wrote {n} {'reports' if args.reports else 'events'} to {where}", file=sys.stderr
    )
    return 0


def add_parser(subparsers: Any) -> None:
    """Register ``ingest``, ``reprocess``, ``runs``, ``query``, ``export`` and ``dedupe``."""
    p = subparsers.add_parser(
        "ingest",
        help="extract articles and store them (idempotent)",
        description="Read articles exactly as `marsad extract` does, extract events and store "
        "everything. Articles already stored with the same text are skipped; changed text "
        "becomes a new version.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.jsonl files, directories or -")
    _add_db(p)
    p.add_argument("--published", metavar="YYYY-MM-DD", help="date for articles without one")
    p.add_argument("--batch-size", type=int, default=50, help="articles per commit (default 50)")
    p.set_defaults(func=run_ingest)

    p = subparsers.add_parser(
        "reprocess",
        help="re-extract stored articles with the current pipeline",
        description="Re-extract every stored article; earlier runs' events are kept.",
    )
    _add_db(p)
    p.add_argument(
        "--force", action="store_true", help="also articles already done by this version"
    )
    p.add_argument("--batch-size", type=int, default=50)
    p.set_defaults(func=run_reprocess)

    p = subparsers.add_parser("runs", help="list ingest and reprocess runs")
    _add_db(p)
    p.set_defaults(func=run_runs)

    p = subparsers.add_parser("dedupe", help="relink reports of the same occurrence")
    _add_db(p)
    p.set_defaults(func=run_dedupe)

    p = subparsers.add_parser("query", help="list stored events matching filters")
    _add_db(p)
    _add_filters(p)
    p.add_argument(
        "--format",
        choices=("auto", "table", "jsonl"),
        default="auto",
        help="table on a terminal, JSONL otherwise (default auto)",
    )
    p.set_defaults(func=run_query)

    p = subparsers.add_parser(
        "export", help="export events: ACLED CSV, HXL, GeoJSON, JSONL, Parquet"
    )
    _add_db(p)
    p.add_argument("--format", choices=FORMATS, default="acled-csv")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default standard output)")
    _add_filters(p)
    p.set_defaults(func=run_export)


__all__ = ["StoreError", "add_parser"]
