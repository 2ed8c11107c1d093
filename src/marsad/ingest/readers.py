"""Input readers for ``marsad extract`` (see ``spec/IO.md``).

Accepted inputs, in any mix: ``.txt`` files (one article each), ``.jsonl`` files (one
article a line), ``.html``/``.htm`` pages, RSS/Atom feeds (``.xml``, ``.rss``, ``.atom``),
directories (every such file under them, in sorted order) and ``-`` (JSONL on standard
input). A record that cannot be read still comes out, with ``error`` set, so that the
caller can write its output line and go on.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from marsad.errors import InputError

log = logging.getLogger(__name__)

#: Extensions read when a directory is given.
DIRECTORY_SUFFIXES = (".txt", ".jsonl", ".html", ".htm", ".xml", ".rss", ".atom")

#: Articles longer than this (characters) are refused with an error line.
MAX_CHARS = 2_000_000


@dataclass(slots=True)
class Record:
    """One input article, or the reason it could not be read."""

    doc_id: str
    text: str | None
    title: str = ""
    published: str | None = None
    outlet: str = ""
    url: str = ""
    source: str = ""
    line: int | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def read_inputs(
    paths: Sequence[str], published: str | None = None, max_chars: int = MAX_CHARS
) -> Iterator[Record]:
    """Yield every article of ``paths`` in input order.

    ``published`` (YYYY-MM-DD) is used for articles that carry no date of their own.
    """
    for p in paths:
        if p == "-":
            yield from _read_jsonl_stream(sys.stdin, "<stdin>", published, max_chars)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(
                f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in DIRECTORY_SUFFIXES
            )
            if not files:
                log.warning("directory %s holds no .txt or .jsonl file", path)
            for f in files:
                yield from _read_file(f, published, max_chars)
        elif path.is_file():
            yield from _read_file(path, published, max_chars)
        else:
            raise InputError(f"{p}: no such file or directory")


def _read_file(path: Path, published: str | None, max_chars: int) -> Iterator[Record]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        try:
            with path.open("r", encoding="utf-8", errors="strict", newline="") as fh:
                yield from _read_jsonl_stream(fh, str(path), published, max_chars)
        except UnicodeDecodeError as exc:
            yield Record(path.stem, None, source=str(path), error=f"not UTF-8 text: {exc}")
        return
    if suffix in (".html", ".htm", ".xml", ".rss", ".atom"):
        from marsad.ingest.web import read_web_file

        yield from read_web_file(path, published, max_chars)
        return
    yield _read_txt(path, published, max_chars)


def _read_txt(path: Path, published: str | None, max_chars: int) -> Record:
    doc_id = path.stem
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Record(doc_id, None, source=str(path), error=f"cannot read file: {exc}")
    rec = Record(doc_id, None, published=published, source=str(path))
    rec.text, rec.error = decode_text(raw, max_chars)
    return rec


def decode_text(raw: bytes, max_chars: int = MAX_CHARS) -> tuple[str | None, str | None]:
    """Decode an article's bytes; return (text, None) or (None, reason)."""
    if not raw.strip():
        return None, "empty input: the file holds no text"
    if b"\x00" in raw[:8192]:
        return None, "binary file: NUL bytes found; give a UTF-8 text file"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text ({exc.reason} at byte {exc.start}); re-encode it as UTF-8"
    return check_text(text, max_chars)


def check_text(text: Any, max_chars: int = MAX_CHARS) -> tuple[str | None, str | None]:
    """Validate an article text value; return (text, None) or (None, reason)."""
    if not isinstance(text, str):
        return None, f"'text' must be a string, got {type(text).__name__}"
    if not text.strip():
        return None, "empty text"
    if len(text) > max_chars:
        return None, (
            f"article too long: {len(text):,} characters > limit {max_chars:,}; "
            "split it into articles or raise --max-chars"
        )
    return text, None


def _read_jsonl_stream(
    fh: TextIO | io.TextIOWrapper, name: str, published: str | None, max_chars: int
) -> Iterator[Record]:
    stem = Path(name).name
    for lineno, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        fallback_id = f"{stem}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(fallback_id, None, source=name, line=lineno, error=f"broken JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield Record(
                fallback_id, None, source=name, line=lineno, error="line is not a JSON object"
            )
            continue
        yield record_from_mapping(obj, fallback_id, name, lineno, published, max_chars, "line")


#: Fields of an input object (spec/IO.md); others are kept as the record's extras.
KNOWN_FIELDS = frozenset({"doc_id", "text", "title", "published", "outlet", "url"})


def record_from_mapping(
    obj: Mapping[str, Any],
    fallback_id: str,
    source: str,
    line: int,
    published: str | None,
    max_chars: int,
    unit: str,
) -> Record:
    """The record of one input object (a JSONL line, an item of an API request): its
    fields per spec/IO.md, the rest as extras; ``unit`` names it in the error when it has
    no ``text``."""
    doc_id = obj.get("doc_id")
    rec = Record(
        str(doc_id) if doc_id not in (None, "") else fallback_id,
        None,
        title=str(obj.get("title") or ""),
        published=str(obj["published"]) if obj.get("published") else published,
        outlet=str(obj.get("outlet") or ""),
        url=str(obj.get("url") or ""),
        source=source,
        line=line,
        extra={k: v for k, v in obj.items() if k not in KNOWN_FIELDS},
    )
    if "text" not in obj:
        rec.error = f"no 'text' field in this {unit}"
    else:
        rec.text, rec.error = check_text(obj["text"], max_chars)
    return rec
