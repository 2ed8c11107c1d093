"""Marsad text stage package."""
