"""The ``marsad`` command line: one sub-command per module in ``COMMANDS``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from marsad.errors import MarsadError

#: Modules that each define ``add_parser(subparsers)``; the parser's ``func`` default
#: is called with the parsed arguments and returns the exit status.
COMMANDS: tuple[str, ...] = (
    "marsad.cli.extract_cmd",
    "marsad.cli.evaluate_cmd",
    "marsad.cli.ner_cmd",
    "marsad.cli.gazetteer_cmd",
    "marsad.cli.store_cmd",
    "marsad.cli.serve_cmd",
    "marsad.cli.batch_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad",
        description="Arabic conflict news to structured event data.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for mod_name in COMMANDS:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name != mod_name:
                raise
            continue
        mod.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="marsad: %(levelname)s: %(message)s")
    try:
        return int(args.func(args))
    except MarsadError as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
