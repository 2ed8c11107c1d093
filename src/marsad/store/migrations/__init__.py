"""Alembic migrations of the Marsad store (run programmatically by ``Store``)."""
