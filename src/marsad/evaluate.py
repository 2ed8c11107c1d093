"""Score extracted events against a gold file (spec/EVENTS.md §4).

Pure functions, usable from Python without the command line::

    gold = load_gold("gold.jsonl")
    system = load_system("out.jsonl")
    report = score(gold, system)
    print(report.events.f1, report.fields["date"].accuracy)

Matching. A system event *matches* a gold event of the same article when both have the
same ``event_type`` and either an evidence span of one overlaps an evidence span of the
other (gold evidence strings are located in the text with ``str.find``, every occurrence),
or their location texts are equal or one contains the other after
:func:`marsad.text.arabic.normalize`. Matching is one-to-one per article and maximises
the number of matched pairs first, then the total overlap in characters (an exact
maximum-weight assignment, see :func:`max_weight_assignment`).

Fields are scored on matched pairs only:

* ``sub_event_type``, ``date``, ``time_precision``: exact equality.
* ``location``: correct when both are null; when the gold place has coordinates, when the
  system's are within :data:`LOCATION_KM` km; when it has none, when the normalised texts
  are equal or one contains the other.
* ``country``, ``admin1``, ``geo_precision``: equality of that location field (a null
  location counts as null fields; ``admin1`` ignores case).
* ``actors``: micro-averaged over sides. The gold sides {actor1, actor2} (each a list of
  acceptable names) and the system sides {actor1, actor2} are matched one-to-one,
  ignoring slot order; a system side fits a gold side when its ``name`` or ``text`` has
  the same :func:`marsad.text.arabic.name_key` (case-folded) as one of the gold names
  (the text's first word is also tried without its proclitics). Each event adds the
  number of fitted sides to *correct* and ``max(gold sides, system sides)`` to *total*,
  so a missing side and an extra side both cost one; an event with no side on either
  part adds nothing.
* ``fatalities``, ``injured``, ``displaced``, ``arrested``: counted only on pairs where
  gold or system has a number; correct when they are equal.
* ``sources``: correct when every gold source is equal to, contains or is contained in a
  system source, and every system source likewise fits a gold source (normalised); when
  gold has none, correct only when the system has none.
"""

from __future__ import annotations

import copy
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import InputError
from marsad.geo import haversine_km
from marsad.text.arabic import clitic_variants, name_key, normalize

Event = dict[str, Any]
Span = tuple[int, int]

#: Distance under which a system location counts as the gold one.
LOCATION_KM = 25.0
#: Fields scored on matched events, in report order.
FIELDS: tuple[str, ...] = (
    "sub_event_type",
    "date",
    "time_precision",
    "location",
    "country",
    "admin1",
    "geo_precision",
    "actors",
    "fatalities",
    "injured",
    "displaced",
    "arrested",
    "sources",
)
COUNT_FIELDS: tuple[str, ...] = ("fatalities", "injured", "displaced", "arrested")
_SNIPPET = 90


@dataclass(frozen=True)
class GoldArticle:
    """One line of a gold file: the article and its annotated events."""

    doc_id: str
    text: str
    published: str | None
    events: list[Event]


@dataclass
class Tally:
    """Correct / total counts for one field."""

    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float | None:
        """``correct / total``, or ``None`` when nothing was counted."""
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.accuracy}


@dataclass(frozen=True)
class PRF:
    """Event detection counts and their precision, recall and F1."""

    gold: int
    system: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.system if self.system else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else (1.0 if not self.system else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "system": self.system,
            "matched": self.matched,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Report:
    """Everything :func:`score` measures; :meth:`to_dict` gives its JSON form."""

    events: PRF
    fields: dict[str, Tally]
    articles: list[dict[str, Any]]
    subtype_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    type_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    missed_by_type: Counter[str] = field(default_factory=Counter)
    spurious_by_type: Counter[str] = field(default_factory=Counter)
    false_negatives: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    field_errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of the whole report."""

        def pairs(c: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
            return [{"gold": g, "system": s, "count": n} for (g, s), n in c.most_common()]

        return {
            "events": self.events.to_dict(),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "articles": self.articles,
            "errors": {
                "sub_event_type_confusion": pairs(self.subtype_confusion),
                "event_type_confusion": pairs(self.type_confusion),
                "missed_by_type": dict(self.missed_by_type.most_common()),
                "spurious_by_type": dict(self.spurious_by_type.most_common()),
                "false_negatives": self.false_negatives,
                "false_positives": self.false_positives,
                "field_errors": self.field_errors,
            },
            "warnings": self.warnings,
        }


# --------------------------------------------------------------------------- loading


def _read_jsonl(path: str | Path) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{n}: expected a JSON object per line")
            yield n, obj


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Read a gold JSONL file (spec/EVENTS.md §4); each line needs ``text`` and ``events``."""
    out: list[GoldArticle] = []
    for n, obj in _read_jsonl(path):
        text, events = obj.get("text"), obj.get("events")
        if not isinstance(text, str) or not isinstance(events, list):
            raise InputError(f"{path}:{n}: a gold line needs 'text' and 'events'")
        doc_id = str(obj.get("doc_id") or f"{Path(path).name}:{n}")
        out.append(GoldArticle(doc_id, text, obj.get("published"), events))
    return out


def load_system(path: str | Path) -> dict[str, list[Event]]:
    """Read ``marsad extract`` output (spec/IO.md): doc_id → its events."""
    out: dict[str, list[Event]] = {}
    for n, obj in _read_jsonl(path):
        doc_id, events = obj.get("doc_id"), obj.get("events", [])
        if doc_id is None or not isinstance(events, list):
            raise InputError(f"{path}:{n}: an output line needs 'doc_id' and 'events'")
        out.setdefault(str(doc_id), []).extend(events)
    return out


# --------------------------------------------------------------------------- spans


def locate_evidence(text: str, evidence: Sequence[str]) -> list[Span]:
    """Every occurrence in ``text`` of every evidence string, as (start, end) offsets."""
    spans: list[Span] = []
    for ev in evidence:
        if not ev:
            continue
        pos = text.find(ev)
        while pos >= 0:
            spans.append((pos, pos + len(ev)))
            pos = text.find(ev, pos + 1)
    return sorted(spans)


def system_spans(text: str, event: Event) -> list[Span]:
    """The evidence spans of a system event: ``{"start","end"}`` dicts (strings are located).

    Spans outside the text or empty are dropped.
    """
    spans: list[Span] = []
    for ev in event.get("evidence") or []:
        if isinstance(ev, str):
            spans.extend(locate_evidence(text, [ev]))
        elif isinstance(ev, Mapping):
            s, e = ev.get("start"), ev.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
                spans.append((s, e))
    return sorted(spans)


def overlap_chars(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Number of characters covered by both span sets (each set merged first)."""
    ma, mb = _merge(a), _merge(b)
    total = i = j = 0
    while i < len(ma) and j < len(mb):
        lo, hi = max(ma[i][0], mb[j][0]), min(ma[i][1], mb[j][1])
        if lo < hi:
            total += hi - lo
        if ma[i][1] < mb[j][1]:
            i += 1
        else:
            j += 1
    return total


def _merge(spans: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# --------------------------------------------------------------------------- matching


def _norm(s: str) -> str:
    return " ".join(normalize(s).split()).casefold()


def _loc_text(event: Event) -> str:
    loc = event.get("location")
    if isinstance(loc, Mapping) and isinstance(loc.get("text"), str):
        return _norm(loc["text"])
    return ""


def _contains_either(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a in b or b in a)


def max_weight_assignment(weights: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Pairs (row, column) of a one-to-one assignment of maximum total weight.

    Weights must be non-negative; a pair of weight 0 means "not allowed" and is never
    returned. Exact (Hungarian algorithm with potentials, O(n²m)).
    """
    n = len(weights)
    m = len(weights[0]) if n else 0
    if not n or not m:
        return []
    transposed = n > m
    w = [list(r) for r in zip(*weights, strict=True)] if transposed else [list(r) for r in weights]
    n, m = len(w), len(w[0])
    inf = math.inf
    # u, v: potentials; p[j]: row (1-based) assigned to column j; minimising -w.
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = -w[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j], way[j] = cur, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j] and w[p[j] - 1][j - 1] > 0]
    if transposed:
        pairs = [(c, r) for r, c in pairs]
    return sorted(pairs)


def match_events(
    text: str, gold_events: Sequence[Event], system_events: Sequence[Event]
) -> list[tuple[int, int]]:
    """One-to-one (gold index, system index) matches within one article (see module doc)."""
    gspans = [locate_evidence(text, g.get("evidence") or []) for g in gold_events]
    sspans = [system_spans(text, s) for s in system_events]
    gloc = [_loc_text(g) for g in gold_events]
    sloc = [_loc_text(s) for s in system_events]
    # Any allowed pair outweighs every overlap bonus together, so the number of
    # matches is maximised first and the overlap only breaks ties.
    big = (min(len(gold_events), len(system_events)) + 1) * (len(text) + 1)
    weights: list[list[int]] = []
    for gi, g in enumerate(gold_events):
        row: list[int] = []
        for si, s in enumerate(system_events):
            wgt = 0
            if g.get("event_type") == s.get("event_type"):
                ov = overlap_chars(gspans[gi], sspans[si])
                if ov or _contains_either(gloc[gi], sloc[si]):
                    wgt = big + ov
            row.append(wgt)
        weights.append(row)
    return max_weight_assignment(weights)


def _match_by_overlap(
    text: str, gold_events: Sequence[Event], system_events: Sequence[Event]
) -> list[tuple[int, int]]:
    """Evidence-overlap matching ignoring type: used to report type confusions."""
    gspans = [locate_evidence(text, g.get("evidence") or []) for g in gold_events]
    sspans = [system_spans(text, s) for s in system_events]
    weights = [[overlap_chars(g, s) for s in sspans] for g in gspans]
    return max_weight_assignment(weights)


# --------------------------------------------------------------------------- fields


def _coords(loc: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = loc.get("lat"), loc.get("lon")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return float(lat), float(lon)
    return None


def location_correct(gold: Mapping[str, Any] | None, system: Mapping[str, Any] | None) -> bool:
    """Location rule of the module doc (25 km, or text when gold has no coordinates)."""
    if gold is None or system is None:
        return gold is None and system is None
    gc = _coords(gold)
    if gc is not None:
        sc = _coords(system)
        return sc is not None and haversine_km(*gc, *sc) <= LOCATION_KM
    return _contains_either(
        _norm(str(gold.get("text") or "")), _norm(str(system.get("text") or ""))
    )


def _loc_field(event: Event, key: str) -> Any:
    loc = event.get("location")
    return loc.get(key) if isinstance(loc, Mapping) else None


def _name_keys(names: Iterable[str]) -> set[str]:
    return {name_key(n).casefold() for n in names if isinstance(n, str) and n.strip()}


def _system_side_keys(side: Mapping[str, Any]) -> set[str]:
    keys = _name_keys(v for v in (side.get("name"), side.get("text")) if isinstance(v, str))
    text = side.get("text")
    if isinstance(text, str) and text.split():
        first, *rest = normalize(text).split()
        for _pre, stem in clitic_variants(first):
            keys.add(name_key(" ".join([stem, *rest])).casefold())
    return keys


def actor_sides(gold: Event, system: Event) -> tuple[int, int]:
    """(fitted sides, counted sides) for one matched pair (see module doc)."""
    gsides = [
        _name_keys(g) for g in (gold.get("actor1"), gold.get("actor2")) if isinstance(g, list) and g
    ]
    ssides = [
        _system_side_keys(s)
        for s in (system.get("actor1"), system.get("actor2"))
        if isinstance(s, Mapping)
    ]
    weights = [[1 if g & s else 0 for s in ssides] for g in gsides]
    fitted = len(max_weight_assignment(weights)) if gsides and ssides else 0
    return fitted, max(len(gsides), len(ssides))


def sources_correct(gold: Sequence[str] | None, system: Sequence[str] | None) -> bool:
    """Sources rule of the module doc (containment both ways, no extras)."""
    g = [_norm(x) for x in gold or [] if isinstance(x, str) and x.strip()]
    s = [_norm(x) for x in system or [] if isinstance(x, str) and x.strip()]
    if not g:
        return not s
    return all(any(_contains_either(a, b) for b in s) for a in g) and all(
        any(_contains_either(b, a) for a in g) for b in s
    )


def field_values(field_name: str, gold: Event, system: Event) -> tuple[Any, Any]:
    """The gold and system values that ``field_name`` compares, for error listings."""
    if field_name in ("country", "admin1", "geo_precision"):
        return _loc_field(gold, field_name), _loc_field(system, field_name)
    if field_name == "location":
        return gold.get("location"), system.get("location")
    if field_name == "actors":
        g = [
            a[0] if isinstance(a, list) and a else None
            for a in (gold.get("actor1"), gold.get("actor2"))
        ]
        s = [
            f"{a.get('name')} / {a.get('text')}" if isinstance(a, Mapping) else None
            for a in (system.get("actor1"), system.get("actor2"))
        ]
        return g, s
    return gold.get(field_name), system.get(field_name)


def score_fields(gold: Event, system: Event) -> dict[str, tuple[int, int]]:
    """For one matched pair: field → (correct, counted); fields not counted are absent.

    Every field counts 1 except ``actors`` (one per side) and the number fields (absent
    when neither part has a number).
    """

    def one(ok: bool) -> tuple[int, int]:
        return (1 if ok else 0), 1

    out: dict[str, tuple[int, int]] = {}
    for f in ("sub_event_type", "date", "time_precision"):
        out[f] = one(gold.get(f) == system.get(f))
    out["location"] = one(location_correct(gold.get("location"), system.get("location")))
    for f in ("country", "geo_precision"):
        out[f] = one(_loc_field(gold, f) == _loc_field(system, f))
    ga, sa = _loc_field(gold, "admin1"), _loc_field(system, "admin1")
    both_str = isinstance(ga, str) and isinstance(sa, str)
    out["admin1"] = one(ga.casefold() == sa.casefold() if both_str else ga == sa)
    fitted, sides = actor_sides(gold, system)
    if sides:
        out["actors"] = (fitted, sides)
    for f in COUNT_FIELDS:
        g, s = gold.get(f), system.get(f)
        if g is not None or s is not None:
            out[f] = one(g == s)
    out["sources"] = one(sources_correct(gold.get("sources"), system.get("sources")))
    return out


# --------------------------------------------------------------------------- scoring


def _snippet(text: str, spans: Sequence[Span], evidence: Sequence[str] = ()) -> str:
    raw = evidence[0] if evidence else (text[spans[0][0] : spans[0][1]] if spans else "")
    raw = " ".join(raw.split())
    return raw if len(raw) <= _SNIPPET else raw[: _SNIPPET - 1] + "…"


def _event_brief(text: str, event: Event, spans: Sequence[Span], gold: bool) -> dict[str, Any]:
    return {
        "event_type": event.get("event_type"),
        "sub_event_type": event.get("sub_event_type"),
        "date": event.get("date"),
        "location": _loc_field(event, "text"),
        "evidence": _snippet(text, spans, (event.get("evidence") or []) if gold else ()),
    }


def score(gold: Sequence[GoldArticle], system: Mapping[str, Sequence[Event]]) -> Report:
    """Score system events (doc_id → events) against the gold articles.

    Articles absent from ``system`` count as having no events; system articles absent
    from the gold are ignored (both are noted in ``Report.warnings``).
    """
    fields = {f: Tally() for f in FIELDS}
    report = Report(events=PRF(0, 0, 0), fields=fields, articles=[])
    n_gold = n_sys = n_match = 0
    gold_ids = {a.doc_id for a in gold}
    missing = [a.doc_id for a in gold if a.doc_id not in system]
    extra = sorted(set(system) - gold_ids)
    if missing:
        report.warnings.append(f"{len(missing)} gold article(s) missing from the output")
    if extra:
        report.warnings.append(f"{len(extra)} output article(s) not in the gold file, ignored")
    for art in gold:
        sys_events = list(system.get(art.doc_id, []))
        for gi, g in enumerate(art.events):
            if g.get("evidence") and not locate_evidence(art.text, g["evidence"]):
                report.warnings.append(f"{art.doc_id} gold event {gi}: evidence not in text")
        pairs = match_events(art.text, art.events, sys_events)
        prf = PRF(len(art.events), len(sys_events), len(pairs))
        report.articles.append({"doc_id": art.doc_id, **prf.to_dict()})
        n_gold, n_sys, n_match = n_gold + prf.gold, n_sys + prf.system, n_match + prf.matched
        for gi, si in pairs:
            g, s = art.events[gi], sys_events[si]
            for f, (correct, counted) in score_fields(g, s).items():
                fields[f].correct += correct
                fields[f].total += counted
                if correct == counted:
                    continue
                gv, sv = field_values(f, g, s)
                if f == "sub_event_type":
                    report.subtype_confusion[(str(gv), str(sv))] += 1
                report.field_errors.append(
                    {"doc_id": art.doc_id, "gold_index": gi, "system_index": si,
                     "field": f, "gold": gv, "system": sv}
                )  # fmt: skip
        _record_unmatched(report, art, sys_events, pairs)
    report.events = PRF(n_gold, n_sys, n_match)
    return report


def _record_unmatched(
    report: Report, art: GoldArticle, sys_events: Sequence[Event], pairs: Sequence[tuple[int, int]]
) -> None:
    gi_left = [i for i in range(len(art.events)) if i not in {g for g, _ in pairs}]
    si_left = [i for i in range(len(sys_events)) if i not in {s for _, s in pairs}]
    g_ev = [art.events[i] for i in gi_left]
    s_ev = [sys_events[i] for i in si_left]
    for a, b in _match_by_overlap(art.text, g_ev, s_ev):
        gt, st = g_ev[a].get("event_type"), s_ev[b].get("event_type")
        if gt != st:
            report.type_confusion[(str(gt), str(st))] += 1
    for i in gi_left:
        ev = art.events[i]
        report.missed_by_type[str(ev.get("event_type"))] += 1
        spans = locate_evidence(art.text, ev.get("evidence") or [])
        report.false_negatives.append(
            {"doc_id": art.doc_id, "index": i, **_event_brief(art.text, ev, spans, gold=True)}
        )
    for i in si_left:
        ev = sys_events[i]
        report.spurious_by_type[str(ev.get("event_type"))] += 1
        spans = system_spans(art.text, ev)
        report.false_positives.append(
            {"doc_id": art.doc_id, "index": i, **_event_brief(art.text, ev, spans, gold=False)}
        )


def gold_to_system(article: GoldArticle) -> list[Event]:
    """Convert gold events to the output shape of spec/IO.md (first name of each actor,
    evidence strings as offsets). Scoring the result against the gold gives F1 1.0; it is
    also a reference for what the extractor should write."""
    out: list[Event] = []
    for i, g in enumerate(article.events):
        ev: Event = {"event_id": f"{article.doc_id}/{i}"}
        for k, v in g.items():
            if k in ("actor1", "actor2"):
                ev[k] = {"name": v[0], "text": v[1] if len(v) > 1 else v[0]} if v else None
            elif k in ("assoc_actor_1", "assoc_actor_2"):
                ev[k] = [{"name": v[0], "text": v[1] if len(v) > 1 else v[0]}] if v else []
            elif k == "evidence":
                ev[k] = [{"start": s, "end": e} for s, e in locate_evidence(article.text, v)]
            else:
                ev[k] = copy.deepcopy(v)
        out.append(ev)
    return out
