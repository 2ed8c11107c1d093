"""Marsad (مرصد): Arabic conflict news to structured, verifiable event data."""

from __future__ import annotations

__version__ = "0.1.0"
