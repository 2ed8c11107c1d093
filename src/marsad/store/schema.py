"""Table definitions used to read and write the store.

The DDL itself lives in the Alembic migrations under ``migrations/versions``; these
Core tables describe the same columns for queries (a test checks the two agree).
PostgreSQL-only extras (PostGIS ``geom`` columns, the full-text index, the FTS5
table on SQLite) are kept out of this metadata and handled per dialect.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("doc_id", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("published", sa.Text, nullable=True),
    sa.Column("outlet", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("extra", sa.JSON, nullable=False),
    sa.Column("search_text", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("doc_id", "version", name="uq_articles_doc_version"),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("pipeline_version", sa.Text, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("n_articles", sa.Integer, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column("n_failures", sa.Integer, nullable=False),
)

extractions = sa.Table(
    "extractions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

canonical_events = sa.Table(
    "canonical_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_type", sa.Text, nullable=True),
    sa.Column("sub_event_type", sa.Text, nullable=True),
    sa.Column("date", sa.String(10), nullable=True),
    sa.Column("time_precision", sa.Integer, nullable=True),
    sa.Column("actor1", sa.Text, nullable=True),
    sa.Column("actor2", sa.Text, nullable=True),
    sa.Column("assoc_actor_1", sa.JSON, nullable=False),
    sa.Column("assoc_actor_2", sa.JSON, nullable=False),
    sa.Column("location_text", sa.Text, nullable=True),
    sa.Column("location_name", sa.Text, nullable=True),
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("admin1", sa.Text, nullable=True),
    sa.Column("admin2", sa.Text, nullable=True),
    sa.Column("lat", sa.Float, nullable=True),
    sa.Column("lon", sa.Float, nullable=True),
    sa.Column("geo_precision", sa.Integer, nullable=True),
    sa.Column("fatalities", sa.BigInteger, nullable=True),
    sa.Column("injured", sa.BigInteger, nullable=True),
    sa.Column("displaced", sa.BigInteger, nullable=True),
    sa.Column("arrested", sa.BigInteger, nullable=True),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.Column("outlets", sa.JSON, nullable=False),
    sa.Column("n_reports", sa.Integer, nullable=False),
    sa.Column("disagreement", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("extraction_id", sa.Integer, sa.ForeignKey("extractions.id"), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("is_current", sa.Boolean, nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("event_type", sa.Text, nullable=True),
    sa.Column("sub_event_type", sa.Text, nullable=True),
    sa.Column("date", sa.String(10), nullable=True),
    sa.Column("time_precision", sa.Integer, nullable=True),
    sa.Column("actor1", sa.Text, nullable=True),
    sa.Column("actor1_text", sa.Text, nullable=True),
    sa.Column("actor2", sa.Text, nullable=True),
    sa.Column("actor2_text", sa.Text, nullable=True),
    sa.Column("assoc_actor_1", sa.JSON, nullable=False),
    sa.Column("assoc_actor_2", sa.JSON, nullable=False),
    sa.Column("location_text", sa.Text, nullable=True),
    sa.Column("location_name", sa.Text, nullable=True),
    sa.Column("country", sa.String(2), nullable=True),
    sa.Column("admin1", sa.Text, nullable=True),
    sa.Column("admin2", sa.Text, nullable=True),
    sa.Column("lat", sa.Float, nullable=True),
    sa.Column("lon", sa.Float, nullable=True),
    sa.Column("geo_precision", sa.Integer, nullable=True),
    sa.Column("fatalities", sa.BigInteger, nullable=True),
    sa.Column("injured", sa.BigInteger, nullable=True),
    sa.Column("displaced", sa.BigInteger, nullable=True),
    sa.Column("arrested", sa.BigInteger, nullable=True),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column(
        "canonical_id",
        sa.Integer,
        sa.ForeignKey("canonical_events.id", ondelete="SET NULL"),
        nullable=True,
    ),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=True),
    sa.Column("doc_id", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=True),
    sa.Column("stage", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

#: Secondary indexes (also created by the migration).
sa.Index("ix_articles_doc_current", articles.c.doc_id, articles.c.is_current)
sa.Index("ix_extractions_article", extractions.c.article_id)
sa.Index("ix_events_article", events.c.article_id)
sa.Index("ix_events_run", events.c.run_id)
sa.Index("ix_events_date", events.c.date)
sa.Index("ix_events_canonical", events.c.canonical_id)
sa.Index("ix_events_country_admin1", events.c.country, events.c.admin1)
sa.Index("ix_canonical_date", canonical_events.c.date)
sa.Index("ix_canonical_country_admin1", canonical_events.c.country, canonical_events.c.admin1)
sa.Index("ix_failures_run", failures.c.run_id)
