"""Marsad ingest stage package."""
