"""Marsad resolve stage package."""
