"""Build ``src/marsad/store/data/countries.tsv`` (ISO codes, English name, ACLED region).

Reads the Natural Earth admin-0 table in ``shared/data/gazetteer/naturalearth-admin0``
(public domain). ACLED's region names are assigned from Natural Earth's UN sub-region,
with the Middle East / Caucasus split that ACLED uses.

    .venv/bin/python scripts/build_store_countries.py [SHARED_DIR]
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src/marsad/store/data/countries.tsv"

#: Natural Earth SUBREGION -> ACLED region.
_REGION = {
    "Northern Africa": "Northern Africa",
    "Western Africa": "Western Africa",
    "Middle Africa": "Middle Africa",
    "Eastern Africa": "Eastern Africa",
    "Southern Africa": "Southern Africa",
    "Western Asia": "Middle East",
    "Central Asia": "Caucasus and Central Asia",
    "Southern Asia": "South Asia",
    "South-Eastern Asia": "Southeast Asia",
    "Eastern Asia": "East Asia",
    "Northern America": "North America",
    "Central America": "Central America",
    "Caribbean": "Caribbean",
    "South America": "South America",
    "Northern Europe": "Europe",
    "Western Europe": "Europe",
    "Southern Europe": "Europe",
    "Eastern Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
    "Seven seas (open ocean)": "Oceania",
}
_CAUCASUS = {"AM", "AZ", "GE"}
_EUROPE = {"CY"}
_MIDDLE_EAST_EXTRA = {"IR"}


def read_dbf(path: Path) -> list[dict[str, str]]:
    """The records of a dBase III file as strings."""
    data = path.read_bytes()
    n, header_len, rec_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    i = 32
    while data[i] != 0x0D:
        name = data[i : i + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[i + 16]))
        i += 32
    rows = []
    for r in range(n):
        off = header_len + r * rec_len + 1
        row = {}
        for name, ln in fields:
            row[name] = data[off : off + ln].decode("utf-8", "replace").replace("\0", "").strip()
            off += ln
        rows.append(row)
    return rows


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else REPO.parent / "shared"
    dbf = shared / "data/gazetteer/naturalearth-admin0/ne_10m_admin_0_countries_deu.dbf"
    rows = read_dbf(dbf)
    out: dict[str, tuple[str, str, str, str, str]] = {}
    for row in rows:
        a2 = row["ISO_A2_EH"] if row["ISO_A2"] in ("-99", "") else row["ISO_A2"]
        a3 = row["ISO_A3_EH"] if row["ISO_A3"] in ("-99", "") else row["ISO_A3"]
        n3 = row["ISO_N3_EH"] if row["ISO_N3"] in ("-99", "") else row["ISO_N3"]
        if "-99" in (a2, a3, n3) or not a2 or a2 in out:
            continue
        region = _REGION.get(row["SUBREGION"], "")
        if a2 in _CAUCASUS:
            region = "Caucasus and Central Asia"
        elif a2 in _EUROPE:
            region = "Europe"
        elif a2 in _MIDDLE_EAST_EXTRA:
            region = "Middle East"
        name = row["NAME_EN"] or row["NAME"]
        out[a2] = (a2, a3, str(int(n3)), name, region)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(
            "# Built by scripts/build_store_countries.py from Natural Earth admin-0 (public domain)\n"
        )
        fh.write("iso2\tiso3\tiso_numeric\tname\tacled_region\n")
        for key in sorted(out):
            fh.write("\t".join(out[key]) + "\n")
    print(f"wrote {len(out)} countries to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
