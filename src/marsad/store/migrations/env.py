"""Alembic environment: runs on the connection that :class:`marsad.store.Store` passes in."""

from __future__ import annotations

from alembic import context

from marsad.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # `alembic -x url=...` from a shell, for developers
    import sqlalchemy as sa

    from marsad.store.url import resolve_url

    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = sa.create_engine(resolve_url(url))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
