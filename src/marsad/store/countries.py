"""ISO 3166 codes, English names and ACLED regions (packaged ``data/countries.tsv``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Country:
    """One country: ISO alpha-2/alpha-3/numeric codes, English name, ACLED region."""

    iso2: str
    iso3: str
    numeric: int
    name: str
    region: str


@lru_cache(maxsize=1)
def _table() -> dict[str, Country]:
    text = resources.files("marsad.store").joinpath("data/countries.tsv").read_text("utf-8")
    out: dict[str, Country] = {}
    for line in text.splitlines()[2:]:
        iso2, iso3, num, name, region = line.split("\t")
        out[iso2] = Country(iso2, iso3, int(num), name, region)
    return out


def country(iso2: str | None) -> Country | None:
    """The country with alpha-2 code ``iso2`` (case-insensitive), or ``None``."""
    if not iso2:
        return None
    return _table().get(iso2.upper())


def find_country(value: str) -> str | None:
    """The alpha-2 code for an alpha-2/alpha-3 code or English name, or ``None``."""
    v = value.strip()
    table = _table()
    if v.upper() in table:
        return v.upper()
    for c in table.values():
        if v.upper() == c.iso3 or v.casefold() == c.name.casefold():
            return c.iso2
    return None
