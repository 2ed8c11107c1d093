"""Query filters shared by ``Store.query``, ``marsad query`` and ``marsad export``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from marsad.errors import StoreError
from marsad.store.countries import find_country


@dataclass(slots=True)
class Filters:
    """What to select. Every field is optional; unset fields do not filter.

    ``date_from``/``date_to`` are inclusive ISO dates; ``country`` an ISO code or
    English name; ``actor`` a canonical actor name or an alias (Arabic or English);
    ``bbox`` (min_lon, min_lat, max_lon, max_lat); ``text`` Arabic words that the
    reporting articles must all contain (ال, و/ب/ل, diacritics, hamza and ta marbuta
    variants match); ``run_id`` the reports one extraction run produced (current or
    superseded by a later run), to compare pipeline versions.
    """

    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_fatalities: int | None = None
    text: str | None = None
    limit: int | None = None
    run_id: int | None = None

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> Filters:
        """Build from keyword arguments, rejecting unknown names."""
        names = {f.name for f in fields(cls)}
        unknown = set(kwargs) - names
        if unknown:
            raise StoreError(
                f"unknown filter(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(names))}"
            )
        f = cls(**{k: v for k, v in kwargs.items() if v is not None})
        f.validate()
        return f

    def validate(self) -> None:
        """Normalise values and raise :class:`StoreError` on malformed ones."""
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                from datetime import date

                try:
                    date.fromisoformat(str(value)[:10])
                except ValueError as exc:
                    raise StoreError(f"{name} must be YYYY-MM-DD, got {value!r}") from exc
                setattr(self, name, str(value)[:10])
        if self.country is not None:
            code = find_country(self.country)
            if code is None:
                raise StoreError(
                    f"unknown country {self.country!r}: use an ISO code or English name"
                )
            self.country = code
        if self.bbox is not None:
            if isinstance(self.bbox, str):
                parts = [p for p in self.bbox.replace(" ", "").split(",") if p]
            else:
                parts = list(self.bbox)
            try:
                x0, y0, x1, y1 = (float(p) for p in parts)
            except (TypeError, ValueError) as exc:
                raise StoreError("bbox must be MIN_LON,MIN_LAT,MAX_LON,MAX_LAT") from exc
            if x0 > x1 or y0 > y1:
                raise StoreError("bbox must be MIN_LON,MIN_LAT,MAX_LON,MAX_LAT (min before max)")
            self.bbox = (x0, y0, x1, y1)
