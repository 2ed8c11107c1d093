"""A small progress bar: count, rate and ETA on a terminal, silent otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from marsad.durations import format_duration


class Progress:
    """Redraws one status line on ``stream`` at most ``every`` seconds.

    Shown only when ``stream`` is a TTY (or ``enabled=True``); ``total`` may be unknown.
    """

    def __init__(
        self,
        total: int | None = None,
        *,
        label: str = "",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        every: float = 0.2,
        width: int = 28,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.label = label
        self.count = 0
        self.every = every
        self.width = width
        self.start = time.monotonic()
        self._last = 0.0

    def line(self) -> str:
        """The status line for the current count."""
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.count / elapsed
        head = f"{self.label} " if self.label else ""
        if self.total:
            frac = min(1.0, self.count / self.total)
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            eta = (self.total - self.count) / rate if rate > 0 else 0.0
            return (
                f"{head}[{bar}] {self.count}/{self.total} {rate:.1f}/s ETA {format_duration(eta)}"
            )
        return f"{head}{self.count} {rate:.1f}/s elapsed {format_duration(elapsed)}"

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` and redraw when due."""
        self.count += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.every or (self.total and self.count >= self.total):
            self._last = now
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()

    def close(self) -> None:
        """Finish the line."""
        if self.enabled:
            self.stream.write("\r" + self.line() + "\x1b[K\n")
            self.stream.flush()
