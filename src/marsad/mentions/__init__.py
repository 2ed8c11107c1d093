"""Marsad mentions stage package."""
