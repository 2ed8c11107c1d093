"""A process pool of warmed-up Extractors that keeps input order and survives crashes.

Each of N worker processes builds one :class:`~marsad.extract.Extractor` and calls
``warm_up()`` when it starts; chunks of records go to whichever worker is idle and the
results come back as plain dicts. At most ``window`` chunks are read but not yet written
out, so memory stays flat however long the input is, and lines are written in input
order. A worker that dies (killed, out of memory, a crash in native code) is replaced;
its chunk is retried one article at a time in fresh workers, and an article whose
worker dies a second time is reported lost (its line says so) while the batch goes on.

The pool is not built on :mod:`concurrent.futures`: when one of its workers dies, every
pending future fails and nobody knows which documents the dead worker held.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from marsad.errors import MarsadError
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
from marsad.scale.worker import pool_worker_main

log = logging.getLogger(__name__)

#: Workers that die while holding no work before the pool gives up (something outside
#: Marsad keeps killing them).
MAX_IDLE_DEATHS = 10


@dataclass(frozen=True, slots=True)
class _Task:
    """Records ``indices`` of chunk ``seq``; ``retry`` marks a second attempt."""

    task_id: int
    seq: int
    indices: tuple[int, ...]
    retry: bool = False


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    task: _Task | None = None


def describe_exit(exitcode: int | None) -> str:
    """'killed by SIGKILL', 'exit status 3': how a worker process ended."""
    if exitcode is None:
        return "no exit status"
    if exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


class ProcessPoolRunner(Managed):
    """Extract records with ``jobs`` worker processes, one warmed-up Extractor each.

    Use it as a context manager to keep the workers across several :meth:`run` calls;
    otherwise each :meth:`run` starts and stops its own workers. Documents whose worker
    died twice are listed in :attr:`lost` (and get an error line in place).
    """

    def __init__(
        self,
        jobs: int = 2,
        *,
        pipeline_names: Sequence[str] | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        window: int | None = None,
        freeze_gc: bool = True,
        plugins: Sequence[str] = (),
        start_method: str = "spawn",
        log_level: int | None = None,
    ) -> None:
        """Configure the pool; no process starts until :meth:`start` or :meth:`run`.

        ``window``: chunks read ahead but not yet yielded (default ``4 * jobs``).
        ``plugins``: modules each worker imports before building its pipeline (to
        register extra stages). ``start_method``: ``spawn`` (default; each worker
        imports Marsad afresh, safe with threads in the parent) or ``fork``/``forkserver``.
        """
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, got {jobs}")
        if chunk_size < 1:
            raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
        self.jobs = jobs
        self.pipeline_names = list(pipeline_names) if pipeline_names else None
        self.chunk_size = chunk_size
        self.window = window if window is not None else 4 * jobs
        if self.window < 1:
            raise ValueError(f"window must be at least 1 chunk, got {self.window}")
        self.freeze_gc = freeze_gc
        self.plugins = tuple(plugins)
        self.log_level = log_level if log_level is not None else logging.getLogger().level
        self._ctx: Any = mp.get_context(start_method)  # typeshed: BaseContext lacks Process
        self.lost: list[LostDocument] = []
        self.restarts = 0
        self._workers: list[_Worker] = []
        self._idle_deaths = 0
        self._task_ids = 0

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker processes (they load their pipelines in parallel)."""
        if self._workers:
            return
        if not self.plugins:
            check_pipeline(self.pipeline_names)  # an unknown stage is a usage error, here
        self._workers = [self._spawn() for _ in range(self.jobs)]

    def close(self, graceful: bool = True) -> None:
        """Ask every worker to stop, then terminate the ones that do not.

        With ``graceful=False`` (a run interrupted by Ctrl-C or an error) busy workers are
        terminated at once rather than given time to finish their article.
        """
        workers, self._workers = self._workers, []
        for w in workers:
            with contextlib.suppress(OSError):  # already gone
                w.conn.send(None)
        for w in workers:
            w.process.join(timeout=5 if graceful or w.task is None else 0)
            if w.process.is_alive():
                w.process.terminate()
                w.process.join(timeout=5)
            w.conn.close()

    @property
    def pids(self) -> list[int | None]:
        """Process ids of the current workers."""
        return [w.process.pid for w in self._workers]

    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(
            target=pool_worker_main,
            args=(child_conn, self.pipeline_names, self.plugins, self.freeze_gc, self.log_level),
            name="marsad-worker",
            daemon=True,
        )
        proc.start()
        child_conn.close()  # so that the parent sees EOF when the child dies
        return _Worker(proc, parent_conn)

    # -- the batch ---------------------------------------------------------------------

    def run(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        """Yield one output line per record, in input order (records are read lazily)."""
        owned = not self._workers
        if owned:
            self.start()
        completed = False
        try:
            yield from self._run(records)
            completed = True
        finally:
            if owned:
                self.close(graceful=completed)
            else:
                self._replace_busy()

    def _replace_busy(self) -> None:
        """After a run that stopped early, replace the workers still holding a chunk.

        Their answers would otherwise arrive during the next run; terminating them does
        not block (a KeyboardInterrupt must not wait for a long article).
        """
        for idx, w in enumerate(self._workers):
            if w.task is not None:
                w.process.terminate()
                w.process.join(timeout=5)
                w.conn.close()
                self._workers[idx] = self._spawn()

    def _run(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        chunks = chunked(records, self.chunk_size)
        slots: dict[int, Slot] = {}
        queue: deque[_Task] = deque()
        next_seq = head = 0
        exhausted = False
        while True:
            while not exhausted and len(slots) < self.window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                slots[next_seq] = Slot(chunk)
                queue.append(self._task(next_seq, tuple(range(len(chunk)))))
                next_seq += 1
            self._dispatch(queue, slots)
            emitted = False
            while head in slots and slots[head].complete:
                slot = slots.pop(head)
                head += 1
                emitted = True
                yield from slot.ordered_lines()
            if exhausted and not slots:
                return
            if not emitted:
                self._collect(slots, queue)

    def _task(self, seq: int, indices: tuple[int, ...], retry: bool = False) -> _Task:
        self._task_ids += 1
        return _Task(self._task_ids, seq, indices, retry)

    def _dispatch(self, queue: deque[_Task], slots: dict[int, Slot]) -> None:
        for w in self._workers:
            if not queue:
                return
            if w.ready and w.task is None:
                task = queue.popleft()
                w.task = task
                try:
                    records = [slots[task.seq].records[i] for i in task.indices]
                    w.conn.send((task.task_id, records))
                except OSError:
                    # the worker died since we last looked; _collect will replace it
                    w.task = None
                    queue.appendleft(task)

    def _collect(self, slots: dict[int, Slot], queue: deque[_Task]) -> None:
        """Wait for at least one message or worker death and handle what arrived."""
        waitables: list[Any] = [w.conn for w in self._workers]
        waitables += [w.process.sentinel for w in self._workers]
        ready = set(wait(waitables))
        for idx, w in enumerate(self._workers):
            if w.conn not in ready and w.process.sentinel not in ready:
                continue
            dead = False
            try:
                while w.conn.poll():
                    self._on_message(w, w.conn.recv(), slots)
            except (EOFError, OSError):
                dead = True
            if dead or w.process.sentinel in ready:
                w.process.join(timeout=5)
                if not w.process.is_alive():
                    self._workers[idx] = self._on_death(w, slots, queue)

    def _on_message(self, w: _Worker, msg: tuple[Any, ...], slots: dict[int, Slot]) -> None:
        kind = msg[0]
        if kind == "ready":
            w.ready = True
        elif kind == "failed":
            raise WorkerStartError(f"a worker could not load the pipeline: {msg[1]}")
        elif kind == "done":
            task = w.task
            if task is None or task.task_id != msg[1]:
                raise MarsadError(f"worker {w.process.pid} answered a task it was not given")
            slot = slots[task.seq]
            for i, line in zip(task.indices, msg[2], strict=True):
                slot.lines[i] = line
            w.task = None

    def _on_death(self, w: _Worker, slots: dict[int, Slot], queue: deque[_Task]) -> _Worker:
        how = describe_exit(w.process.exitcode)
        w.conn.close()
        if not w.ready:
            raise WorkerStartError(f"a worker died while loading the pipeline ({how})")
        self.restarts += 1
        task = w.task
        if task is None:
            self._idle_deaths += 1
            log.warning("worker %s died while idle (%s); starting another", w.process.pid, how)
            if self._idle_deaths > MAX_IDLE_DEATHS:
                raise MarsadError(
                    f"{self._idle_deaths} idle workers died ({how}); something outside "
                    "Marsad is stopping them"
                )
            return self._spawn()
        slot = slots[task.seq]
        ids = [slot.records[i].doc_id for i in task.indices]
        if not task.retry:
            log.warning(
                "worker %s died (%s) while extracting %s; retrying them one by one",
                w.process.pid,
                how,
                ", ".join(ids),
            )
            # retried first, one article per task, so the chunk's slot completes soon
            for i in reversed(task.indices):
                queue.appendleft(self._task(task.seq, (i,), retry=True))
        else:
            reason = f"the worker process extracting it died twice ({how})"
            self.lost += slot.lose(task.indices, reason)
            log.error("document %s lost: %s", ", ".join(ids), reason)
        return self._spawn()
