"""Marsad (مرصد): Arabic conflict news to structured, verifiable event data."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``marsad.Store`` without importing SQLAlchemy until it is used."""
    if name == "Store":
        from marsad.store import Store

        return Store
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")
