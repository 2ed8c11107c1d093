"""Marsad api stage package."""
