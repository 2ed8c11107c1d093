"""How long something took or will take, for progress lines (no dependencies, so the
batch runner and the store can share it without importing each other)."""

from __future__ import annotations


def format_duration(secs: float) -> str:
    """``MM:SS``, or ``H:MM:SS`` from one hour on (negative durations count as 0)."""
    secs = max(0, int(secs))
    h, rem = divmod(secs, 3600)
    m, s = divmod(rem, 60)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
