"""The dashboard's static files and the basemap, read once from the package data."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from marsad.errors import DataError

#: Content types by file suffix (only what the dashboard ships).
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".geojson": "application/geo+json",
    ".json": "application/json; charset=utf-8",
    ".ico": "image/x-icon",
}

#: URL path of the basemap (the dashboard's script fetches it from here).
BASEMAP_PATH = "/static/basemap/countries.geojson"


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file: its bytes and content type."""

    body: bytes
    content_type: str


def _read(node: Traversable) -> Asset:
    suffix = "." + node.name.rsplit(".", 1)[-1].lower() if "." in node.name else ""
    return Asset(node.read_bytes(), CONTENT_TYPES.get(suffix, "application/octet-stream"))


def load_assets() -> dict[str, Asset]:
    """URL path -> asset: ``/`` (the dashboard page), ``/static/<file>``, the basemap.

    Only files shipped in ``marsad/data/dashboard`` and the basemap are served, so no
    request path can reach anything else on disk.
    """
    data = resources.files("marsad").joinpath("data")
    dashboard = data.joinpath("dashboard")
    basemap = data.joinpath("basemap").joinpath("countries.geojson")
    if not dashboard.is_dir() or not basemap.is_file():
        raise DataError(
            "the dashboard files are missing from the installed package "
            "(marsad/data/dashboard, marsad/data/basemap); reinstall marsad"
        )
    assets: dict[str, Asset] = {}
    for node in dashboard.iterdir():
        if node.is_file() and not node.name.startswith("."):
            assets[f"/static/{node.name}"] = _read(node)
    index = assets.get("/static/index.html")
    if index is None:
        raise DataError("marsad/data/dashboard/index.html is missing; reinstall marsad")
    assets["/"] = index
    assets[BASEMAP_PATH] = _read(basemap)
    return assets
