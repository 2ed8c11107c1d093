"""``marsad ner``: tag Arabic named entities (PERS, LOC, ORG, MISC).

* ``marsad ner --conll FILE``: FILE has one ``token [anything...]`` a line and blank
  lines between sentences (ANERcorp format); each line is written back unchanged with
  the predicted BIO tag appended as its last column.
* ``marsad ner [FILE]``: plain text (FILE or standard input); one JSON object per
  entity is printed: ``{"start", "end", "type", "text", "score"}`` with character
  offsets into the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from marsad.errors import InputError
from marsad.mentions.ner import NerModel, tag_text


def add_parser(subparsers: Any) -> None:
    """Register the ``ner`` sub-command."""
    p = subparsers.add_parser(
        "ner",
        help="tag named entities (PERS, LOC, ORG, MISC)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", type=Path, help="plain text file (default: stdin)")
    p.add_argument("--conll", type=Path, metavar="FILE", help="token-per-line file to tag")
    p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    p.add_argument("--model", type=Path, help="model folder (default: the packaged one)")
    p.set_defaults(func=run)


def _read(path: Path | None) -> str:
    if path is None:
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def conll_sentences(lines: list[str]) -> list[list[int]]:
    """Indexes of the non-blank lines of ``lines`` grouped into sentences."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, line in enumerate(lines):
        if line.strip():
            cur.append(i)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def tag_conll(model: NerModel, text: str) -> Iterable[str]:
    """Lines of a CoNLL text, each non-blank one with its predicted tag appended."""
    lines = text.splitlines()
    groups = conll_sentences(lines)
    sents = [[lines[i].split()[0] for i in g] for g in groups]
    tags: dict[int, str] = {}
    for g, tagged in zip(groups, model.tag_document(sents), strict=True):
        tags.update(zip(g, tagged.tags, strict=True))
    for i, line in enumerate(lines):
        yield f"{line.rstrip()} {tags[i]}" if i in tags else line


def run(args: argparse.Namespace) -> int:
    """Run ``marsad ner``."""
    model = NerModel.load(args.model)
    out: TextIO = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.conll is not None:
            for line in tag_conll(model, _read(args.conll)):
                out.write(line + "\n")
        else:
            for ent in tag_text(model, _read(args.file)):
                out.write(json.dumps(ent, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0
