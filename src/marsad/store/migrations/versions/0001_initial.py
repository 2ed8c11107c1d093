"""Initial schema: articles, runs, extractions, events, canonical events, failures.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _event_columns() -> list[sa.Column]:
    """Columns shared by report events and canonical events."""
    return [
        sa.Column("event_type", sa.Text, nullable=True),
        sa.Column("sub_event_type", sa.Text, nullable=True),
        sa.Column("date", sa.String(10), nullable=True),
        sa.Column("time_precision", sa.Integer, nullable=True),
    ]


def _place_columns() -> list[sa.Column]:
    return [
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
    ]


def upgrade() -> None:
    op.create_table(
        "articles",
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
        sa.Column("ingested_at", TZ, nullable=False),
        sa.UniqueConstraint("doc_id", "version", name="uq_articles_doc_version"),
    )
    # doc_id first: a low-selectivity is_current index would be chosen by SQLite instead.
    op.create_index("ix_articles_doc_current", "articles", ["doc_id", "is_current"])

    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("pipeline_version", sa.Text, nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("n_failures", sa.Integer, nullable=False),
    )

    op.create_table(
        "extractions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_extractions_article", "extractions", ["article_id"])

    op.create_table(
        "canonical_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        *_event_columns(),
        sa.Column("actor1", sa.Text, nullable=True),
        sa.Column("actor2", sa.Text, nullable=True),
        sa.Column("assoc_actor_1", sa.JSON, nullable=False),
        sa.Column("assoc_actor_2", sa.JSON, nullable=False),
        *_place_columns(),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("outlets", sa.JSON, nullable=False),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("disagreement", sa.JSON, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_canonical_date", "canonical_events", ["date"])
    op.create_index("ix_canonical_country_admin1", "canonical_events", ["country", "admin1"])

    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("extraction_id", sa.Integer, sa.ForeignKey("extractions.id"), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("is_current", sa.Boolean, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        *_event_columns(),
        sa.Column("actor1", sa.Text, nullable=True),
        sa.Column("actor1_text", sa.Text, nullable=True),
        sa.Column("actor2", sa.Text, nullable=True),
        sa.Column("actor2_text", sa.Text, nullable=True),
        sa.Column("assoc_actor_1", sa.JSON, nullable=False),
        sa.Column("assoc_actor_2", sa.JSON, nullable=False),
        *_place_columns(),
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
    op.create_index("ix_events_article", "events", ["article_id"])
    op.create_index("ix_events_run", "events", ["run_id"])
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_canonical", "events", ["canonical_id"])
    op.create_index("ix_events_country_admin1", "events", ["country", "admin1"])

    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=True),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("line", sa.Integer, nullable=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_failures_run", "failures", ["run_id"])


def downgrade() -> None:
    for table in ("failures", "events", "canonical_events", "extractions", "runs", "articles"):
        op.drop_table(table)
