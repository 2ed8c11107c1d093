"""Event stages: ``events/v1`` builds event records from triggers and their arguments;
``merge/v1`` merges the reports of one event within an article.

An event record is a plain dict in the IO.md output shape, plus private keys that start
with ``_`` (dropped on output) that the merge stage and the evaluation use.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from marsad.doc import Doc, Span
from marsad.errors import ConfigError
from marsad.events.assemble import (
    Clause,
    SpanIndex,
    actor_out,
    clauses_of,
    counts_in,
)
from marsad.pipeline import Resources, register
from marsad.text.arabic import normalize

log = logging.getLogger(__name__)

#: Sub-types that make an Armed clash in the same sentence redundant (a capture after
#: fighting is one territory event, EVENTS.md / gold notes).
_SUPPRESSES: dict[str, frozenset[str]] = {
    "Non-state actor overtakes territory": frozenset({"Armed clash"}),
    "Government regains territory": frozenset({"Armed clash"}),
    "Suicide bomb": frozenset({"Remote explosive/landmine/IED", "Armed clash"}),
    "Remote explosive/landmine/IED": frozenset({"Armed clash"}),
    "Air/drone strike": frozenset(),
    "Excessive force against protesters": frozenset(
        {"Peaceful protest", "Protest with intervention"}
    ),
    "Protest with intervention": frozenset({"Peaceful protest"}),
    "Violent demonstration": frozenset({"Peaceful protest"}),
}

_TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
_CIVILIAN_TARGET_TYPES = frozenset(
    {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Abduction/forced disappearance",
    }
)

# Words before an actor mention that make it the target / the agent (normalised).
_PATIENT_CUES = frozenset(
    [
        "ضد",
        "علي",
        "مواقع",
        "موقع",
        "مناطق",
        "منطقه",
        "سيطره",
        "تجمعات",
        "تجمع",
        "تمركزات",
        "تمركز",
        "معاقل",
        "مقرات",
        "مقر",
        "نقاط",
        "ثكنه",
        "دوريه",
        "قافله",
        "استهدف",
        "استهدفت",
        "استهداف",
        "مع",
        "عناصر",
        "صفوف",
        "مسلحي",
        "مقاتلي",
    ]
)
_AGENT_CUES = frozenset(["قبل", "يد", "شنها", "نفذها", "شنه", "نفذه", "تبناه", "تبنته"])
_ASSOC_CUES = frozenset(
    ["بالاشتراك", "بدعم", "مدعومه", "مدعوما", "مدعومين", "بمساندة", "بمسانده", "باسناد", "راسها"]
)
_BETWEEN = frozenset(["بين"])


def _get_service(resources: Resources, key: str) -> Any:
    try:
        return resources.get(key)
    except ConfigError:
        log.info("service %s not available; events built without it", key)
        return None


@register("events/v1")
class EventBuilder:
    """Build one event per trigger cluster (sentence × sub-type), with its arguments."""

    reads: ClassVar[tuple[str, ...]] = ("tokens", "triggers")
    writes: ClassVar[tuple[str, ...]] = ("events",)

    def __init__(self, resources: Resources) -> None:
        self.gazetteer = _get_service(resources, "gazetteer")
        self.registry = _get_service(resources, "actors")
        self.resolver = None
        if self.gazetteer is not None:
            try:
                from marsad.resolve.places import PlaceResolver
            except ImportError:
                log.warning("marsad.resolve.places missing: places are not resolved")
            else:
                self.resolver = PlaceResolver(self.gazetteer)

    # -- main -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not doc.tokens:
            return doc
        idx = {
            lab: SpanIndex(doc.spans(lab))
            for lab in (
                "TRIGGER",
                "CASUALTY",
                "NUM",
                "TIME",
                "PLACE",
                "ACTOR",
                "CUE",
                "PERSON_NOUN",
            )
        }
        clauses = clauses_of(doc)
        country = self._article_country(doc)
        place_ctx = self.resolver.article_context(doc) if self.resolver else None
        lead_date = self._lead_date(doc, idx["TIME"])
        events: list[dict[str, Any]] = []
        last_place: dict[int, Span] = {}  # paragraph index -> last event place span
        last_date: dict[int, tuple[str | None, int]] = {}
        last_actor: dict[int, Span] = {}
        sent_clauses: dict[int, list[Clause]] = {}
        for c in clauses:
            sent_clauses.setdefault(c.sent, []).append(c)
        for si, sent in enumerate(doc.sentences):
            cls = sent_clauses.get(si, [])
            para = self._paragraph_of(doc, sent.start)
            cands = self._candidates(doc, sent, cls, idx)
            for trig, clause in cands:
                ev = self._build(
                    doc,
                    sent,
                    clause,
                    trig,
                    idx,
                    country,
                    place_ctx,
                    lead_date,
                    last_place.get(para),
                    last_date.get(para),
                    last_actor.get(para),
                )
                if ev is None:
                    continue
                events.append(ev)
                if ev["_place_span"] is not None:
                    last_place[para] = ev["_place_span"]
                if ev["_date_explicit"]:
                    last_date[para] = (ev["date"], ev["time_precision"])
                if ev["_actor1_span"] is not None:
                    last_actor[para] = ev["_actor1_span"]
        doc.events = events
        return doc

    # -- candidates -----------------------------------------------------------
    def _candidates(
        self, doc: Doc, sent: Span, cls: Sequence[Clause], idx: dict[str, SpanIndex]
    ) -> list[tuple[Span, Clause]]:
        trig = idx["TRIGGER"].within(sent.start, sent.end)
        cues = idx["CUE"].within(sent.start, sent.end)
        cas = idx["CASUALTY"].within(sent.start, sent.end)
        kept: list[tuple[Span, Clause]] = []
        for t in trig:
            clause = _clause_at(cls, t.start)
            if clause is None:
                continue
            if _blocked(t, cues, clause):
                continue
            kept.append((t, clause))
        # weak triggers need support in their clause: a casualty word or a strong trigger
        strong = [k for k in kept if k[0].attrs.get("strength", "strong") == "strong"]
        out: list[tuple[Span, Clause]] = list(strong)
        for t, c in kept:
            if t.attrs.get("strength", "strong") == "strong":
                continue
            if any(c.start <= x.start < c.end for x in cas) and not any(
                sc is c for _, sc in strong
            ):
                out.append((t, c))
        # casualty reports without any trigger: an attack of unstated kind
        if not out:
            for w in cas:
                if w.attrs.get("role") not in ("killed", "killed_injured", "injured"):
                    continue
                clause = _clause_at(cls, w.start)
                if clause is None or _blocked(w, cues, clause):
                    continue
                fake = Span(
                    w.start,
                    w.end,
                    "TRIGGER",
                    {
                        "event_type": "Battles",
                        "sub_event_type": "Armed clash",
                        "strength": "casualty",
                        "phrase": doc.text[w.start : w.end],
                    },
                )
                out.append((fake, clause))
                break
        # one trigger per sub-type per sentence; suppression between sub-types
        subs = {t.attrs.get("sub_event_type") for t, _ in out}
        suppressed: set[str] = set()
        for s in subs:
            suppressed |= _SUPPRESSES.get(str(s), frozenset())
        seen: set[str] = set()
        res: list[tuple[Span, Clause]] = []
        for t, c in sorted(out, key=lambda x: x[0].start):
            sub = str(t.attrs.get("sub_event_type"))
            if sub in suppressed or sub in seen:
                continue
            seen.add(sub)
            res.append((t, c))
        return res

    # -- one event ------------------------------------------------------------
    def _build(
        self,
        doc: Doc,
        sent: Span,
        clause: Clause,
        trig: Span,
        idx: dict[str, SpanIndex],
        country: str | None,
        place_ctx: Any,
        lead_date: tuple[str, int] | None,
        prev_place: Span | None,
        prev_date: tuple[str | None, int] | None,
        prev_actor: Span | None,
    ) -> dict[str, Any] | None:
        sub = str(trig.attrs.get("sub_event_type"))
        etype = str(trig.attrs.get("event_type"))
        # counts: the trigger's clause first, then the whole sentence
        counts = counts_in(doc, sent.start, sent.end, idx["NUM"], idx["CASUALTY"])
        if sub == "Displacement" and counts.displaced is None:
            return None
        # place
        place_span = self._pick_place(idx["PLACE"], clause, sent, trig)
        carried = False
        if place_span is None and prev_place is not None:
            place_span, carried = prev_place, True
        location = None
        if place_span is not None:
            location = self._resolve_place(doc, place_span, place_ctx)
        # date
        date, prec, explicit = self._pick_date(doc, idx["TIME"], clause, sent, trig)
        if date is None and prev_date is not None and prev_date[0] is not None:
            date, prec = prev_date[0], max(2, prev_date[1])
        elif date is None and lead_date is not None:
            date, prec = lead_date[0], max(2, lead_date[1])
        elif date is None and doc.meta.published is not None:
            date, prec = doc.meta.published.isoformat(), 3
        # actors
        a1, a2, assoc1 = self._pick_actors(doc, idx["ACTOR"], sent, clause, trig)
        if a1 is None and prev_actor is not None and a2 is not prev_actor:
            if prev_actor.attrs.get("name") != (a2.attrs.get("name") if a2 else None):
                a1 = prev_actor
        actor1, actor2 = self._actor(a1, country), self._actor(a2, country)
        if actor2 is None and sub in _CIVILIAN_TARGET_TYPES and self._civilians(idx, sent):
            actor2 = {
                "name": f"Civilians ({_country_name(country)})",
                "text": self._civ_text(doc, idx, sent),
            }
        if sub in _TERRITORY:
            sub = self._territory_subtype(a1, sub)
        if sub == "Attack" and actor2 is None and counts.fatalities is None:
            pass
        sources = self._sources(doc, sent.start, sent.end)
        ev: dict[str, Any] = {
            "event_type": etype,
            "sub_event_type": sub,
            "date": date,
            "time_precision": prec,
            "actor1": actor1,
            "assoc_actor_1": [self._actor(a, country) for a in assoc1],
            "actor2": actor2,
            "assoc_actor_2": [],
            "location": location,
            **counts.as_dict(),
            "sources": sources,
            "evidence": [{"start": sent.start, "end": sent.end}],
            "_trigger": {"start": trig.start, "end": trig.end, "phrase": trig.attrs.get("phrase")},
            "_place_span": place_span,
            "_place_carried": carried,
            "_date_explicit": explicit,
            "_actor1_span": a1,
            "_sent": doc.sentences.index(sent),
            "_para": self._paragraph_of(doc, sent.start),
        }
        return ev

    # -- arguments --------------------------------------------------------------
    @staticmethod
    def _pick_place(places: SpanIndex, clause: Clause, sent: Span, trig: Span) -> Span | None:
        in_clause = places.within(clause.start, clause.end)
        pool = in_clause or places.within(sent.start, sent.end)
        if not pool:
            return None
        after = [p for p in pool if p.start >= trig.end]
        if after:
            return _most_specific(after)
        return _most_specific(pool[::-1])

    def _resolve_place(self, doc: Doc, span: Span, ctx: Any) -> dict[str, Any] | None:
        if self.resolver is None:
            return {"text": span.attrs.get("text") or doc.text[span.start : span.end]}
        try:
            loc: dict[str, Any] = self.resolver.resolve(doc, span, ctx)
        except (KeyError, ValueError, TypeError) as exc:
            log.debug("place resolution failed for %s: %s", doc.text[span.start : span.end], exc)
            return {"text": doc.text[span.start : span.end]}
        return loc

    @staticmethod
    def _pick_date(
        doc: Doc, times: SpanIndex, clause: Clause, sent: Span, trig: Span
    ) -> tuple[str | None, int, bool]:
        pool = [t for t in times.within(sent.start, sent.end) if t.attrs.get("date")]
        if not pool:
            return None, 3, False
        in_clause = [t for t in pool if clause.start <= t.start < clause.end]
        cand = in_clause or pool
        best = min(cand, key=lambda t: abs(t.start - trig.start))
        return str(best.attrs["date"]), int(best.attrs.get("precision", 1)), True

    @staticmethod
    def _lead_date(doc: Doc, times: SpanIndex) -> tuple[str, int] | None:
        if not doc.sentences:
            return None
        end = doc.sentences[min(1, len(doc.sentences) - 1)].end
        for t in times.within(0, end):
            if t.attrs.get("date"):
                return str(t.attrs["date"]), int(t.attrs.get("precision", 1))
        return None

    def _pick_actors(
        self, doc: Doc, actors: SpanIndex, sent: Span, clause: Clause, trig: Span
    ) -> tuple[Span | None, Span | None, list[Span]]:
        pool = [
            a for a in actors.within(sent.start, sent.end) if a.attrs.get("kind") != "source-only"
        ]
        if not pool:
            return None, None, []
        agents: list[tuple[int, Span]] = []
        patients: list[tuple[int, Span]] = []
        assoc: list[Span] = []
        for a in pool:
            before = _words_before(doc, a.start, 3)
            dist = abs(a.start - trig.start)
            if any(w in _ASSOC_CUES for w in before):
                assoc.append(a)
                continue
            if any(w in _AGENT_CUES for w in before[-2:]):
                agents.append((dist, a))
            elif any(w in _PATIENT_CUES for w in before) or "ل" in _prefix_of(doc, a):
                patients.append((dist, a))
            elif (a.start >= trig.end and a.start - trig.end <= 25 and trig.attrs.get("verb")) or a.end <= trig.start or any(w in _BETWEEN for w in before):
                agents.append((dist, a))
            else:
                patients.append((dist, a))
        agents.sort(key=lambda x: x[0])
        patients.sort(key=lambda x: x[0])
        a1 = agents[0][1] if agents else None
        a2 = None
        for _, p in patients + agents[1:]:
            if a1 is None or p.attrs.get("name") != a1.attrs.get("name"):
                a2 = p
                break
        if a1 is None and a2 is not None:
            a1, a2 = a2, None
            for _, p in patients:
                if p.attrs.get("name") != a1.attrs.get("name"):
                    a2 = p
                    break
        names = {x.attrs.get("name") for x in (a1, a2) if x is not None}
        uniq: list[Span] = []
        for a in assoc:
            if a.attrs.get("name") not in names:
                names.add(a.attrs.get("name"))
                uniq.append(a)
        return a1, a2, uniq

    def _actor(self, span: Span | None, country: str | None) -> dict[str, Any] | None:
        out = actor_out(span)
        if out is None or span is None:
            return None
        if span.attrs.get("generic") and self.registry is not None:
            actor = self.registry.by_name(str(span.attrs.get("name")))
            if actor is not None:
                out["name"] = self.registry.resolve_generic(actor, country).name
        return out

    @staticmethod
    def _territory_subtype(a1: Span | None, sub: str) -> str:
        if a1 is None:
            return sub
        inter = a1.attrs.get("inter")
        if inter == 1:
            return "Government regains territory"
        if inter in (2, 3, 4):
            return "Non-state actor overtakes territory"
        return sub

    @staticmethod
    def _civilians(idx: dict[str, SpanIndex], sent: Span) -> bool:
        return any(
            p.attrs.get("hint") == "civilian"
            for p in idx["PERSON_NOUN"].within(sent.start, sent.end)
        )

    @staticmethod
    def _civ_text(doc: Doc, idx: dict[str, SpanIndex], sent: Span) -> str:
        for p in idx["PERSON_NOUN"].within(sent.start, sent.end):
            if p.attrs.get("hint") == "civilian":
                return doc.text[p.start : p.end]
        return ""

    def _sources(self, doc: Doc, start: int, end: int) -> list[str]:
        try:
            from marsad.mentions.sources import sources_for
        except ImportError:
            return []
        return list(sources_for(doc, start, end))

    def _article_country(self, doc: Doc) -> str | None:
        votes: dict[str, float] = {}
        if self.registry is not None:
            try:
                from marsad.mentions.actors import article_country

                c = article_country(doc, self.registry)
                if c:
                    votes[c] = votes.get(c, 0) + 1.5
            except ImportError:
                pass
        if self.resolver is not None:
            ctx = self.resolver.article_context(doc)
            c = getattr(ctx, "main_country", None) or getattr(ctx, "country", None)
            if c:
                votes[c] = votes.get(c, 0) + 2
        return max(votes, key=lambda k: votes[k]) if votes else None

    @staticmethod
    def _paragraph_of(doc: Doc, offset: int) -> int:
        for i, p in enumerate(doc.paragraphs):
            if p.start <= offset < p.end:
                return i
        return -1


def _clause_at(cls: Sequence[Clause], offset: int) -> Clause | None:
    for c in cls:
        if c.start <= offset < c.end:
            return c
    return cls[-1] if cls else None


def _blocked(t: Span, cues: Sequence[Span], clause: Clause) -> bool:
    """True when a modality cue (denial, plan, condition, history...) governs ``t``."""
    for c in cues:
        effect = c.attrs.get("effect", "drop")
        if effect not in ("drop", "history"):
            continue
        scope = c.attrs.get("scope", "clause")
        if scope == "sentence" and c.start < t.start:
            return True
        if clause.start <= c.start < clause.end and (c.start < t.start or effect == "history"):
            return True
        if c.start < t.start and t.start - c.end < 60 and effect == "drop" and scope != "clause":
            return True
    return False


def _most_specific(pool: Sequence[Span]) -> Span:
    rank = {"country": 3, "province": 2, "admin1": 2, "countryside": 2}
    return min(
        pool, key=lambda p: rank.get(str(p.attrs.get("frame") or p.attrs.get("type") or ""), 0)
    )


def _words_before(doc: Doc, offset: int, n: int) -> list[str]:
    seg = doc.text[max(0, offset - 40) : offset]
    words = normalize(seg).replace(",", " ").split()
    return words[-n:]


def _prefix_of(doc: Doc, span: Span) -> str:
    seg = doc.text[max(0, span.start - 2) : span.start]
    return normalize(seg).strip()


_COUNTRY_NAMES = {
    "SY": "Syria",
    "IQ": "Iraq",
    "YE": "Yemen",
    "LY": "Libya",
    "EG": "Egypt",
    "PS": "Palestine",
    "IL": "Israel",
    "LB": "Lebanon",
    "TR": "Turkey",
    "AF": "Afghanistan",
    "TN": "Tunisia",
    "SA": "Saudi Arabia",
    "PK": "Pakistan",
    "SO": "Somalia",
    "NG": "Nigeria",
    "JO": "Jordan",
    "DZ": "Algeria",
    "MA": "Morocco",
    "SD": "Sudan",
    "KW": "Kuwait",
    "BH": "Bahrain",
    "IR": "Iran",
    "US": "United States",
}


def _country_name(cc: str | None) -> str:
    return _COUNTRY_NAMES.get(cc or "", cc or "Unknown")


@register("merge/v1")
class MergeReports:
    """Merge the reports of one event within an article (EVENTS.md §1: do not split by
    repetition). Two records merge when they have the same sub-type, compatible places
    (same resolved place, or one of them without a place of its own) and the same date.
    """

    reads: ClassVar[tuple[str, ...]] = ("events",)
    writes: ClassVar[tuple[str, ...]] = ("events",)

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        merged: list[dict[str, Any]] = []
        for ev in doc.events:
            target = next((m for m in merged if _same_event(m, ev)), None)
            if target is None:
                merged.append(ev)
            else:
                _merge_into(target, ev)
        for ev in merged:
            ev["evidence"].sort(key=lambda s: s["start"])
            for k in [k for k in ev if k.startswith("_") and k not in ("_trigger",)]:
                del ev[k]
        doc.events = merged
        return doc


def _place_key(ev: dict[str, Any]) -> str | None:
    loc = ev.get("location")
    if not loc:
        return None
    return str(loc.get("id") or loc.get("name") or normalize(loc.get("text") or ""))


def _same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["sub_event_type"] != b["sub_event_type"]:
        return False
    ka, kb = _place_key(a), _place_key(b)
    if ka and kb and ka != kb:
        if not (b.get("_place_carried") or a.get("_place_carried")):
            return False
    if a.get("date") and b.get("date") and a["date"] != b["date"]:
        if a.get("_date_explicit") and b.get("_date_explicit"):
            return False
    return True


def _merge_into(target: dict[str, Any], ev: dict[str, Any]) -> None:
    target["evidence"].extend(x for x in ev["evidence"] if x not in target["evidence"])
    for f in ("fatalities", "injured", "displaced", "arrested"):
        a, b = target.get(f), ev.get(f)
        if a is None:
            target[f] = b
        elif b is not None:
            target[f] = min(a, b)  # sources disagree: the lowest figure (EVENTS.md §3)
    for f in ("actor1", "actor2"):
        if target.get(f) is None and ev.get(f) is not None:
            names = {x["name"] for x in (target.get("actor1"), target.get("actor2")) if x}
            if ev[f]["name"] not in names:
                target[f] = ev[f]
    if target.get("location") is None or target.get("_place_carried"):
        if ev.get("location") is not None and not ev.get("_place_carried"):
            target["location"] = ev["location"]
            target["_place_carried"] = False
    if (target.get("time_precision") or 3) > (ev.get("time_precision") or 3) and ev.get("date"):
        target["date"], target["time_precision"] = ev["date"], ev["time_precision"]
    for s in ev.get("sources", []):
        if s not in target["sources"]:
            target["sources"].append(s)
    for a in ev.get("assoc_actor_1", []):
        if a and a not in target["assoc_actor_1"]:
            target["assoc_actor_1"].append(a)


def published_or_none(doc: Doc) -> dt.date | None:
    return doc.meta.published
