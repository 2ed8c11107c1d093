"""Store life cycle on both back-ends: migrations, idempotent ingest, versions, failures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from marsad.ingest.readers import Record
from marsad.store import Store
from marsad.store.core import HEAD
from marsad.store.schema import articles, events, extractions

from .conftest import GOLD_VERSION


def _n_events(gold: list[tuple[Record, dict[str, Any]]]) -> int:
    return sum(len(out["events"]) for _rec, out in gold)


def test_migrated_to_head(store: Store) -> None:
    assert store.schema_revision() == HEAD
    insp = sa.inspect(store.engine)
    names = set(insp.get_table_names())
    assert {"articles", "runs", "extractions", "events", "canonical_events", "failures"} <= names
    if store.dialect == "postgresql":
        cols = {c["name"]: c for c in insp.get_columns("events")}
        assert "geom" in cols
        idx = {i["name"] for i in insp.get_indexes("events")}
        assert "ix_events_geom" in idx


def test_schema_matches_metadata(store: Store) -> None:
    """The migrations create exactly the columns the code reads and writes."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from marsad.store.schema import metadata

    def include(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        if (
            type_ == "table"
            and name is not None
            and name.startswith(("articles_fts", "spatial_ref_sys"))
        ):
            return False
        return not (type_ == "column" and name == "geom") and not (
            type_ == "index"
            and name in ("ix_events_geom", "ix_canonical_events_geom", "ix_articles_search")
        )

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": False}
        )
        diff = compare_metadata(ctx, metadata)
    assert diff == []


def test_ingest_is_idempotent(store: Store, gold: list[tuple[Record, dict[str, Any]]]) -> None:
    first = store.store_extracted(gold, pipeline_version=GOLD_VERSION)
    assert first.new == len(gold)
    assert first.unchanged == 0
    assert first.events == _n_events(gold)
    counts = store.counts()
    assert counts["articles"] == len(gold)
    assert counts["events"] == _n_events(gold)
    second = store.store_extracted(gold, pipeline_version=GOLD_VERSION)
    assert (second.new, second.unchanged, second.events) == (0, len(gold), 0)
    assert "0 new" in second.summary() and f"{len(gold)} unchanged" in second.summary()
    assert store.counts()["events"] == _n_events(gold)
    assert store.counts()["canonical_events"] == first.canonical


def test_text_kept_exactly_and_offsets_valid(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    store.store_extracted(gold, pipeline_version=GOLD_VERSION)
    rec, out = gold[1]
    with store.engine.connect() as conn:
        text = conn.execute(
            sa.select(articles.c.text).where(articles.c.doc_id == rec.doc_id)
        ).scalar_one()
        ev = conn.execute(
            sa.select(events.c.evidence, events.c.event_id).where(
                events.c.event_id == f"{rec.doc_id}/0"
            )
        ).one()
    assert text == rec.text
    span = ev.evidence[0]
    assert text[span["start"] : span["end"]] == rec.text[span["start"] : span["end"]]
    assert span == out["events"][0]["evidence"][0]


def test_changed_text_becomes_new_version(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    store.store_extracted(gold[:3], pipeline_version=GOLD_VERSION)
    rec, out = gold[2]
    assert rec.text is not None
    edited = Record(
        doc_id=rec.doc_id,
        text=rec.text + "\n\nتحديث: ارتفعت حصيلة القتلى.",
        title=rec.title,
        published=rec.published,
        outlet=rec.outlet,
        source="edited",
    )
    edited_out = {"doc_id": rec.doc_id, "events": out["events"][:1]}
    res = store.store_extracted([(edited, edited_out)], pipeline_version=GOLD_VERSION)
    assert (res.new, res.changed, res.unchanged) == (0, 1, 0)
    with store.engine.connect() as conn:
        versions = conn.execute(
            sa.select(articles.c.version, articles.c.is_current)
            .where(articles.c.doc_id == rec.doc_id)
            .order_by(articles.c.version)
        ).all()
        current_events = conn.execute(
            sa.select(sa.func.count())
            .select_from(events.join(articles, articles.c.id == events.c.article_id))
            .where(articles.c.doc_id == rec.doc_id, events.c.is_current)
        ).scalar_one()
        all_events = conn.execute(
            sa.select(sa.func.count())
            .select_from(events.join(articles, articles.c.id == events.c.article_id))
            .where(articles.c.doc_id == rec.doc_id)
        ).scalar_one()
    assert [tuple(v) for v in versions] == [(1, False), (2, True)]
    assert current_events == 1
    assert all_events == len(out["events"]) + 1
    assert store.counts()["articles"] == 3


def test_failures_recorded_and_run_goes_on(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    broken = Record(
        doc_id="bad.jsonl:3",
        text=None,
        source="bad.jsonl",
        line=3,
        error="invalid JSON: Expecting value",
    )
    not_arabic = Record(doc_id="english-1", text="The quick brown fox.", source="x.txt")
    pairs = [
        gold[0],
        (broken, None),
        (
            not_arabic,
            {"doc_id": "english-1", "events": [], "error": "not Arabic text (0% Arabic letters)"},
        ),
        gold[1],
    ]
    res = store.store_extracted(pairs, pipeline_version=GOLD_VERSION)
    assert res.new == 3  # the unreadable record never becomes an article
    assert res.failed == 2
    fails = store.failures(res.run_id)
    assert [(f["doc_id"], f["stage"]) for f in fails] == [
        ("bad.jsonl:3", "read"),
        ("english-1", "extract"),
    ]
    assert fails[0]["line"] == 3
    assert "not Arabic" in fails[1]["reason"]
    assert store.counts()["events"] == len(gold[0][1]["events"]) + len(gold[1][1]["events"])


def test_extractor_exception_is_a_failure(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    outputs = {rec.doc_id: out for rec, out in gold}

    def extract(rec: Record) -> dict[str, Any]:
        if rec.doc_id == gold[1][0].doc_id:
            raise ValueError("date out of range")
        return outputs[rec.doc_id]

    res = store.store_extracted(
        ((rec, None) for rec, _ in gold[:3]), pipeline_version=GOLD_VERSION, extract=extract
    )
    assert res.failed == 1
    assert res.failures == [(gold[1][0].doc_id, "ValueError: date out of range")]
    assert res.events == len(gold[0][1]["events"]) + len(gold[2][1]["events"])


def test_interrupted_ingest_resumes(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    class Interrupted(Exception):
        pass

    def stream() -> Iterator[tuple[Record, dict[str, Any]]]:
        for i, pair in enumerate(gold):
            if i == 13:
                raise Interrupted
            yield pair

    with pytest.raises(Interrupted):
        store.store_extracted(stream(), pipeline_version=GOLD_VERSION, batch_size=5)
    assert store.counts()["articles"] == 10  # two full batches were committed
    res = store.store_extracted(gold, pipeline_version=GOLD_VERSION, batch_size=5)
    assert (res.new, res.unchanged) == (len(gold) - 10, 10)
    assert store.counts()["events"] == _n_events(gold)
    with store.engine.connect() as conn:
        n_ext = conn.execute(
            sa.select(sa.func.count()).where(extractions.c.is_current)
        ).scalar_one()
    assert n_ext == len(gold)


def test_runs_record_pipeline_and_settings(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    res = store.store_extracted(
        gold[:2], pipeline_version=GOLD_VERSION, settings={"pipeline": ("clean/v1", "events/v1")}
    )
    run = store.runs()[-1]
    assert run["id"] == res.run_id
    assert run["pipeline_version"] == GOLD_VERSION
    assert run["settings"] == {"pipeline": ["clean/v1", "events/v1"]}
    assert run["finished_at"] is not None
    assert run["n_events"] == res.events


def test_article_the_database_refuses_does_not_stop_the_batch(
    store: Store, gold: list[tuple[Record, dict[str, Any]]]
) -> None:
    rec, _out = gold[1]
    assert rec.text is not None
    # A NUL character (from a broken page) is valid in SQLite text, not in PostgreSQL.
    broken = Record(doc_id="nul-1", text="انفجار في حلب\x00 وقتلى", source="broken.jsonl", line=7)
    pairs = [gold[0], (broken, {"doc_id": "nul-1", "events": []}), gold[2]]
    res = store.store_extracted(pairs, pipeline_version=GOLD_VERSION, batch_size=10)
    expected_events = len(gold[0][1]["events"]) + len(gold[2][1]["events"])
    assert store.counts()["events"] == expected_events
    if store.dialect == "postgresql":
        assert (res.new, res.failed) == (2, 1)
        fail = store.failures(res.run_id)[0]
        assert (fail["doc_id"], fail["stage"], fail["line"]) == ("nul-1", "store", 7)
        assert "database refused it" in fail["reason"]
    else:
        assert (res.new, res.failed) == (3, 0)


def test_absurd_counts_are_dropped(store: Store, gold: list[tuple[Record, dict[str, Any]]]) -> None:
    rec, out = gold[0]
    ev = dict(out["events"][0], arrested=100_000_000_000_000, fatalities=12)
    store.store_extracted(
        [(rec, {"doc_id": rec.doc_id, "events": [ev]})], pipeline_version=GOLD_VERSION
    )
    row = store.query(reports=True)[0]
    assert row["arrested"] is None and row["fatalities"] == 12
