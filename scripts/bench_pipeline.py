"""Benchmark the full extraction pipeline on one core.

Runs ``Extractor`` over the first N articles of a marsad JSONL corpus (default: the first
2,000 of SaudiNewsNet) in this single process and reports load time, articles/s,
tokens/s, events found and peak resident memory.

    python scripts/bench_pipeline.py [--corpus ../shared/data/corpora/saudinewsnet.jsonl.gz] [-n 2000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path

from marsad.extract import Extractor
from marsad.ingest.readers import Record, check_text

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO.parent / "shared" / "data" / "corpora" / "saudinewsnet.jsonl.gz"


def records(path: Path, n: int) -> Iterator[Record]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for i, line in enumerate(fh):
            if i >= n:
                break
            obj = json.loads(line)
            text, err = check_text(obj.get("text"))
            yield Record(str(obj.get("doc_id", i)), text, published=obj.get("published"), error=err)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--no-gc-freeze", action="store_true", help="measure without gc tuning")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    t0 = time.perf_counter()
    ex = Extractor()
    ex.warm_up(freeze_gc=not args.no_gc_freeze)  # loads every lazily loaded resource
    load = time.perf_counter() - t0
    recs = list(records(args.corpus, args.n))
    chars = sum(len(r.text or "") for r in recs)
    t1 = time.perf_counter()
    n_events = failed = 0
    for r in recs:
        out = ex.extract_record(r)
        n_events += len(out["events"])
        failed += "error" in out
    dt = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "articles": len(recs),
        "failed": failed,
        "events": n_events,
        "load_s": round(load, 2),
        "seconds": round(dt, 2),
        "articles_per_s": round(len(recs) / dt, 1),
        "chars_per_s": round(chars / dt),
        "peak_rss_mb": round(peak_mb),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
