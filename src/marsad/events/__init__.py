"""Marsad events stage package."""
