"""``marsad extract``: articles in, one JSON line of events per article out (spec/IO.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from marsad.errors import InputError
from marsad.extract import Extractor
from marsad.ingest.readers import MAX_CHARS, read_inputs


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "extract",
        help="extract events from articles (.txt, .jsonl, directories, - for stdin)",
        description="Write one JSON line per input article with its events (spec/IO.md).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt/.jsonl file, directory or -")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of stdout")
    p.add_argument(
        "--published", metavar="YYYY-MM-DD", help="publication date for articles without one"
    )
    p.add_argument("--max-chars", type=int, default=MAX_CHARS, help="longest article accepted")
    p.add_argument("--pretty", action="store_true", help="indented JSON (not JSONL)")
    p.add_argument(
        "--pipeline", metavar="STAGES", help="comma-separated stage names (default pipeline)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.published:
        from marsad.extract import parse_published

        parse_published(args.published)  # fail early on a bad date
    names = args.pipeline.split(",") if args.pipeline else None
    extractor = Extractor(names)
    extractor.warm_up()
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    n = failed = 0
    try:
        for rec in read_inputs(args.paths, published=args.published, max_chars=args.max_chars):
            line = extractor.extract_record(rec)
            n += 1
            failed += "error" in line
            if args.pretty:
                out.write(json.dumps(line, ensure_ascii=False, indent=2) + "\n")
            else:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    if n == 0:
        raise InputError("no articles found in the given paths")
    return 1 if failed == n else 0
