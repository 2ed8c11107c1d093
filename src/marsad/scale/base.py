"""What every batch runner shares: chunks, lost documents, the serial runner.

A runner turns an iterable of :class:`~marsad.ingest.readers.Record` into an iterator of
IO.md output lines (plain dicts), one per record and in input order. Records are read
lazily, a chunk at a time, so a runner never holds more than its in-flight window.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol, Self

from marsad.errors import ConfigError, MarsadError
from marsad.extract import Extractor
from marsad.ingest.readers import Record
from marsad.pipeline import registered_stages

#: Articles sent to a worker at a time; large enough to amortise the transfer, small
#: enough that a crashed worker loses little and memory stays flat.
DEFAULT_CHUNK_SIZE = 16


class WorkerStartError(MarsadError):
    """A worker could not build or warm up its pipeline (bad stage name, missing data)."""


@dataclass(frozen=True, slots=True)
class LostDocument:
    """A document whose worker died while extracting it: no result exists for it."""

    doc_id: str
    reason: str


@dataclass(slots=True)
class Slot:
    """One chunk read from the input: its records and the output lines received so far."""

    records: list[Record]
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every record of the chunk has its line."""
        return len(self.lines) == len(self.records)

    def ordered_lines(self) -> list[dict[str, Any]]:
        """The lines in the chunk's record order (once complete)."""
        return [self.lines[i] for i in range(len(self.records))]

    def lose(self, indices: Iterable[int], reason: str) -> list[LostDocument]:
        """Fill ``indices`` with lost lines; return what was lost."""
        lost = []
        for i in indices:
            doc_id = self.records[i].doc_id
            self.lines[i] = lost_line(doc_id, reason)
            lost.append(LostDocument(doc_id, reason))
        return lost


class Managed:
    """A runner that holds workers: ``with`` starts them and always closes them."""

    def start(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Runner(Protocol):
    """Records in, IO.md output lines out, in input order."""

    lost: list[LostDocument]

    def run(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        """Yield one output line per record, in input order."""
        ...


def chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Consecutive lists of at most ``size`` records, read lazily."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, got {size}")
    it = iter(records)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def lost_line(doc_id: str, reason: str) -> dict[str, Any]:
    """The output line written in place of a lost document (IO.md error shape)."""
    return {"doc_id": doc_id, "events": [], "error": f"lost: {reason}; extract it again"}


def check_pipeline(pipeline_names: Sequence[str] | None) -> None:
    """Fail early, in the calling process, on a stage name that is not registered.

    Only the names are checked: building the stages here would load tens of megabytes
    the parent never uses. A misordered list is reported by the workers, which build it.
    """
    if not pipeline_names:
        return
    known = set(registered_stages())
    unknown = [n for n in pipeline_names if n not in known]
    if unknown:
        raise ConfigError(f"unknown stage(s) {unknown}; registered: {', '.join(sorted(known))}")


class SerialRunner:
    """One :class:`Extractor` in this process: the reference every other runner matches."""

    def __init__(
        self, pipeline_names: Sequence[str] | None = None, *, freeze_gc: bool = True
    ) -> None:
        self.extractor = Extractor(pipeline_names)
        self.freeze_gc = freeze_gc
        self.lost: list[LostDocument] = []
        self._warm = False

    def run(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        """Yield the output line of each record, in order."""
        if not self._warm:
            self.extractor.warm_up(freeze_gc=self.freeze_gc)
            self._warm = True
        for rec in records:
            yield self.extractor.extract_record(rec)
