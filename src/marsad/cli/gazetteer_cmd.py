"""``marsad gazetteer``: import places into the user overlay, look names up.

``marsad gazetteer import geonames SY.txt`` reads a GeoNames country dump;
``marsad gazetteer import csv FILE --map name_ar=ADM3_AR,lat=Lat,...`` reads any CSV
table (an OCHA COD gazetteer, for instance). Both add their places to the overlay file
that the default gazetteer merges: ``--out``, else the first file of
``$MARSAD_GAZETTEER_EXTRA``, else ``~/.local/share/marsad/gazetteer-user.tsv.gz``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.resolve.gazetteer import (
    CSV_FIELDS,
    DEFAULT_USER_FILE,
    EXTRA_ENV,
    Gazetteer,
    csv_rows,
    geonames_dump_rows,
    parse_csv_map,
    write_overlay,
)


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "gazetteer",
        help="import places into the user gazetteer; look place names up",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    gsub = p.add_subparsers(dest="gazetteer_command", metavar="ACTION")
    gsub.required = True

    imp = gsub.add_parser("import", help="add places from a file to the user overlay")
    isub = imp.add_subparsers(dest="format", metavar="FORMAT")
    isub.required = True

    g = isub.add_parser("geonames", help="a GeoNames country dump (SY.txt, IQ.txt, ...)")
    g.add_argument("file", type=Path, help="the dump (tab-separated, 19 columns)")
    g.add_argument("--out", type=Path, help="overlay file to write (.tsv or .tsv.gz)")
    g.set_defaults(func=run_import_geonames)

    c = isub.add_parser("csv", help="a CSV table, columns mapped with --map")
    c.add_argument("file", type=Path, help="the CSV file (first line: column names)")
    c.add_argument(
        "--map",
        required=True,
        metavar="SPEC",
        help=(
            "comma-separated field=COLUMN or field:=CONSTANT; fields: "
            + ", ".join(CSV_FIELDS)
            + " (alt_ar=COL1|COL2 for several columns); name_ar is required"
        ),
    )
    c.add_argument("--id-prefix", default="user", help="prefix of the place ids (default user)")
    c.add_argument("--delimiter", default=",", help="field separator (default ,)")
    c.add_argument("--out", type=Path, help="overlay file to write (.tsv or .tsv.gz)")
    c.set_defaults(func=run_import_csv)

    lk = gsub.add_parser("lookup", help="print the places a name may refer to")
    lk.add_argument("names", nargs="+", metavar="NAME", help="place names in Arabic")
    lk.set_defaults(func=run_lookup)


def overlay_path(out: Path | None) -> Path:
    """Where an import writes (see the module docstring)."""
    if out is not None:
        return out
    env = os.environ.get(EXTRA_ENV, "").strip()
    if env:
        return Path(env.split(os.pathsep)[0]).expanduser()
    return DEFAULT_USER_FILE


def run_import_geonames(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    out = overlay_path(args.out)
    with args.file.open(encoding="utf-8") as fh:
        n = write_overlay(out, geonames_dump_rows(fh), src="geonames-import")
    print(f"{n} places from {args.file} written to {out}", file=sys.stderr)
    return 0


def run_import_csv(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    mapping = parse_csv_map(args.map)
    out = overlay_path(args.out)
    with args.file.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=args.delimiter)
        n = write_overlay(out, csv_rows(reader, mapping, args.id_prefix), src="csv-import")
    print(f"{n} places from {args.file} written to {out}", file=sys.stderr)
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    gaz = Gazetteer.load_default()
    for name in args.names:
        for p in gaz.lookup(name):
            print(
                json.dumps(
                    {"query": name, **{k: getattr(p, k) for k in p.__slots__}},
                    ensure_ascii=False,
                )
            )
    return 0
