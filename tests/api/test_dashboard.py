"""The dashboard page, its assets, the packaged basemap and the `marsad serve` command."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import resources
from itertools import pairwise

import pytest

from marsad.api.assets import BASEMAP_PATH
from marsad.cli.main import build_parser, main

from .conftest import Client

_ARABIC = re.compile(r"[\u0621-\u064a]")
#: The region the dashboard shows and the box the basemap is clipped to.
WINDOW = (-18.0, 10.0, 75.0, 45.0)
CLIP = (-22.0, 5.0, 79.0, 49.0)


class _Refs(HTMLParser):
    """Every URL an HTML page would load or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "action", "data", "poster") and value:
                self.refs.append(value)


def _basemap() -> dict:
    path = resources.files("marsad").joinpath("data/basemap/countries.geojson")
    return json.loads(path.read_text("utf-8"))


def test_dashboard_page_references_only_local_assets(client: Client) -> None:
    reply = client.get("/")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    csp = reply.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    parser = _Refs()
    parser.feed(reply.text)
    assert "/static/app.js" in parser.refs and "/static/style.css" in parser.refs
    for ref in parser.refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref
        asset = client.get(ref)
        assert asset.status == 200, ref
    assert "http://" not in reply.text and "https://" not in reply.text


def test_script_and_style_fetch_nothing_from_elsewhere(client: Client) -> None:
    js = client.get("/static/app.js")
    css = client.get("/static/style.css")
    assert js.headers["content-type"].startswith("text/javascript")
    assert css.headers["content-type"].startswith("text/css")
    # The only absolute URL is the SVG namespace name, which is never fetched.
    assert re.findall(r"https?://[^\s\"')]+", js.text) == ["http://www.w3.org/2000/svg"]
    assert not re.findall(r"https?://|@import|url\(", css.text)
    # Every endpoint the script calls is one this server answers.
    for path in re.findall(r"`(/[a-z./]+)\?", js.text) + re.findall(r"\"(/[a-z./]+)\"", js.text):
        if path.startswith("/static/"):
            assert client.get(path).status == 200, path
        else:
            assert path.split("?")[0] in client.app.routes, path
    assert BASEMAP_PATH in js.text


def test_static_files_cannot_escape_the_dashboard_folder(client: Client) -> None:
    for path in ("/static/../extract.py", "/static/%2e%2e/%2e%2e/pyproject.toml", "/static/"):
        assert client.get(path).status == 404


def test_basemap_is_valid_small_geojson_of_the_region(client: Client) -> None:
    path = resources.files("marsad").joinpath("data/basemap/countries.geojson")
    size = len(path.read_bytes())
    assert size < 400 * 1024
    fc = _basemap()
    assert fc["type"] == "FeatureCollection"
    codes = {f["properties"]["ISO_A2"] for f in fc["features"]}
    assert {"SY", "IQ", "YE", "LY", "EG", "MA", "SA", "IR", "TR", "SD", "PS", "IL"} <= codes
    for feature in fc["features"]:
        props = feature["properties"]
        assert props["NAME_EN"] and _ARABIC.search(props["NAME_AR"]), props
        geom = feature["geometry"]
        assert geom["type"] == "MultiPolygon"
        for polygon in geom["coordinates"]:
            for k, ring in enumerate(polygon):
                assert len(ring) >= 4 and ring[0] == ring[-1]
                assert all(CLIP[0] <= x <= CLIP[2] and CLIP[1] <= y <= CLIP[3] for x, y in ring)
                area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))
                # RFC 7946: exterior rings counter-clockwise, holes clockwise.
                assert (area > 0) == (k == 0)
    syria = next(f for f in fc["features"] if f["properties"]["ISO_A2"] == "SY")
    assert syria["properties"]["NAME_AR"] == "سوريا"
    xs = [x for poly in syria["geometry"]["coordinates"] for ring in poly for x, _ in ring]
    ys = [y for poly in syria["geometry"]["coordinates"] for ring in poly for _, y in ring]
    assert 35 < min(xs) < 36.5 and 42 < max(xs) < 42.5 and 32 < min(ys) < 33 and 37 < max(ys) < 37.5
    served = client.get(BASEMAP_PATH)
    assert served.status == 200
    assert served.json == fc


def test_serve_command_is_registered() -> None:
    args = build_parser().parse_args(
        ["serve", "--db", "x.db", "--port", "0", "--published-default", "today"]
    )
    assert args.port == 0 and args.db == "x.db" and args.host == "127.0.0.1"
    assert callable(args.func)


@pytest.mark.parametrize("argv", [["--published-default", "yesterday"], ["--port", "70000"]])
def test_serve_refuses_bad_settings_before_loading_anything(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == 2
    assert "error" in capsys.readouterr().err
