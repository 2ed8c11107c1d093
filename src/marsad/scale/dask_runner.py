"""Run the extraction on a Dask cluster (optional dependency: ``marsad[cluster]``).

``DaskRunner("local", workers=N)`` starts a LocalCluster of N single-threaded worker
processes; ``DaskRunner("tcp://host:8786")`` connects to a running scheduler. Every
worker process loads the pipeline once (a worker plugin warms up a per-process
Extractor when the worker starts; tasks reuse it). Chunks are submitted in a sliding
window and the lines come back in input order, with the same error semantics as the
process pool: a task whose worker died is retried one article at a time, and an article
that fails again is reported lost.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from marsad.errors import ConfigError
from marsad.ingest.readers import Record
from marsad.scale.base import (
    DEFAULT_CHUNK_SIZE,
    LostDocument,
    Managed,
    Slot,
    WorkerStartError,
    check_pipeline,
    chunked,
)
from marsad.scale.worker import extract_chunk_cached

log = logging.getLogger(__name__)

#: Name under which the Extractor plugin is registered with the scheduler.
PLUGIN_NAME = "marsad-extractor"

INSTALL_HINT = "pip install 'marsad[cluster]'"


def import_distributed() -> ModuleType:
    """``dask.distributed``, or a :class:`ConfigError` saying how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError(
            f"the Dask runner needs dask.distributed, which is not installed: {INSTALL_HINT}"
        ) from exc
    return distributed


@dataclass(frozen=True, slots=True)
class _Task:
    seq: int
    indices: tuple[int, ...]
    retry: bool = False


class DaskRunner(Managed):
    """Extract records on a Dask cluster, one warmed-up Extractor per worker process.

    Use it as a context manager to keep the connection (and a local cluster) across
    several :meth:`run` calls; otherwise each :meth:`run` connects and disconnects.
    """

    def __init__(
        self,
        address: str = "local",
        *,
        workers: int = 2,
        pipeline_names: Sequence[str] | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        window: int | None = None,
        freeze_gc: bool = True,
        plugins: Sequence[str] = (),
        processes: bool = True,
        client: Any = None,
        connect_timeout: float = 30.0,
        stall_warning_s: float = 60.0,
    ) -> None:
        """Configure the runner; nothing connects until :meth:`start` or :meth:`run`.

        ``address``: ``"local"`` for a LocalCluster of ``workers`` processes (threads
        with ``processes=False``), or a scheduler address such as ``tcp://host:8786``.
        ``client``: an existing ``distributed.Client`` to use instead (not closed here).
        ``window``: chunks submitted but not yet yielded (default ``4 * workers`` for a
        local cluster, else 4 per worker connected when the batch starts, at least 8).
        ``stall_warning_s``: warn when nothing finished for this long (no workers?).
        """
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        if chunk_size < 1:
            raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
        if window is not None and window < 1:
            raise ValueError(f"window must be at least 1 chunk, got {window}")
        self.address = address
        self.workers = workers
        self.pipeline_names = list(pipeline_names) if pipeline_names else None
        self.chunk_size = chunk_size
        self.window = window
        self.freeze_gc = freeze_gc
        self.plugins = tuple(plugins)
        self.processes = processes
        self.connect_timeout = connect_timeout
        self.stall_warning_s = stall_warning_s
        self.lost: list[LostDocument] = []
        self._given_client = client
        self._client: Any = None
        self._cluster: Any = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` in use (``None`` before :meth:`start`)."""
        return self._client

    def start(self) -> None:
        """Connect (or start the local cluster) and load the pipeline on every worker."""
        if self._client is not None:
            return
        distributed = import_distributed()
        if not self.plugins:
            check_pipeline(self.pipeline_names)
        if self._given_client is not None:
            self._client = self._given_client
        elif self.address == "local":
            self._cluster = distributed.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,  # extraction is GIL-bound: processes, not threads
                processes=self.processes,
                dashboard_address=":0",  # any free port: two batches must not clash
            )
            self._client = distributed.Client(self._cluster, set_as_default=False)
        else:
            try:
                self._client = distributed.Client(
                    self.address, timeout=self.connect_timeout, set_as_default=False
                )
            except (OSError, TimeoutError) as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}"
                ) from exc
        from marsad.scale.dask_plugin import ExtractorPlugin

        plugin = ExtractorPlugin(self.pipeline_names, self.plugins, self.freeze_gc)
        try:
            self._client.register_plugin(plugin, name=PLUGIN_NAME)
        except Exception as exc:  # raised by a worker's setup, sent back by the scheduler
            self.close()
            raise WorkerStartError(
                f"a Dask worker could not load the pipeline: {type(exc).__name__}: {exc}"
            ) from exc

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this runner started it."""
        client, self._client = self._client, None
        if client is not None and client is not self._given_client:
            client.close()
        cluster, self._cluster = self._cluster, None
        if cluster is not None:
            cluster.close()

    # -- the batch ---------------------------------------------------------------------

    def run(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        """Yield one output line per record, in input order (records are read lazily)."""
        owned = self._client is None
        if owned:
            self.start()
        try:
            yield from self._run(records)
        finally:
            if owned:
                self.close()

    def _window(self) -> int:
        if self.window is not None:
            return self.window
        if self.address == "local" and self._given_client is None:
            return 4 * self.workers
        n = len(self._client.scheduler_info().get("workers", {}))
        return max(8, 4 * n)

    def _run(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        distributed = import_distributed()
        window = self._window()
        chunks = chunked(records, self.chunk_size)
        slots: dict[int, Slot] = {}
        futures: dict[Any, _Task] = {}
        next_seq = head = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(slots) < window:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    slots[next_seq] = Slot(chunk)
                    task = _Task(next_seq, tuple(range(len(chunk))))
                    futures[self._submit(task, slots)] = task
                    next_seq += 1
                emitted = False
                while head in slots and slots[head].complete:
                    emitted = True
                    yield from slots.pop(head).ordered_lines()
                    head += 1
                if exhausted and not slots:
                    return
                if not emitted:
                    self._collect(distributed, futures, slots)
        finally:
            if futures and self._client is not None:  # stopped early: free the cluster
                self._client.cancel(list(futures))

    def _submit(self, task: _Task, slots: dict[int, Slot]) -> Any:
        records = [slots[task.seq].records[i] for i in task.indices]
        return self._client.submit(
            extract_chunk_cached,
            records,
            self.pipeline_names,
            self.plugins,
            self.freeze_gc,
            key=f"marsad-extract-{uuid.uuid4().hex}",
            pure=False,
        )

    def _collect(
        self, distributed: ModuleType, futures: dict[Any, _Task], slots: dict[int, Slot]
    ) -> None:
        try:
            with self._client.as_current():  # wait() looks up the current client
                done = distributed.wait(
                    list(futures), timeout=self.stall_warning_s, return_when="FIRST_COMPLETED"
                ).done
        except TimeoutError:
            n = len(self._client.scheduler_info().get("workers", {}))
            log.warning(
                "no chunk finished in %.0f s; %d Dask worker(s) connected to the scheduler",
                self.stall_warning_s,
                n,
            )
            return
        for fut in done:
            task = futures.pop(fut)
            slot = slots[task.seq]
            try:
                lines = fut.result()
            except WorkerStartError:
                raise
            except Exception as exc:  # KilledWorker, lost connection: the chunk is lost
                self._on_failure(task, slot, exc, futures, slots)
                continue
            for i, line in zip(task.indices, lines, strict=True):
                slot.lines[i] = line

    def _on_failure(
        self,
        task: _Task,
        slot: Slot,
        exc: Exception,
        futures: dict[Any, _Task],
        slots: dict[int, Slot],
    ) -> None:
        how = f"{type(exc).__name__}: {exc}"
        ids = ", ".join(slot.records[i].doc_id for i in task.indices)
        if not task.retry:
            log.warning("Dask task for %s failed (%s); retrying them one by one", ids, how)
            for i in task.indices:
                single = _Task(task.seq, (i,), retry=True)
                futures[self._submit(single, slots)] = single
            return
        reason = f"its Dask task failed twice ({how})"
        self.lost += slot.lose(task.indices, reason)
        log.error("document %s lost: %s", ids, reason)
