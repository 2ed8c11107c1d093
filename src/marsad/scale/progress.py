"""Progress and summary of a batch on standard error.

On a terminal the status line is redrawn in place (as ``marsad ingest`` does); in a log
file (a cluster job's stderr) a plain line is written every ``plain_every`` seconds
instead of a stream of carriage returns.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from marsad.durations import format_duration
from marsad.ingest.readers import DIRECTORY_SUFFIXES

_WEB_SUFFIXES = frozenset({".html", ".htm", ".xml", ".rss", ".atom"})


def count_inputs(paths: Sequence[str]) -> int | None:
    """How many articles ``paths`` hold, or ``None`` when that is unknown without parsing.

    Standard input and web feeds (several items a file) are unknown; a ``.jsonl`` file
    counts its non-blank lines, a ``.txt`` file one article. Cheap: bytes are scanned,
    nothing is decoded.
    """
    total = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        if path.is_dir():
            files = [
                f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in DIRECTORY_SUFFIXES
            ]
        elif path.is_file():
            files = [path]
        else:
            return None
        for f in files:
            suffix = f.suffix.lower()
            if suffix in _WEB_SUFFIXES:
                return None
            total += _count_jsonl(f) if suffix == ".jsonl" else 1
    return total


def _count_jsonl(path: Path) -> int:
    n = 0
    try:
        with path.open("rb") as fh:
            for raw in fh:
                n += bool(raw.strip())
    except OSError:
        return 1  # the reader will give it one error line
    return n


class BatchProgress:
    """Articles done / total, articles/s, failures and ETA, on ``stream`` (stderr).

    The same line as ``marsad ingest``'s progress bar (:mod:`marsad.store.progress`),
    plus the failures; kept apart so that a batch does not import the store.
    """

    def __init__(
        self,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        enabled: bool = True,
        every: float = 0.5,
        plain_every: float = 10.0,
        width: int = 28,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.enabled = enabled
        self.total = total
        self.every = every if self.tty else plain_every
        self.width = width
        self.count = 0
        self.failed = 0
        self.events = 0
        self.start = time.monotonic()
        # on a terminal the first redraw comes at once; in a log, after ``plain_every``
        self._last = 0.0 if self.tty else self.start

    def line(self) -> str:
        """The status line: counts, rate, ETA and failures."""
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.count / elapsed
        if self.total:
            frac = min(1.0, self.count / self.total)
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            eta = max(0, self.total - self.count) / rate if rate > 0 else 0.0
            head = f"[{bar}] {self.count}/{self.total} {rate:.1f}/s ETA {format_duration(eta)}"
        else:
            head = f"{self.count} {rate:.1f}/s elapsed {format_duration(elapsed)}"
        return f"marsad batch {head} failed {self.failed}"

    def add(self, line: dict[str, Any]) -> None:
        """Count one output line (an ``error`` key is a failure) and redraw when due."""
        self.count += 1
        self.failed += "error" in line
        self.events += len(line.get("events", ()))
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.every or (self.tty and self.count == self.total):
            self._last = now
            self._write()

    def _write(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Finish the status line (a terminal only: a log already has its lines)."""
        if self.enabled and self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K\n")
            self.stream.flush()


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch did, for the final line on stderr."""

    articles: int
    events: int
    failed: int
    lost: int
    seconds: float

    @property
    def rate(self) -> float:
        """Articles per second over the whole run (pipeline loading included)."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """``marsad batch: 400 articles, 812 events, 12 failed, 0 lost, 10.2 s, 39.2 articles/s``."""
        return (
            f"marsad batch: {self.articles} articles, {self.events} events, "
            f"{self.failed} failed, {self.lost} lost, {self.seconds:.1f} s, "
            f"{self.rate:.1f} articles/s"
        )
