"""Check an actor registry file and report what a maintainer should look at.

Usage: python scripts/validate_registry.py [path/to/actors.yaml]

Validates the file against ``actors.schema.json`` (exit status 1 on errors), then lists
alias keys shared by more than one actor (ambiguities the article's country must settle)
and the counts of actors, aliases and generic rules.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

import yaml

from marsad.errors import DataError
from marsad.resolve.actors import ActorRegistry, default_schema, validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, help="registry YAML (default: packaged)")
    args = parser.parse_args(argv)
    if args.path is None:
        text = resources.files("marsad").joinpath("data/actors.yaml").read_text("utf-8")
    else:
        text = args.path.read_text("utf-8")
    data = yaml.safe_load(text)
    errors = validate(data, default_schema())
    for err in errors:
        print(f"schema: {err}", file=sys.stderr)
    if errors:
        return 1
    try:
        reg = ActorRegistry.from_yaml(text)
    except DataError as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 1
    shared = reg.ambiguous_keys()
    for key, names in sorted(shared.items()):
        print(f"ambiguous alias key {key!r}: {', '.join(names)}")
    n_aliases = sum(len(a["aliases"]) for a in data["actors"])
    print(
        f"ok: {len(data['actors'])} named actors, {n_aliases} aliases, "
        f"{len(data['generic'])} generic rules, {len(reg)} names after expansion, "
        f"{len(shared)} ambiguous keys"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
