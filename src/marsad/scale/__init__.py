"""Batch extraction at scale: a process pool or a Dask cluster of warmed-up Extractors.

Both runners take an iterable of :class:`~marsad.ingest.readers.Record` and yield the
same IO.md output lines as :class:`~marsad.extract.Extractor`, in input order, reading
the input lazily so memory stays flat. See ``docs/scale.md``.

>>> from marsad.ingest.readers import read_inputs
>>> from marsad.scale import ProcessPoolRunner
>>> with ProcessPoolRunner(jobs=2) as runner:  # doctest: +SKIP
...     for line in runner.run(read_inputs(["articles.jsonl"])):
...         print(line["doc_id"], len(line["events"]))
"""

from __future__ import annotations

from marsad.scale.base import (
    DEFAULT_CHUNK_SIZE,
    LostDocument,
    Runner,
    SerialRunner,
    WorkerStartError,
    chunked,
)
from marsad.scale.dask_runner import DaskRunner
from marsad.scale.pool import ProcessPoolRunner

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DaskRunner",
    "LostDocument",
    "ProcessPoolRunner",
    "Runner",
    "SerialRunner",
    "WorkerStartError",
    "chunked",
]
