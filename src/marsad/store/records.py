"""Pure helpers between IO.md records and store rows: flattening, hashing, search keys."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from marsad.text.arabic import match_keys, normalize

_TOKEN_RE = re.compile(r"[\w]+", re.UNICODE)
_ARABIC_RE = re.compile(r"[\u0621-\u064a]")


def content_hash(text: str) -> str:
    """SHA-256 of the article text exactly as received (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(normalize(text).lower())


def search_text(text: str) -> str:
    """The index form of an article: every normalised token with all its clitic keys.

    Each word is folded (diacritics, hamza, alef, ta marbuta) and indexed under every
    key :func:`marsad.text.arabic.match_keys` gives it, so that a query word written
    with or without ال, و, ب, ل finds it.
    """
    out: list[str] = []
    seen: set[str] = set()
    for tok in _tokens(text):
        keys = match_keys(tok) if _ARABIC_RE.match(tok) else [tok]
        for key in keys:
            if key and key not in seen:
                seen.add(key)
                out.append(key)
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The index keys a search query must match (one per query word, most stripped)."""
    terms: list[str] = []
    for tok in _tokens(query):
        key = match_keys(tok)[0] if _ARABIC_RE.match(tok) else tok
        if key and key not in terms:
            terms.append(key)
    return terms


def _name(actor: Any) -> str | None:
    if isinstance(actor, Mapping):
        name = actor.get("name")
        return str(name) if name else None
    if isinstance(actor, str):
        return actor or None
    return None


def _text(actor: Any) -> str | None:
    if isinstance(actor, Mapping):
        text = actor.get("text")
        return str(text) if text else None
    return None


#: Counts beyond this are misreadings (a sum of money read as a toll), not counts.
_MAX_COUNT = 10**12


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return n if abs(n) <= _MAX_COUNT else None


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> str | None:
    if not value:
        return None
    return str(value)[:10]


def _assoc(values: Any) -> list[dict[str, str | None]]:
    if not isinstance(values, list):
        return []
    return [{"name": _name(v), "text": _text(v)} for v in values if _name(v)]


def event_row(event: Mapping[str, Any]) -> dict[str, Any]:
    """The ``events`` columns of one IO.md event record (the record is kept whole too)."""
    loc = event.get("location") or {}
    if not isinstance(loc, Mapping):
        loc = {}
    return {
        "event_id": str(event.get("event_id") or ""),
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "date": _date(event.get("date")),
        "time_precision": _int(event.get("time_precision")),
        "actor1": _name(event.get("actor1")),
        "actor1_text": _text(event.get("actor1")),
        "actor2": _name(event.get("actor2")),
        "actor2_text": _text(event.get("actor2")),
        "assoc_actor_1": _assoc(event.get("assoc_actor_1")),
        "assoc_actor_2": _assoc(event.get("assoc_actor_2")),
        "location_text": loc.get("text"),
        "location_name": loc.get("name"),
        "country": (str(loc["country"]).upper()[:2] if loc.get("country") else None),
        "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"),
        "lat": _float(loc.get("lat")),
        "lon": _float(loc.get("lon")),
        "geo_precision": _int(loc.get("geo_precision")),
        "fatalities": _int(event.get("fatalities")),
        "injured": _int(event.get("injured")),
        "displaced": _int(event.get("displaced")),
        "arrested": _int(event.get("arrested")),
        "sources": [str(s) for s in event.get("sources") or []],
        "evidence": [
            {"start": int(e["start"]), "end": int(e["end"])}
            for e in event.get("evidence") or []
            if isinstance(e, Mapping) and "start" in e and "end" in e
        ],
        "record": dict(event),
    }


def row_to_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """An IO.md-shaped event record rebuilt from an ``events`` or canonical row."""

    def actor(name: Any, text: Any) -> dict[str, Any] | None:
        return {"name": name, "text": text} if name or text else None

    has_loc = any(row.get(k) is not None for k in ("location_text", "location_name", "country"))
    return {
        "event_type": row.get("event_type"),
        "sub_event_type": row.get("sub_event_type"),
        "date": row.get("date"),
        "time_precision": row.get("time_precision"),
        "actor1": actor(row.get("actor1"), row.get("actor1_text")),
        "assoc_actor_1": row.get("assoc_actor_1") or [],
        "actor2": actor(row.get("actor2"), row.get("actor2_text")),
        "assoc_actor_2": row.get("assoc_actor_2") or [],
        "location": (
            {
                "text": row.get("location_text"),
                "name": row.get("location_name"),
                "country": row.get("country"),
                "admin1": row.get("admin1"),
                "admin2": row.get("admin2"),
                "lat": row.get("lat"),
                "lon": row.get("lon"),
                "geo_precision": row.get("geo_precision"),
            }
            if has_loc
            else None
        ),
        "fatalities": row.get("fatalities"),
        "injured": row.get("injured"),
        "displaced": row.get("displaced"),
        "arrested": row.get("arrested"),
        "sources": row.get("sources") or [],
    }
