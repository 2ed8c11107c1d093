"""Build ``src/marsad/data/basemap/countries.geojson``: the dashboard's offline country outlines.

Reads the Natural Earth 1:10m admin-0 shapefile (public domain) in
``shared/data/gazetteer/naturalearth-admin0`` with the standard library only (``.shp``
and ``.dbf`` are simple binary formats), keeps the countries that reach into the Middle
East / North Africa window (with their neighbours), clips them to a slightly larger
box, simplifies every ring with Douglas-Peucker and rounds coordinates, so that the
file stays small enough to ship in the package and draw in a browser.

    .venv/bin/python scripts/build_basemap.py [SHARED_DIR] [--tolerance DEG]

Each feature has ``ISO_A2`` (``ISO_A2_EH`` where Natural Earth leaves ``ISO_A2`` as
-99, e.g. France, Norway, Kosovo), ``NAME_EN`` and ``NAME_AR``.
"""

from __future__ import annotations

import argparse
import json
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src/marsad/data/basemap/countries.geojson"
STEM = "data/gazetteer/naturalearth-admin0/ne_10m_admin_0_countries_deu"

#: The map window the dashboard shows (lon -18..75, lat 10..45).
WINDOW = (-18.0, 10.0, 75.0, 45.0)
#: Polygons are clipped to this box, a little larger than the window, so that the
#: outlines of big neighbours (Russia, India, Mali...) do not run off to the world.
CLIP = (-22.0, 5.0, 79.0, 49.0)
#: Douglas-Peucker tolerance in degrees (about 2 km).
TOLERANCE = 0.02
#: Decimals kept (0.001 degree is about 100 m).
DECIMALS = 3
#: Rings smaller than this area (square degrees) after simplification are dropped.
MIN_AREA = 0.004

Point = tuple[float, float]
Ring = list[Point]
BBox = tuple[float, float, float, float]
CrossFn = Callable[[Point, Point], Point]


# -- reading ---------------------------------------------------------------------------


def read_dbf(path: Path) -> list[dict[str, str]]:
    """Every record of a dBASE III table as a dict of stripped strings."""
    data = path.read_bytes()
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows: list[dict[str, str]] = []
    for i in range(n_records):
        start = header_len + i * record_len
        rec = data[start : start + record_len]
        row: dict[str, str] = {}
        offset = 1  # the deletion flag
        for name, length in fields:
            raw = rec[offset : offset + length].split(b"\0", 1)[0]  # text fields are NUL-padded
            row[name] = raw.decode("utf-8", "replace").strip()
            offset += length
        rows.append(row)
    return rows


def read_shp_polygons(path: Path) -> list[list[Ring]]:
    """The rings of every record of a Polygon (type 5) shapefile, in record order."""
    data = path.read_bytes()
    file_len = struct.unpack(">i", data[24:28])[0] * 2
    shapes: list[list[Ring]] = []
    pos = 100
    while pos < file_len:
        content_len = struct.unpack(">i", data[pos + 4 : pos + 8])[0] * 2
        body = data[pos + 8 : pos + 8 + content_len]
        pos += 8 + content_len
        shape_type = struct.unpack("<i", body[:4])[0]
        if shape_type == 0:
            shapes.append([])
            continue
        if shape_type != 5:
            raise ValueError(f"{path}: shape type {shape_type} is not Polygon (5)")
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44 : 44 + 4 * n_parts]))
        coords_at = 44 + 4 * n_parts
        flat = struct.unpack(f"<{2 * n_points}d", body[coords_at : coords_at + 16 * n_points])
        points = list(zip(flat[0::2], flat[1::2], strict=True))
        bounds = [*parts, n_points]
        shapes.append([points[bounds[k] : bounds[k + 1]] for k in range(n_parts)])
    return shapes


# -- geometry --------------------------------------------------------------------------


def ring_bbox(ring: Sequence[Point]) -> BBox:
    """(min_lon, min_lat, max_lon, max_lat) of a ring."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def intersects(a: BBox, b: BBox) -> bool:
    """Whether two boxes overlap."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def signed_area(ring: Sequence[Point]) -> float:
    """Shoelace area; positive when counter-clockwise."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        total += x0 * y1 - x1 * y0
    return total / 2.0


def _clip_edge(ring: Ring, inside: Callable[[Point], bool], cross: CrossFn) -> Ring:
    out: Ring = []
    if not ring:
        return out
    prev = ring[-1]
    for cur in ring:
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
        prev = cur
    return out


def clip_ring(ring: Ring, box: BBox) -> Ring:
    """Sutherland-Hodgman clipping of a closed ring to an axis-aligned box.

    A ring that leaves and re-enters the box is joined along the box edge, which is
    what a map frame needs (the joins lie on the frame, outside the visible window).
    """
    x0, y0, x1, y1 = box

    def at_x(x: float) -> CrossFn:
        def cross(p: Point, q: Point) -> Point:
            t = (x - p[0]) / (q[0] - p[0])
            return x, p[1] + t * (q[1] - p[1])

        return cross

    def at_y(y: float) -> CrossFn:
        def cross(p: Point, q: Point) -> Point:
            t = (y - p[1]) / (q[1] - p[1])
            return p[0] + t * (q[0] - p[0]), y

        return cross

    out = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    out = _clip_edge(out, lambda p: p[0] >= x0, at_x(x0))
    out = _clip_edge(out, lambda p: p[0] <= x1, at_x(x1))
    out = _clip_edge(out, lambda p: p[1] >= y0, at_y(y0))
    out = _clip_edge(out, lambda p: p[1] <= y1, at_y(y1))
    return out


def _perp_dist(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    norm = (dx * dx + dy * dy) ** 0.5
    if norm == 0.0:
        return float(((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5)
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / norm


def douglas_peucker(points: Sequence[Point], tolerance: float) -> Ring:
    """Simplify an open polyline, keeping its end points (iterative, no recursion limit)."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        best, best_i = 0.0, -1
        for i in range(first + 1, last):
            d = _perp_dist(points[i], points[first], points[last])
            if d > best:
                best, best_i = d, i
        if best_i >= 0 and best > tolerance:
            keep[best_i] = True
            stack.append((first, best_i))
            stack.append((best_i, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: Ring, tolerance: float) -> Ring | None:
    """A simplified, rounded, closed ring; ``None`` when too little of it is left."""
    if len(ring) < 3:
        return None
    # Split the closed ring at its farthest point from the start, so that both
    # halves are simplified as open lines with fixed ends.
    start = ring[0]
    far = max(
        range(len(ring)), key=lambda i: (ring[i][0] - start[0]) ** 2 + (ring[i][1] - start[1]) ** 2
    )
    first = douglas_peucker(ring[: far + 1], tolerance)
    second = douglas_peucker([*ring[far:], start], tolerance)
    simple = [*first, *second[1:]]
    rounded: Ring = []
    for x, y in simple:
        p = (round(x, DECIMALS), round(y, DECIMALS))
        if not rounded or rounded[-1] != p:
            rounded.append(p)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    if len(rounded) < 4 or abs(signed_area(rounded)) < MIN_AREA:
        return None
    return rounded


# -- assembling ------------------------------------------------------------------------


def group_polygons(rings: list[Ring]) -> list[list[Ring]]:
    """Group shapefile rings into polygons: an outer ring (clockwise) and its holes."""
    polygons: list[list[Ring]] = []
    for ring in rings:
        if signed_area(ring) <= 0 or not polygons:  # shapefile outer rings are clockwise
            polygons.append([ring])
        else:
            polygons[-1].append(ring)
    return polygons


def country_code(row: dict[str, str]) -> str:
    """ISO 3166 alpha-2, or Natural Earth's 'effective' code where ISO_A2 is -99."""
    for key in ("ISO_A2", "ISO_A2_EH"):
        code = row.get(key, "")
        if len(code) == 2 and code.isalpha():
            return code.upper()
    return ""


def features(
    rows: list[dict[str, str]], shapes: list[list[Ring]], tolerance: float
) -> Iterator[dict[str, object]]:
    """The GeoJSON features of the countries that reach into the window."""
    for row, rings in zip(rows, shapes, strict=True):
        if not rings or not any(intersects(ring_bbox(r), WINDOW) for r in rings):
            continue
        polygons: list[list[list[list[float]]]] = []
        for poly in group_polygons(rings):
            outer = poly[0]
            if not intersects(ring_bbox(outer), CLIP):
                continue
            out_poly: list[list[list[float]]] = []
            for k, ring in enumerate(poly):
                clipped = clip_ring(ring, CLIP)
                simple = simplify_ring(clipped, tolerance) if clipped else None
                if simple is None:
                    if k == 0:
                        break  # the outer ring vanished: drop its holes too
                    continue
                # RFC 7946: exterior rings counter-clockwise, holes clockwise.
                ccw = signed_area(simple) > 0
                if (k == 0) != ccw:
                    simple = simple[::-1]
                out_poly.append([[x, y] for x, y in simple])
            if out_poly:
                polygons.append(out_poly)
        if not polygons:
            continue
        yield {
            "type": "Feature",
            "properties": {
                "ISO_A2": country_code(row),
                "NAME_EN": row.get("NAME_EN") or row.get("NAME", ""),
                "NAME_AR": row.get("NAME_AR", ""),
            },
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        }


def _sort_key(feature: dict[str, object]) -> str:
    props = feature["properties"]
    return str(props["NAME_EN"]) if isinstance(props, dict) else ""


def build(shared: Path, tolerance: float = TOLERANCE) -> dict[str, object]:
    """The basemap FeatureCollection, countries sorted by English name."""
    stem = shared / STEM
    rows = read_dbf(stem.with_suffix(".dbf"))
    shapes = read_shp_polygons(stem.with_suffix(".shp"))
    if len(rows) != len(shapes):
        raise ValueError(f"{stem}: {len(rows)} table rows but {len(shapes)} shapes")
    feats = sorted(features(rows, shapes, tolerance), key=_sort_key)
    return {
        "type": "FeatureCollection",
        "bbox": list(WINDOW),
        "properties": {
            "source": "Natural Earth 1:10m admin-0 countries v5.1.1 (German point of view), "
            "public domain; clipped and simplified by scripts/build_basemap.py",
        },
        "features": feats,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write the basemap and print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", default=str(REPO.parent / "shared"))
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="degrees")
    parser.add_argument("-o", "--output", default=str(OUT))
    args = parser.parse_args(argv)
    fc = build(Path(args.shared), args.tolerance)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    n = len(fc["features"])  # type: ignore[arg-type]
    print(f"{out}: {n} countries, {len(text.encode('utf-8')) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
