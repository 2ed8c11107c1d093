"""Database URLs: the default SQLite file, ``MARSAD_DB`` and driver selection."""

from __future__ import annotations

import os

from marsad.errors import StoreError

#: Used when neither ``--db`` nor ``MARSAD_DB`` is given.
DEFAULT_URL = "sqlite:///marsad.db"


def resolve_url(url: str | None = None) -> str:
    """The SQLAlchemy URL for ``url``, ``$MARSAD_DB`` or the default SQLite file.

    ``postgresql://`` and ``postgres://`` are mapped to the psycopg 3 driver; a bare
    path (no scheme) is taken as a SQLite file.
    """
    raw = url or os.environ.get("MARSAD_DB") or DEFAULT_URL
    if "://" not in raw:
        return f"sqlite:///{raw}"
    scheme, rest = raw.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    if scheme.startswith(("postgresql+", "sqlite")):
        return raw
    raise StoreError(
        f"unsupported database URL {raw!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
    )
