"""``marsad batch``: ``marsad extract`` on many cores or a Dask cluster (docs/scale.md).

The output lines are those ``marsad extract`` writes for the same input, in the same
order; progress and a final summary go to standard error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from typing import Any, TextIO

from marsad.errors import InputError
from marsad.ingest.readers import MAX_CHARS, read_inputs
from marsad.scale.base import DEFAULT_CHUNK_SIZE, Runner, SerialRunner
from marsad.scale.progress import BatchProgress, BatchSummary, count_inputs

#: Exit status when documents were lost to dead workers (2 is a usage error).
EXIT_LOST = 3


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def default_jobs() -> int:
    """The CPU cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "batch",
        help="extract events from many articles with a process pool or a Dask cluster",
        description=(
            "Same input and output as 'marsad extract' (spec/IO.md), run by N worker "
            "processes (--jobs) or a Dask cluster (--dask), each loading the pipeline "
            "once. Lines keep the input order. Progress and a summary go to stderr."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="INPUT", help=".txt/.jsonl file, directory or -")
    p.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of stdout")
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=None,
        help="worker processes (default: the usable cores; 1 runs in this process); "
        "with --dask local, the number of Dask workers",
    )
    p.add_argument(
        "--dask",
        metavar="local|ADDRESS",
        help="run on Dask: 'local' starts a LocalCluster, tcp://host:8786 joins a running "
        "scheduler (needs: pip install 'marsad[cluster]')",
    )
    p.add_argument(
        "--chunk-size",
        type=_positive,
        default=DEFAULT_CHUNK_SIZE,
        metavar="K",
        help=f"articles sent to a worker at a time (default {DEFAULT_CHUNK_SIZE})",
    )
    p.add_argument(
        "--published", metavar="YYYY-MM-DD", help="publication date for articles without one"
    )
    p.add_argument("--max-chars", type=int, default=MAX_CHARS, help="longest article accepted")
    p.add_argument(
        "--pipeline", metavar="STAGES", help="comma-separated stage names (default pipeline)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    p.set_defaults(func=run)


def make_runner(args: argparse.Namespace) -> Runner:
    """The runner the arguments ask for (nothing is started yet)."""
    names = args.pipeline.split(",") if args.pipeline else None
    jobs = args.jobs or default_jobs()
    if args.dask:
        from marsad.scale.dask_runner import DaskRunner, import_distributed

        import_distributed()  # the install hint now, before any input is read
        # Dask logs every connection at INFO; show them only with marsad -v
        logging.getLogger("distributed").setLevel(max(logging.getLogger().level, logging.INFO))
        return DaskRunner(args.dask, workers=jobs, pipeline_names=names, chunk_size=args.chunk_size)
    if jobs == 1:
        return SerialRunner(names)
    from marsad.scale.pool import ProcessPoolRunner

    return ProcessPoolRunner(jobs, pipeline_names=names, chunk_size=args.chunk_size)


def run(args: argparse.Namespace) -> int:
    """``marsad batch``: check the arguments, build the runner, run the batch."""
    if args.published:
        from marsad.extract import parse_published

        parse_published(args.published)  # fail early on a bad date
    return execute(args, make_runner(args))


def execute(args: argparse.Namespace, runner: Runner) -> int:
    """Run ``runner`` over the inputs of ``args``; write the lines, progress and summary.

    Returns 0, 3 (:data:`EXIT_LOST`) when documents were lost, or 130 on Ctrl-C.
    """
    total = count_inputs(args.paths)
    progress = BatchProgress(total, enabled=not args.quiet)
    start = time.monotonic()
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        records = read_inputs(args.paths, published=args.published, max_chars=args.max_chars)
        for line in runner.run(records):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            progress.add(line)
    except KeyboardInterrupt:
        progress.close()
        print(f"marsad batch: interrupted after {progress.count} articles", file=sys.stderr)
        return 130
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    progress.close()
    if progress.count == 0:
        raise InputError("no articles found in the given paths")
    summary = BatchSummary(
        articles=progress.count,
        events=progress.events,
        failed=progress.failed,
        lost=len(runner.lost),
        seconds=time.monotonic() - start,
    )
    print(summary.line(), file=sys.stderr)
    if runner.lost:
        ids = ", ".join(doc.doc_id for doc in runner.lost)
        print(
            f"marsad: error: {len(runner.lost)} document(s) lost because their worker "
            f"died; their lines say so, extract them again: {ids}",
            file=sys.stderr,
        )
        return EXIT_LOST
    return 0
