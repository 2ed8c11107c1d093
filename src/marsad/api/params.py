"""Query-string parameters of the API: names, validation, mapping onto store filters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marsad.api.messages import ApiError
from marsad.errors import StoreError
from marsad.store.filters import Filters
from marsad.store.records import query_terms

#: Query parameter -> ``Store.query`` filter name.
FILTER_PARAMS: dict[str, str] = {
    "country": "country",
    "admin1": "admin1",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "since": "date_from",
    "until": "date_to",
    "actor": "actor",
    "q": "text",
    "min_fatalities": "min_fatalities",
    "bbox": "bbox",
}

#: Events per page of ``GET /events`` when ``limit`` is not given, and the most allowed.
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def single(query: Mapping[str, list[str]], name: str) -> str | None:
    """The one value of ``name`` (``None`` when absent or empty); 400 when repeated."""
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ApiError(400, f"parameter '{name}' is given {len(values)} times; give it once")
    value = values[0].strip()
    return value or None


def check_known(query: Mapping[str, list[str]], allowed: Iterable[str]) -> None:
    """400 when the query has a parameter outside ``allowed`` (a typo must not be ignored)."""
    names = set(allowed)
    unknown = sorted(set(query) - names)
    if unknown:
        raise ApiError(
            400,
            f"unknown parameter(s) {', '.join(unknown)}; this endpoint takes "
            f"{', '.join(sorted(names)) or 'no parameters'}",
        )


def int_param(
    query: Mapping[str, list[str]],
    name: str,
    default: int | None,
    minimum: int = 0,
    maximum: int | None = None,
) -> int | None:
    """An integer parameter in ``[minimum, maximum]``; 400 with the allowed range otherwise."""
    raw = single(query, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"'{name}' must be a whole number, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else " or more"
        raise ApiError(400, f"'{name}' must be between {minimum}{upper}, got {value}")
    return value


def bool_param(query: Mapping[str, list[str]], name: str) -> bool:
    """A yes/no parameter: 1/true/yes/on or 0/false/no/off."""
    values = query.get(name)
    if not values:
        return False
    raw = (single(query, name) or "").lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ApiError(400, f"'{name}' must be 1 or 0 (true/false), got {raw!r}")


@dataclass(slots=True)
class EventQuery:
    """A validated event selection: store filters, paging and the report/canonical switch."""

    filters: dict[str, Any] = field(default_factory=dict)
    limit: int | None = None
    offset: int = 0
    reports: bool = False

    def store_kwargs(self, extra: int = 0) -> dict[str, Any]:
        """Keyword arguments for ``Store.query``: enough rows for ``offset + limit + extra``."""
        kwargs = dict(self.filters)
        if self.limit is not None:
            kwargs["limit"] = self.offset + self.limit + extra
        return kwargs

    def page(self, rows: list[Any]) -> list[Any]:
        """The rows of the requested page out of what ``store_kwargs`` selected."""
        end = None if self.limit is None else self.offset + self.limit
        return rows[self.offset : end]


def event_query(
    query: Mapping[str, list[str]], default_limit: int | None, paging: bool = True
) -> EventQuery:
    """Parse and validate the event filters of a request (400 on any bad value).

    Values are checked with :class:`marsad.store.Filters` itself, so the API accepts
    exactly what ``Store.query`` and ``marsad query`` accept. Empty values (a form's
    blank fields) do not filter.
    """
    allowed = [*FILTER_PARAMS, "reports"]
    if paging:
        allowed += ["limit", "offset"]
    check_known(query, allowed)
    filters: dict[str, Any] = {}
    for param, name in FILTER_PARAMS.items():
        if param == "min_fatalities":
            value: Any = int_param(query, param, None)
        else:
            value = single(query, param)
        if value is not None:
            filters[name] = value
    text = filters.get("text")
    if text is not None and not query_terms(text):
        raise ApiError(400, f"the search text q={text!r} has no words to search for")
    try:
        Filters.from_kwargs(**filters)
    except StoreError as exc:
        raise ApiError(400, f"invalid filter: {exc}") from None
    limit = int_param(query, "limit", default_limit, 1, MAX_LIMIT) if paging else None
    offset = int_param(query, "offset", 0) if paging else 0
    return EventQuery(filters, limit, offset or 0, bool_param(query, "reports"))
