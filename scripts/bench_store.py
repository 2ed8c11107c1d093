"""Benchmark the event store: ingest throughput, database size, memory, query latency.

    .venv/bin/python scripts/bench_store.py [-n 10000] [--workers 2] [--pg URL] [--out FILE]

Three phases, each in its own process so that peak memory is measured per phase:

1. extract: the first N SaudiNewsNet articles go through the extraction pipeline
   (``Extractor.extract_record``, in ``--workers`` processes); outputs are cached in
   ``--cache`` so the store phases measure the store alone.
2. store: those articles and outputs are ingested with ``Store.store_extracted`` into a
   fresh SQLite file (and, with ``--pg`` or ``$MARSAD_TEST_PG_URL``, a fresh PostgreSQL
   schema), including canonical relinking; then a second, idempotent ingest; then
   query latency for typical filters (median of 5 runs).
3. the numbers are printed as JSON (and written to ``--out``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared/data/corpora/saudinewsnet.jsonl.gz"

QUERIES: dict[str, dict[str, Any]] = {
    "country": {"country": "YE"},
    "date range": {"date_from": "2015-08-01", "date_to": "2015-08-07"},
    "type + country": {"event_type": "Explosions/Remote violence", "country": "SY"},
    "min fatalities": {"min_fatalities": 10},
    "bbox (Yemen west)": {"bbox": (42.0, 12.0, 46.0, 16.0)},
    "actor alias": {"actor": "الحوثيين"},
    "full text": {"text": "بالحديدة"},
    "combined": {"country": "SA", "date_from": "2015-07-25", "text": "نجران"},
}


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _articles(n: int) -> Iterator[dict[str, Any]]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n:
                break
            yield json.loads(line)


def _extract_chunk(args: tuple[list[dict[str, Any]], int]) -> list[dict[str, Any]]:
    from marsad.extract import Extractor
    from marsad.ingest.readers import Record

    chunk, _ = args
    ext = Extractor()
    out = []
    for a in chunk:
        rec = Record(
            doc_id=a["doc_id"],
            text=a["text"],
            title=a["title"],
            published=a["published"],
            outlet=a["outlet"],
            url=a["url"],
        )
        out.append(ext.extract_record(rec))
    return out


def phase_extract(n: int, workers: int, cache: Path) -> dict[str, Any]:
    from multiprocessing import Pool

    from marsad.extract import Extractor

    arts = list(_articles(n))
    size = max(1, len(arts) // (workers * 8))
    chunks = [(arts[i : i + size], i) for i in range(0, len(arts), size)]
    t0 = time.perf_counter()
    with Pool(workers) as pool:
        results = [o for part in pool.map(_extract_chunk, chunks) for o in part]
    secs = time.perf_counter() - t0
    with cache.open("w", encoding="utf-8") as fh:
        for a, o in zip(arts, results, strict=True):
            fh.write(json.dumps({"article": a, "output": o}, ensure_ascii=False) + "\n")
    return {
        "articles": len(arts),
        "events": sum(len(o["events"]) for o in results),
        "workers": workers,
        "seconds": round(secs, 1),
        "articles_per_s": round(len(arts) / secs, 1),
        "pipeline": Extractor().version,
    }


def _pairs(cache: Path) -> Iterator[tuple[Any, dict[str, Any]]]:
    from marsad.ingest.readers import Record

    with cache.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            a = d["article"]
            rec = Record(
                doc_id=a["doc_id"],
                text=a["text"],
                title=a["title"],
                published=a["published"],
                outlet=a["outlet"],
                url=a["url"],
                source=str(CORPUS),
            )
            yield rec, d["output"]


def _db_size(store: Any, url: str) -> int:
    import sqlalchemy as sa

    if store.dialect == "sqlite":
        path = Path(sa.engine.make_url(store.url).database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                sa.text(
                    "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')"
                )
            ).scalar_one()
        )


def phase_store(url: str, cache: Path) -> dict[str, Any]:
    from marsad.store import Store

    t0 = time.perf_counter()
    store = Store(url)
    t_open = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = store.store_extracted(_pairs(cache), pipeline_version="bench", batch_size=100, link=False)
    t_ingest = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_canon = store.relink()
    t_link = time.perf_counter() - t0
    t0 = time.perf_counter()
    res2 = store.store_extracted(_pairs(cache), pipeline_version="bench", batch_size=100)
    t_again = time.perf_counter() - t0
    latency: dict[str, Any] = {}
    for name, filters in QUERIES.items():
        for reports in (False, True):
            times, n = [], 0
            for _ in range(5):
                t = time.perf_counter()
                n = len(store.query(reports=reports, **filters))
                times.append((time.perf_counter() - t) * 1000)
            latency[f"{name}{' (reports)' if reports else ''}"] = {
                "ms": round(statistics.median(times), 1),
                "rows": n,
            }
    out = {
        "backend": store.dialect,
        "articles": res.new,
        "events": res.events,
        "canonical_events": n_canon,
        "open_and_migrate_s": round(t_open, 2),
        "ingest_s": round(t_ingest, 1),
        "articles_per_s": round(res.new / t_ingest, 1),
        "relink_s": round(t_link, 1),
        "second_ingest_s": round(t_again, 1),
        "second_ingest_unchanged": res2.unchanged,
        "db_size_mb": round(_db_size(store, url) / 1e6, 1),
        "peak_rss_mb": round(_maxrss_mb(), 1),
        "query_latency": latency,
    }
    store.close()
    return out


def _run_phase(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"phase {args[:2]} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("-n", type=int, default=10_000, help="articles (default 10000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "marsad-bench-extracted.jsonl"
    )
    ap.add_argument(
        "--reuse-cache", action="store_true", help="skip extraction when the cache exists"
    )
    ap.add_argument(
        "--pg",
        default=os.environ.get("MARSAD_TEST_PG_URL"),
        help="PostgreSQL URL (schema created and dropped)",
    )
    ap.add_argument("--out", type=Path, help="also write the JSON here")
    ap.add_argument("--phase", choices=("extract", "store"), help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.phase == "extract":
        print(json.dumps(phase_extract(args.n, args.workers, args.cache)))
        return 0
    if args.phase == "store":
        print(json.dumps(phase_store(args.url, args.cache)))
        return 0

    report: dict[str, Any] = {"n": args.n}
    if not (args.reuse_cache and args.cache.exists()):
        report["extract"] = _run_phase(
            [
                "--phase",
                "extract",
                "-n",
                str(args.n),
                "--workers",
                str(args.workers),
                "--cache",
                str(args.cache),
            ]
        )
        print(json.dumps(report["extract"]), file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        report["sqlite"] = _run_phase(
            ["--phase", "store", "--url", url, "--cache", str(args.cache)]
        )
        print(json.dumps(report["sqlite"]), file=sys.stderr)
    if args.pg:
        import sqlalchemy as sa

        from marsad.store.url import resolve_url

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(resolve_url(args.pg))
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        try:
            sep = "&" if "?" in args.pg else "?"
            url = f"{args.pg}{sep}options=-csearch_path%3D{schema},public"
            report["postgresql"] = _run_phase(
                ["--phase", "store", "--url", url, "--cache", str(args.cache)]
            )
            print(json.dumps(report["postgresql"]), file=sys.stderr)
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
