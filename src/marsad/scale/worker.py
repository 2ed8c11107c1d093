"""Code that runs inside worker processes: one warmed-up Extractor per process.

The process pool starts :func:`pool_worker_main` in each child; Dask tasks call
:func:`extract_chunk_cached`, which builds the process's Extractor on first use (the
worker plugin calls it when the worker starts, so that first use is not a task's).
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from marsad.extract import Extractor
from marsad.ingest.readers import Record
from marsad.scale.base import WorkerStartError

#: The CLI's log format, so that a worker's warnings read like the parent's.
LOG_FORMAT = "marsad: %(levelname)s: %(message)s"

_CACHE: dict[tuple[tuple[str, ...] | None, tuple[str, ...]], Extractor] = {}
# One lock for building and using the cached extractors: a Dask worker may run several
# task threads in one process, and a pipeline instance is not meant to be shared by
# threads at once. Extraction is pure Python (GIL-bound), so this costs no throughput.
_LOCK = threading.Lock()


def import_plugins(plugins: Sequence[str]) -> None:
    """Import modules that register extra pipeline stages (see ``marsad.pipeline.register``)."""
    for name in plugins:
        importlib.import_module(name)


def build_extractor(
    pipeline_names: Sequence[str] | None, plugins: Sequence[str] = (), freeze_gc: bool = True
) -> Extractor:
    """Import ``plugins``, build an Extractor and load every resource now."""
    import_plugins(plugins)
    extractor = Extractor(pipeline_names)
    extractor.warm_up(freeze_gc=freeze_gc)
    return extractor


def cached_extractor(
    pipeline_names: Sequence[str] | None, plugins: Sequence[str] = (), freeze_gc: bool = True
) -> Extractor:
    """This process's Extractor for ``pipeline_names``, built and warmed up once."""
    key = (tuple(pipeline_names) if pipeline_names else None, tuple(plugins))
    with _LOCK:
        extractor = _CACHE.get(key)
        if extractor is None:
            extractor = _CACHE[key] = build_extractor(pipeline_names, plugins, freeze_gc)
        return extractor


def extract_chunk_cached(
    records: list[Record],
    pipeline_names: Sequence[str] | None,
    plugins: Sequence[str] = (),
    freeze_gc: bool = True,
) -> list[dict[str, Any]]:
    """Output lines of ``records`` by this process's cached Extractor (a Dask task).

    Raises :class:`WorkerStartError` when the pipeline cannot be built here.
    """
    try:
        extractor = cached_extractor(pipeline_names, plugins, freeze_gc)
    except Exception as exc:  # any failure to load is the whole batch's problem
        raise WorkerStartError(
            f"a worker could not load the pipeline: {type(exc).__name__}: {exc}"
        ) from exc
    with _LOCK:
        return [extractor.extract_record(rec) for rec in records]


def pool_worker_main(
    conn: Connection,
    pipeline_names: Sequence[str] | None,
    plugins: Sequence[str],
    freeze_gc: bool,
    log_level: int,
) -> None:
    """Body of a process-pool worker: load the pipeline once, then serve chunks.

    Protocol on ``conn``: the worker sends ``("ready", pid)`` once warmed up (or
    ``("failed", message)`` and exits); then it answers each ``(task_id, records)`` with
    ``("done", task_id, lines)`` until it receives ``None`` or the parent goes away.
    """
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format=LOG_FORMAT)
    try:
        extractor = build_extractor(pipeline_names, plugins, freeze_gc)
    except Exception as exc:  # reported to the parent, which stops the batch
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        task_id, records = msg
        conn.send(("done", task_id, [extractor.extract_record(rec) for rec in records]))
