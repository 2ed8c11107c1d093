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

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from marsad.geo import haversine_km
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


@dataclass(frozen=True, slots=True)
class Features:
    """What :func:`decide` compares, computed once per report."""

    doc_id: Any
    event_type: str | None
    sub_event_type: str | None
    day: date | None
    time_precision: int
    country: str | None
    admin1: str
    admin2: str
    geo_precision: int
    place_key: str
    lat: float | None
    lon: float | None
    has_place: bool
    country_level: bool
    named: frozenset[str]  # actors that are not generic sides
    specific: frozenset[str]  # named actors that are not state sides either
    counts: tuple[int | None, ...]  # fatalities, injured, displaced, arrested

    @classmethod
    def of(cls, r: Report) -> Features:
        """The features of one report (an ``events`` row with ``doc_id``)."""
        actors = _actors(r)
        named = frozenset(n for n in actors if not n.startswith(_GENERIC_PREFIXES))
        lat, lon = r.get("lat"), r.get("lon")
        return cls(
            doc_id=r.get("doc_id"),
            event_type=r.get("event_type"),
            sub_event_type=r.get("sub_event_type"),
            day=_parse_date(r.get("date")),
            time_precision=int(r.get("time_precision") or 1),
            country=r.get("country"),
            admin1=str(r.get("admin1") or "").casefold(),
            admin2=str(r.get("admin2") or "").casefold(),
            geo_precision=int(r.get("geo_precision") or 3),
            place_key=name_key(
                str(r.get("location_name") or r.get("location_text") or "")
            ).casefold(),
            lat=float(lat) if lat is not None else None,
            lon=float(lon) if lon is not None else None,
            has_place=bool(r.get("country") or r.get("location_name") or r.get("location_text")),
            country_level=bool(r.get("country")) and not r.get("admin1") and not r.get("admin2"),
            named=named,
            specific=frozenset(n for n in named if not n.startswith(_STATE_PREFIXES)),
            counts=tuple(
                int(r[k]) if r.get(k) is not None else None
                for k in ("fatalities", "injured", "displaced", "arrested")
            ),
        )


def _actors(r: Report) -> set[str]:
    names = {r.get("actor1"), r.get("actor2")}
    for key in ("assoc_actor_1", "assoc_actor_2"):
        for item in r.get(key) or []:
            if isinstance(item, Mapping):
                names.add(item.get("name"))
    # A name with an unfilled template slot ("Police Forces of {of}") names nobody.
    return {str(n).casefold() for n in names if n and "{" not in str(n)}


def _types_compatible(a: Features, b: Features) -> bool:
    if a.event_type != b.event_type or not a.event_type:
        return False
    sa, sb = a.sub_event_type, b.sub_event_type
    return sa == sb or any(sa in g and sb in g for g in _SUBTYPE_GROUPS)


def _dates_compatible(a: Features, b: Features) -> bool:
    if a.day is None or b.day is None:
        return False
    coarse = max(a.time_precision, b.time_precision)
    gap = abs((a.day - b.day).days)
    if coarse >= 3:
        return (a.day.year, a.day.month) == (b.day.year, b.day.month) or gap <= 31
    return gap <= DATE_TOLERANCE.get(coarse, 0)


def _places_compatible(a: Features, b: Features) -> bool:
    """Same country and a place within the distance the geo precisions allow.

    A place known only to the country is compatible with any place in it (the
    caller then asks for corroboration, see :func:`decide`).
    """
    if a.country and b.country and a.country != b.country:
        return False
    if a.country_level or b.country_level:
        return bool(a.country and b.country)
    coarse = max(a.geo_precision, b.geo_precision)
    if a.place_key and a.place_key == b.place_key:
        return True
    if coarse >= 3 and a.admin1 and b.admin1:
        return a.admin1 == b.admin1
    if coarse >= 2 and a.admin2 and a.admin2 == b.admin2:
        return True
    if a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None:
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= DISTANCE_KM.get(coarse, 3.0)
    return False


def _corroborated(a: Features, b: Features) -> bool:
    """No reported count differs, and a count or a specific named actor is shared.

    With a week- or month-level date or a country-level place, type and the rest do
    not single out one occurrence (border shelling recurs every few days), so the two
    reports must agree on something specific. State sides are party to too many
    events to count.
    """
    same_count = False
    for va, vb in zip(a.counts, b.counts, strict=True):
        if va is not None and vb is not None:
            if va != vb:
                return False
            same_count = True
    return same_count or bool(a.specific & b.specific)


def decide_features(a: Features, b: Features) -> Decision:
    """:func:`decide` on precomputed :class:`Features`."""
    if a.doc_id is not None and a.doc_id == b.doc_id:
        return Decision(False, "same article")
    if not _types_compatible(a, b):
        return Decision(False, "type")
    if not _dates_compatible(a, b):
        return Decision(False, "date")
    if a.has_place and b.has_place:
        if not _places_compatible(a, b):
            return Decision(False, "place")
    elif not (a.sub_event_type == b.sub_event_type and a.named & b.named):
        return Decision(False, "no place")
    if a.named and b.named and not a.named & b.named:
        return Decision(False, "actors")
    coarse = max(a.time_precision, b.time_precision) >= 2 or a.country_level or b.country_level
    if coarse and not _corroborated(a, b):
        return Decision(False, "coarse date or place, not corroborated")
    return Decision(True, "")


def decide(a: Report, b: Report) -> Decision:
    """Whether reports ``a`` and ``b`` are of the same occurrence, and if not, why."""
    return decide_features(Features.of(a), Features.of(b))


def same_occurrence(a: Report, b: Report) -> bool:
    """Shorthand for ``decide(a, b).same``."""
    return decide(a, b).same


def _subtype_block(sub: Any) -> Any:
    """Sub-types that can be linked share a block: the index of their group, or themselves."""
    for i, g in enumerate(_SUBTYPE_GROUPS):
        if sub in g:
            return i
    return sub


def _place_key(r: Report) -> str:
    return name_key(str(r.get("location_name") or r.get("location_text") or "")).casefold()


def _sort_key(r: Report) -> tuple[str, str, str, int]:
    return (
        str(r.get("date") or ""),
        str(r.get("doc_id") or ""),
        str(r.get("event_id") or ""),
        int(r.get("id") or 0),
    )


def _is_coarse(f: Features) -> bool:
    """Linking this report needs corroboration (see :func:`_corroborated`)."""
    return f.time_precision >= 2 or f.country_level


def _corroboration_keys(f: Features) -> list[tuple[str, Any]]:
    """Keys two reports must share for :func:`_corroborated` to hold."""
    keys: list[tuple[str, Any]] = [(str(i), v) for i, v in enumerate(f.counts) if v is not None]
    keys.extend(("actor", name) for name in sorted(f.specific))
    return keys


def cluster(reports: Sequence[Report]) -> list[list[int]]:
    """Group reports of the same occurrence; returns lists of indexes into ``reports``.

    Deterministic for a given set of reports (their input order does not matter).
    Candidate groups are found through two indexes, so the cost grows with the
    number of similar reports, not with the size of the store: reports with a
    day-precise date and place can only join a group with a member on the same day;
    a pair involving a coarse report must share a count or a named actor.
    """
    order = sorted(range(len(reports)), key=lambda i: _sort_key(reports[i]))
    feats = [Features.of(r) for r in reports]
    groups: list[list[int]] = []
    docs: list[set[Any]] = []
    by_day: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    by_key: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i in order:
        f = feats[i]
        block = (f.country, f.event_type, _subtype_block(f.sub_event_type))
        keys = [(*block, *k) for k in _corroboration_keys(f)]
        candidates: set[int] = set()
        if f.day is not None and f.event_type:
            if not _is_coarse(f):
                candidates.update(by_day.get((*block, f.day), ()))
            for k in keys:
                candidates.update(by_key.get(k, ()))
        best: int | None = None
        for g in sorted(candidates):
            if f.doc_id in docs[g]:
                continue
            if (best is None or len(groups[g]) > len(groups[best])) and all(
                decide_features(f, feats[j]).same for j in groups[g]
            ):
                best = g
        if best is None:
            best = len(groups)
            groups.append([])
            docs.append(set())
        groups[best].append(i)
        docs[best].add(f.doc_id)
        if f.day is not None:
            _add_once(by_day[(*block, f.day)], best)
        for k in keys:
            _add_once(by_key[k], best)
    return groups


def _add_once(items: list[int], value: int) -> None:
    if not items or items[-1] != value:
        if value not in items:
            items.append(value)


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
