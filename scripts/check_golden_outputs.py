"""Dump and compare the pipeline's outputs, to check that a speed-up changes nothing.

Runs ``Extractor`` over the first N articles of a marsad JSONL corpus (default: the first
2,000 of SaudiNewsNet) and writes, per document, one JSON line holding the IO.md output
line and every PLACE/TRIGGER/CASUALTY/CUE/TIME/NUM span (start, end, label, attributes
with sorted keys)::

    python scripts/check_golden_outputs.py dump /tmp/golden_before.jsonl
    # ... change the code ...
    python scripts/check_golden_outputs.py dump /tmp/golden_after.jsonl
    python scripts/check_golden_outputs.py diff /tmp/golden_before.jsonl /tmp/golden_after.jsonl

``check BEFORE`` does the second dump to a temporary file and the diff in one go.

While other files change under you, compare like with like: ``against REV PATH...``
copies ``src/`` as it is now twice, puts PATHs back as they were at git revision REV in
one copy, dumps both copies (two processes) and diffs them::

    python scripts/check_golden_outputs.py against HEAD src/marsad/mentions/places.py

The exit status of ``diff``/``check``/``against`` is 1 when any document differs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.errors import DocumentError
from marsad.extract import Extractor, doc_to_output, record_to_doc
from marsad.ingest.readers import Record, check_text

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "corpora" / "saudinewsnet.jsonl.gz"
#: Mention labels whose spans are dumped.
LABELS = ("PLACE", "TRIGGER", "CASUALTY", "CUE", "TIME", "NUM")


def records(path: Path, n: int) -> Iterator[Record]:
    """The first ``n`` records of a JSONL corpus (gzipped or not)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for i, line in enumerate(fh):
            if i >= n:
                break
            obj = json.loads(line)
            text, err = check_text(obj.get("text"))
            yield Record(str(obj.get("doc_id", i)), text, published=obj.get("published"), error=err)


def _plain(value: Any) -> Any:
    """A JSON-able copy of an attribute value (tuples as lists, sets sorted, dates as text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def dump_record(ex: Extractor, rec: Record) -> dict[str, Any]:
    """Output line and labelled spans of one record (or its error)."""
    try:
        doc = ex.extract_doc(record_to_doc(rec))
    except DocumentError as exc:
        return {"doc_id": rec.doc_id, "error": str(exc)}
    spans = {
        label: [[s.start, s.end, s.label, _plain(s.attrs)] for s in doc.spans(label)]
        for label in LABELS
    }
    return {"doc_id": rec.doc_id, "output": _plain(doc_to_output(doc)), "spans": spans}


def dump(corpus: Path, n: int, out: Path) -> float:
    """Write the dump of the first ``n`` articles to ``out``; return the seconds taken."""
    ex = Extractor()
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for rec in records(corpus, n):
            line = dump_record(ex, rec)
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    return time.perf_counter() - t0


def diff(before: Path, after: Path, show: int = 5) -> int:
    """Print the documents whose lines differ; return how many differ."""
    a = before.read_text("utf-8").splitlines()
    b = after.read_text("utf-8").splitlines()
    bad = 0
    if len(a) != len(b):
        print(f"line counts differ: {len(a)} vs {len(b)}")
        bad += 1
    for la, lb in zip(a, b, strict=False):
        if la == lb:
            continue
        bad += 1
        if bad <= show:
            ja, jb = json.loads(la), json.loads(lb)
            print(f"doc {ja.get('doc_id')} differs:")
            for label in LABELS:
                sa = ja.get("spans", {}).get(label, [])
                sb = jb.get("spans", {}).get(label, [])
                if sa != sb:
                    print(f"  {label}: -{[s for s in sa if s not in sb][:3]}")
                    print(f"  {label}: +{[s for s in sb if s not in sa][:3]}")
            if ja.get("output") != jb.get("output"):
                print("  output line differs")
    print("identical" if not bad else f"{bad} document(s) differ")
    return bad


def _snapshot(dest: Path, rev: str | None, paths: list[str]) -> None:
    """Copy the working tree's ``src/`` to ``dest``; ``paths`` as of git ``rev`` if given."""
    shutil.copytree(
        REPO / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    for path in paths if rev else []:
        blob = subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True, check=True
        ).stdout
        (dest / path).write_bytes(blob)


def against(corpus: Path, n: int, rev: str, paths: list[str], keep: Path | None) -> int:
    """Dump with ``paths`` as at ``rev`` and as now (the rest as now); count differences."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _snapshot(root / "before", rev, paths)
        _snapshot(root / "after", None, paths)
        procs = []
        for side in ("before", "after"):
            env = {**os.environ, "PYTHONPATH": str(root / side / "src")}
            cmd = [sys.executable, __file__, "--corpus", str(corpus), "-n", str(n)]
            cmd += ["dump", str(root / f"{side}.jsonl")]
            procs.append(subprocess.Popen(cmd, env=env))
        if any(p.wait() for p in procs):
            print("a dump failed")
            return 1
        if keep:
            for side in ("before", "after"):
                shutil.copy(root / f"{side}.jsonl", keep / f"golden_{side}.jsonl")
        return diff(root / "before.jsonl", root / "after.jsonl")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("-n", type=int, default=2000)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("dump", help="write a dump")
    p.add_argument("out", type=Path)
    p = sub.add_parser("diff", help="compare two dumps")
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p = sub.add_parser("check", help="dump now and compare with BEFORE")
    p.add_argument("before", type=Path)
    p = sub.add_parser("against", help="compare files as at a git revision with them now")
    p.add_argument("rev")
    p.add_argument("paths", nargs="+", help="paths relative to the repository root")
    p.add_argument("--keep", type=Path, help="folder to copy both dumps to")
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        secs = dump(args.corpus, args.n, args.out)
        print(f"wrote {args.out} ({args.n} articles, {secs:.1f} s)")
        return 0
    if args.cmd == "diff":
        return 1 if diff(args.before, args.after) else 0
    if args.cmd == "against":
        return 1 if against(args.corpus, args.n, args.rev, args.paths, args.keep) else 0
    with tempfile.TemporaryDirectory() as tmp:
        after = Path(tmp) / "after.jsonl"
        secs = dump(args.corpus, args.n, after)
        print(f"dumped {args.n} articles in {secs:.1f} s")
        return 1 if diff(args.before, after) else 0


if __name__ == "__main__":
    sys.exit(main())
