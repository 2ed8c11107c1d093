"""Store fixtures: the same tests run on SQLite and, when MARSAD_TEST_PG_URL is set, PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.readers import Record
from marsad.store import Store

PG_URL = os.environ.get("MARSAD_TEST_PG_URL")


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema},public"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated store on each back-end (PostgreSQL in a throw-away schema)."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'marsad.db'}")
        yield s
        s.close()
        return
    if not PG_URL:
        pytest.skip("MARSAD_TEST_PG_URL is not set (see scripts/ci_postgres.sh)")
    import sqlalchemy as sa

    from marsad.store.url import resolve_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(resolve_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    s = Store(_pg_schema_url(PG_URL, schema))
    try:
        yield s
    finally:
        s.close()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def gold_event_to_io(doc_id: str, text: str, i: int, ev: dict[str, Any]) -> dict[str, Any]:
    """A gold-file event in the IO.md output shape (actors as name/text, evidence as offsets)."""

    def actor(value: Any) -> dict[str, Any] | None:
        if not value:
            return None
        return {"name": value[0], "text": value[1] if len(value) > 1 else None}

    evidence = []
    for span in ev.get("evidence") or []:
        start = text.find(span)
        if start >= 0:
            evidence.append({"start": start, "end": start + len(span)})
    loc = ev.get("location")
    return {
        "event_id": f"{doc_id}/{i}",
        "event_type": ev["event_type"],
        "sub_event_type": ev["sub_event_type"],
        "date": ev.get("date"),
        "time_precision": ev.get("time_precision"),
        "actor1": actor(ev.get("actor1")),
        "assoc_actor_1": [],
        "actor2": actor(ev.get("actor2")),
        "assoc_actor_2": [],
        "location": dict(loc) if loc else None,
        "fatalities": ev.get("fatalities"),
        "injured": ev.get("injured"),
        "displaced": ev.get("displaced"),
        "arrested": ev.get("arrested"),
        "sources": ev.get("sources") or [],
        "evidence": evidence,
    }


def gold_pairs(shared: Path) -> list[tuple[Record, dict[str, Any]]]:
    """The gold-dev articles as (Record, IO.md output) pairs: real Arabic text, hand-coded events."""
    out = []
    path = shared / "data/gold-dev/gold.jsonl"
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            d = json.loads(line)
            rec = Record(
                doc_id=d["doc_id"],
                text=d["text"],
                title=d.get("title", ""),
                published=d.get("published"),
                outlet=d.get("outlet", ""),
                url=d.get("url", ""),
                source=str(path),
                line=n,
            )
            events = [
                gold_event_to_io(d["doc_id"], d["text"], i, ev) for i, ev in enumerate(d["events"])
            ]
            out.append((rec, {"doc_id": d["doc_id"], "events": events}))
    return out


GOLD_VERSION = "gold-dev hand annotation"


@pytest.fixture(scope="session")
def gold(shared: Path) -> list[tuple[Record, dict[str, Any]]]:
    return gold_pairs(shared)
