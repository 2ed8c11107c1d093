"""The Marsad event store: articles, extraction runs, events and canonical events.

``Store(url)`` opens (and migrates) a SQLite file or a PostgreSQL/PostGIS database;
see ``docs/store.md``.
"""

from __future__ import annotations

from marsad.store.core import IngestResult, Store
from marsad.store.filters import Filters

__all__ = ["Filters", "IngestResult", "Store"]
