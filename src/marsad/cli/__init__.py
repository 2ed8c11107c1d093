"""Marsad cli stage package."""
