"""Cross-article deduplication: which reports describe the same occurrence.

A *report* is one event as one article's extraction gives it (a row of ``events``
with the article's ``doc_id`` and ``outlet`` added). Two reports are of the same
occurrence when, following ACLED's practice of one event per actor pair, place and
day:

- their types are the same or compatible (the sub-types of Battles; a suicide bomb
  and an IED; an air strike and shelling; the grades of a protest),
- their dates agree within the coarser of the two time precisions,
- their places agree within a distance suited to the coarser geo precision (or share
  admin2 / admin1 at province level), and lie in the same country,
- their named actors are not disjoint (generic sides such as unidentified gunmen or
  civilians never contradict a named one),
- when either date is only known to the week or month, or either place only to the
  country, they agree on something specific: no reported count differs, and a count
  or a named actor is the same,
- and they come from different articles: one article's events are split on purpose.

Reports are clustered with complete linkage (a report joins a group only when it is
compatible with every report already in it), in a fixed order, so relinking the
same reports always gives the same groups. :func:`merge` gives the canonical fields.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from marsad.text.arabic import name_key

Report = Mapping[str, Any]

#: Sub-types that different reports of one occurrence may plausibly be coded as.
_SUBTYPE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset(
        {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
    ),
    frozenset({"Suicide bomb", "Remote explosive/landmine/IED"}),
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}),
    frozenset(
        {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
    ),
    frozenset({"Violent demonstration", "Mob violence"}),
)

#: Days two dates may differ, by time precision (1 = day, 2 = week, 3 = month).
DATE_TOLERANCE = {1: 0, 2: 7, 3: 31}

#: Largest distance (km) between two places, by the coarser geo precision.
DISTANCE_KM = {1: 3.0, 2: 25.0, 3: 150.0}

_GENERIC_PREFIXES = ("unidentified", "civilians", "protesters", "rioters", "unknown")

#: State sides: named, but party to so many events that sharing one proves little.
_STATE_PREFIXES = ("military forces of", "police forces of", "government of")


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether two reports are the same occurrence, and the first reason why not."""

    same: bool
    reason: str


def _parse_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def types_compatible(a: Report, b: Report) -> bool:
    """Same event type and the same or a compatible sub-type."""
    if a.get("event_type") != b.get("event_type") or not a.get("event_type"):
        return False
    sa, sb = a.get("sub_event_type"), b.get("sub_event_type")
    if sa == sb:
        return True
    return any(sa in g and sb in g for g in _SUBTYPE_GROUPS)


def dates_compatible(a: Report, b: Report) -> bool:
    """Dates no further apart than the coarser of the two time precisions allows."""
    da, db = _parse_date(a.get("date")), _parse_date(b.get("date"))
    if da is None or db is None:
        return False
    pa = int(a.get("time_precision") or 1)
    pb = int(b.get("time_precision") or 1)
    coarse = max(pa, pb)
    if coarse >= 3:
        return (da.year, da.month) == (db.year, db.month) or abs((da - db).days) <= 31
    return abs((da - db).days) <= DATE_TOLERANCE.get(coarse, 0)


def _place_key(r: Report) -> str:
    name = r.get("location_name") or r.get("location_text") or ""
    return name_key(str(name)).casefold()


def _has_place(r: Report) -> bool:
    return bool(r.get("country") or r.get("location_name") or r.get("location_text"))


def _country_level(r: Report) -> bool:
    """The place is only the country (no admin1), e.g. "في السعودية"."""
    return bool(r.get("country")) and not r.get("admin1") and not r.get("admin2")


def places_compatible(a: Report, b: Report) -> bool:
    """Same country and a place within the distance the geo precisions allow.

    A place known only to the country is compatible with any place in it (the
    caller then asks for corroboration, see :func:`decide`).
    """
    ca, cb = a.get("country"), b.get("country")
    if ca and cb and ca != cb:
        return False
    if _country_level(a) or _country_level(b):
        return bool(ca and cb)
    ga = int(a.get("geo_precision") or 3)
    gb = int(b.get("geo_precision") or 3)
    coarse = max(ga, gb)
    ka, kb = _place_key(a), _place_key(b)
    if ka and ka == kb:
        return True
    if coarse >= 3:
        a1, b1 = a.get("admin1"), b.get("admin1")
        if a1 and b1:
            return str(a1).casefold() == str(b1).casefold()
    if coarse >= 2:
        a2, b2 = a.get("admin2"), b.get("admin2")
        if a2 and b2 and str(a2).casefold() == str(b2).casefold():
            return True
    coords = (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon"))
    if all(c is not None for c in coords):
        lat1, lon1, lat2, lon2 = (float(c) for c in coords)  # type: ignore[arg-type]
        return haversine_km(lat1, lon1, lat2, lon2) <= DISTANCE_KM.get(coarse, 3.0)
    return False


def _actors(r: Report) -> set[str]:
    names = {r.get("actor1"), r.get("actor2")}
    for key in ("assoc_actor_1", "assoc_actor_2"):
        for item in r.get(key) or []:
            if isinstance(item, Mapping):
                names.add(item.get("name"))
    # A name with an unfilled template slot ("Police Forces of {of}") names nobody.
    return {str(n).casefold() for n in names if n and "{" not in str(n)}


def _is_generic(name: str) -> bool:
    return name.startswith(_GENERIC_PREFIXES)


def actors_compatible(a: Report, b: Report) -> bool:
    """Named actors overlap, or one side names none (generic sides never conflict)."""
    na = {n for n in _actors(a) if not _is_generic(n)}
    nb = {n for n in _actors(b) if not _is_generic(n)}
    if not na or not nb:
        return True
    return bool(na & nb)


def decide(a: Report, b: Report) -> Decision:
    """Whether reports ``a`` and ``b`` are of the same occurrence."""
    if a.get("doc_id") is not None and a.get("doc_id") == b.get("doc_id"):
        return Decision(False, "same article")
    if not types_compatible(a, b):
        return Decision(False, "type")
    if not dates_compatible(a, b):
        return Decision(False, "date")
    if _has_place(a) and _has_place(b):
        if not places_compatible(a, b):
            return Decision(False, "place")
    elif not (a.get("sub_event_type") == b.get("sub_event_type") and _named_overlap(a, b)):
        return Decision(False, "no place")
    if not actors_compatible(a, b):
        return Decision(False, "actors")
    coarse = _coarse_time(a, b) or _country_level(a) or _country_level(b)
    if coarse and not _corroborated(a, b):
        return Decision(False, "coarse date or place, not corroborated")
    return Decision(True, "")


def _corroborated(a: Report, b: Report) -> bool:
    """No reported count differs, and a count or a named actor is shared.

    With a week- or month-level date or a country-level place, type and the rest do
    not single out one occurrence (border shelling recurs every few days), so the two
    reports must agree on something specific.
    """
    return _counts_agree(a, b) and (_same_count(a, b) or _specific_overlap(a, b))


def _same_count(a: Report, b: Report) -> bool:
    return any(
        a.get(k) is not None and a.get(k) == b.get(k)
        for k in ("fatalities", "injured", "displaced", "arrested")
    )


def _coarse_time(a: Report, b: Report) -> bool:
    """Either date is only known to the week or the month."""
    return max(int(a.get("time_precision") or 1), int(b.get("time_precision") or 1)) >= 2


def _counts_agree(a: Report, b: Report) -> bool:
    """No reported count (deaths, injured, ...) differs between the two reports."""
    for key in ("fatalities", "injured", "displaced", "arrested"):
        va, vb = a.get(key), b.get(key)
        if va is not None and vb is not None and int(va) != int(vb):
            return False
    return True


def _named_overlap(a: Report, b: Report) -> bool:
    na = {n for n in _actors(a) if not _is_generic(n)}
    return bool(na & {n for n in _actors(b) if not _is_generic(n)})


def _specific_overlap(a: Report, b: Report) -> bool:
    """A shared actor that is neither generic nor a state side."""
    shared = _actors(a) & _actors(b)
    return any(not _is_generic(n) and not n.startswith(_STATE_PREFIXES) for n in shared)


def same_occurrence(a: Report, b: Report) -> bool:
    """Shorthand for ``decide(a, b).same``."""
    return decide(a, b).same


def _sort_key(r: Report) -> tuple[str, str, str, int]:
    return (
        str(r.get("date") or ""),
        str(r.get("doc_id") or ""),
        str(r.get("event_id") or ""),
        int(r.get("id") or 0),
    )


def cluster(reports: Sequence[Report]) -> list[list[int]]:
    """Group reports of the same occurrence; returns lists of indexes into ``reports``.

    Deterministic for a given set of reports (their input order does not matter).
    """
    order = sorted(range(len(reports)), key=lambda i: _sort_key(reports[i]))
    groups: list[list[int]] = []
    # Open groups per country, with the latest date in each, for blocking.
    by_country: dict[Any, list[int]] = defaultdict(list)
    last_date: list[date | None] = []
    docs: list[set[Any]] = []
    window = timedelta(days=max(DATE_TOLERANCE.values()))
    for i in order:
        r = reports[i]
        d = _parse_date(r.get("date"))
        best: int | None = None
        if d is not None:
            for g in by_country[r.get("country")]:
                gd = last_date[g]
                if gd is None or d - gd > window:
                    continue
                if r.get("doc_id") in docs[g]:
                    continue
                if all(same_occurrence(r, reports[j]) for j in groups[g]) and (
                    best is None or len(groups[g]) > len(groups[best])
                ):
                    best = g
        if best is None:
            groups.append([i])
            last_date.append(d)
            docs.append({r.get("doc_id")})
            by_country[r.get("country")].append(len(groups) - 1)
            if len(by_country[r.get("country")]) > 4000:
                by_country[r.get("country")] = [
                    g
                    for g in by_country[r.get("country")]
                    if last_date[g] is not None and d is not None and d - last_date[g] <= window  # type: ignore[operator]
                ]
        else:
            groups[best].append(i)
            docs[best].add(r.get("doc_id"))
            if d is not None and (last_date[best] is None or d > last_date[best]):  # type: ignore[operator]
                last_date[best] = d
    return groups


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1], str(kv[0])))[0] if counts else None


def merge(members: Sequence[Report]) -> dict[str, Any]:
    """Canonical fields of one occurrence from its reports (ACLED's conservative rules).

    Fatalities and other counts take the lowest reported figure; the date comes from
    the report with the finest time precision (earliest on ties), the place from the
    finest geo precision (most reported on ties); type and actors are the most
    reported; every source and outlet is listed. Fields on which reports disagree are
    recorded in ``disagreement`` with every value given.
    """
    if not members:
        raise ValueError("merge() needs at least one report")
    by_time = sorted(
        members, key=lambda r: (int(r.get("time_precision") or 3), str(r.get("date") or "9"))
    )
    by_place = sorted(
        members,
        key=lambda r: (
            int(r.get("geo_precision") or 4),
            -sum(1 for m in members if _place_key(m) == _place_key(r)),
            str(r.get("event_id") or ""),
        ),
    )
    etype = _most_common(r.get("event_type") for r in members)
    sub = _most_common(r.get("sub_event_type") for r in members if r.get("event_type") == etype)
    place = by_place[0]
    out: dict[str, Any] = {
        "event_type": etype,
        "sub_event_type": sub,
        "date": by_time[0].get("date"),
        "time_precision": by_time[0].get("time_precision"),
        "actor1": _most_common(r.get("actor1") for r in members),
        "actor2": _most_common(r.get("actor2") for r in members),
        "location_text": place.get("location_text"),
        "location_name": place.get("location_name"),
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "admin2": place.get("admin2"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "geo_precision": place.get("geo_precision"),
    }
    if out["actor2"] == out["actor1"]:
        out["actor2"] = _most_common(
            r.get("actor2") if r.get("actor2") != out["actor1"] else r.get("actor1")
            for r in members
        )
        if out["actor2"] == out["actor1"]:
            out["actor2"] = None
    for key in ("assoc_actor_1", "assoc_actor_2"):
        seen: dict[str, dict[str, Any]] = {}
        for r in members:
            for item in r.get(key) or []:
                if isinstance(item, Mapping) and item.get("name") and item["name"] not in seen:
                    seen[str(item["name"])] = dict(item)
        out[key] = list(seen.values())
    disagreement: dict[str, list[Any]] = {}
    for key in ("fatalities", "injured", "displaced", "arrested"):
        vals = sorted({int(r[key]) for r in members if r.get(key) is not None})
        out[key] = vals[0] if vals else None
        if len(vals) > 1:
            disagreement[key] = vals
    for key in ("date", "event_type", "sub_event_type", "location_name", "actor1", "actor2"):
        svals = sorted({str(r[key]) for r in members if r.get(key)})
        if len(svals) > 1:
            disagreement[key] = svals
    sources: list[str] = []
    outlets: list[str] = []
    for r in sorted(members, key=_sort_key):
        for s in r.get("sources") or []:
            if s not in sources:
                sources.append(s)
        o = r.get("outlet")
        if o and o not in outlets:
            outlets.append(str(o))
    out["sources"] = sources
    out["outlets"] = outlets
    out["n_reports"] = len(members)
    out["disagreement"] = disagreement
    return out


def assign_ids(old: Mapping[int, set[int]], new: Sequence[set[int]]) -> list[int | None]:
    """For each new group, the old group id it continues (largest overlap), or ``None``.

    Each old id is used at most once, so relinking never duplicates a canonical event;
    reports of groups that are split or merged keep the id of their largest share.
    """
    owner: dict[int, int] = {}
    for cid, ids in old.items():
        for rid in ids:
            owner[rid] = cid
    candidates: list[tuple[int, int, int]] = []  # (-overlap, group index, old id)
    for gi, ids in enumerate(new):
        counts = Counter(owner[r] for r in ids if r in owner)
        for cid, n in counts.items():
            candidates.append((-n, gi, cid))
    candidates.sort()
    result: list[int | None] = [None] * len(new)
    used: set[int] = set()
    for _neg, gi, cid in candidates:
        if result[gi] is None and cid not in used:
            result[gi] = cid
            used.add(cid)
    return result
