"""Marsad store stage package."""
