"""Database URL selection: --db, $MARSAD_DB, the default file."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import StoreError
from marsad.store import Store
from marsad.store.url import DEFAULT_URL, resolve_url


def test_default_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARSAD_DB", raising=False)
    assert resolve_url(None) == DEFAULT_URL == "sqlite:///marsad.db"
    monkeypatch.setenv("MARSAD_DB", "sqlite:////tmp/x.db")
    assert resolve_url(None) == "sqlite:////tmp/x.db"
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"  # --db wins


def test_schemes() -> None:
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("data/m.db") == "sqlite:///data/m.db"
    with pytest.raises(StoreError, match="unsupported database URL"):
        resolve_url("mysql://u@h/db")


def test_store_opens_in_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MARSAD_DB", raising=False)
    with Store() as s:
        assert s.counts()["articles"] == 0
    assert (tmp_path / "marsad.db").is_file()
    # WAL mode: one writer and concurrent readers without set-up.
    with Store() as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_unreachable_postgres_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open"):
        Store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
