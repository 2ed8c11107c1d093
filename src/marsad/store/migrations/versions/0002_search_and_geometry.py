"""Dialect-specific extras: full-text search over articles and PostGIS points.

SQLite: an external-content FTS5 table ``articles_fts`` over ``articles.search_text``
(normalised, clitic-stripped tokens written by the store).
PostgreSQL: a GIN index on ``to_tsvector('simple', search_text)``, the postgis
extension, and ``geom geometry(Point, 4326)`` columns with GiST indexes on events and
canonical events, filled from lat/lon by a trigger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_GEOM_TABLES = ("events", "canonical_events")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "search_text, content='articles', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
    elif dialect == "postgresql":
        import sqlalchemy as sa
        from geoalchemy2 import Geometry

        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.execute(
            "CREATE INDEX ix_articles_search ON articles "
            "USING GIN (to_tsvector('simple', search_text))"
        )
        op.execute(
            "CREATE OR REPLACE FUNCTION marsad_set_geom() RETURNS trigger AS $$ BEGIN "
            "IF NEW.lat IS NULL OR NEW.lon IS NULL THEN NEW.geom := NULL; "
            "ELSE NEW.geom := ST_SetSRID(ST_MakePoint(NEW.lon, NEW.lat), 4326); END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        for table in _GEOM_TABLES:
            op.add_column(
                table,
                sa.Column(
                    "geom",
                    Geometry("POINT", srid=4326, spatial_index=False),
                    nullable=True,
                ),
            )
            op.create_index(f"ix_{table}_geom", table, ["geom"], postgresql_using="gist")
            op.execute(
                f"CREATE TRIGGER trg_{table}_geom BEFORE INSERT OR UPDATE OF lat, lon "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION marsad_set_geom()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif dialect == "postgresql":
        for table in _GEOM_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_geom ON {table}")
            op.drop_index(f"ix_{table}_geom", table_name=table)
            op.drop_column(table, "geom")
        op.execute("DROP FUNCTION IF EXISTS marsad_set_geom()")
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
