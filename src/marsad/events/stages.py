"""Event stages.

``events/v1`` builds candidate event records from triggers and their arguments (place,
date, actors, counts, sources) in the same clause or sentence, with the paragraph and the
lead as fallbacks; ``filter/v1`` keeps the candidates that a classifier trained on
gold-train judges to be reported events; ``merge/v1`` merges the reports of one event
within an article.

An event record is a plain dict in the IO.md output shape, plus private keys that start
with ``_`` (dropped on output).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as ires
from typing import Any, ClassVar

import yaml

from marsad.doc import Doc, Span
from marsad.errors import ConfigError, DataError
from marsad.events.assemble import (
    ARMED_KINDS,
    LAUNCH_VERBS,
    Clause,
    SpanIndex,
    actor_out,
    clauses_of,
    counts_in,
    no_casualty_phrases,
    reports_no_casualties,
    victim_sides,
)
from marsad.pipeline import Resources, register
from marsad.text.arabic import (
    COMPLEMENTISER_RE,
    clitic_variants,
    match_keys,
    normalize,
    strip_article,
)

log = logging.getLogger(__name__)

#: "حوادث مماثلة", "هجوم مماثل", "بشكل مماثل": the same kind as the incident before.
_SIMILAR_RE = re.compile(r"\bمماثل")
_PUNCT_SPLIT_RE = re.compile(r"[,،.:؛!?؟]")
_PLURAL_VERB_RE = re.compile(r"(?:وا|ون)$")
_LAUNCHED_RE = re.compile(
    rf"(?:\s+\S+){{0,4}}?\s+(?:هجوما|هجوماً|هجوم|الهجوم|هجمات)?\s*(?:{LAUNCH_VERBS})\s"
)
#: Words that make the next noun an attack's target ("على", "استهدف", "اقتحم"), normalised.
_TARGET_BEFORE_RE = re.compile(
    r"(?:^|\s)[وف]?(?:علي|ضد|خارج|امام|قرب|استهدف\S*|اقتحم\S*|هاجم\S*|مهاجمه)\s+$"
)
#: A verb of fighting breaking out right before its noun ("اندلع القتال"), normalised.
_OUTBREAK_BEFORE_RE = re.compile(
    r"(?:^|\s)[وف]?(?:اندلع|اندلعت|دار|دارت|تدور|يدور|تجدد|تجددت|احتدم|احتدمت|اشتد|اشتدت"
    r"|نشب|نشبت)\s+(?:\S+\s+)?$"
)
#: A force arriving or heading somewhere (normalised text).
_MOVED_RE = re.compile(
    r"(?:^|\s)[وف]?(?:وصل|وصلت|وصول|اتجه|اتجهت|توجه|توجهت|تحرك|تحركت|انطلق|انطلقت|زحف"
    r"|زحفت|دخل|دخلت|وصلوا|توجهوا|تتجه|يتجه|تتوجه|يتوجه)(?:\s|$)"
)
#: Words of setting up checkpoints, up to two words before the checkpoint noun.
_SET_UP_BEFORE_RE = re.compile(
    r"(?:^|\s)[وف]?(?:اقامه|اقامت|اقام|اقاموا|انشاء|انشات|انشا|نصب|نصبت|استحداث|استحدثت)"
    r"(?:\s+\S+){0,2}\s+\S+$"
)
#: A leading conjunction clitic ("وتظاهر" → "تظاهر").
_CONJUNCTION_RE = re.compile(r"^[وف](?=\w{3})")
#: What an advance moves towards: "نحو", "باتجاه", "صوب", "في", "داخل", "إلى" (normalised),
#: at most three words after the advance word ("تقدما ميدانيا في", "تقدمت القوات العراقية نحو").
_TOWARD_RE = re.compile(
    r"\s*(?:\S+\s+){0,3}?(?:نحو|باتجاه|صوب|في|داخل|الي|الى|علي محاور|علي جبهه)\s"
)
#: "تقدم به", "تقدم بطلب", "تقدمت بشكوى": submitted, not advanced.
_FILED_RE = re.compile(r"\s*ب\S*")
_EXPENSE_RE = re.compile(r"(?:\s+\S+)?\s+على\s+حساب\s")
_INDEFINITE_ATTACK_RE = re.compile(r"[وفب]?(?:هجوما|هجوم|هجمات|هجومين)")
#: "شنت القوات العراقية هجوما": a verb of launching up to four words before an attack noun.
_LAUNCH_BEFORE_RE = re.compile(
    r"(?:^|\s)[وف]?(?:شن|شنت|شنوا|شنا|شنتا|يشن|تشن|يشنون|نفذ|نفذت|نفذوا)(?:\s+\S+){0,4}\s*$"
)
#: How many words before a trigger a "منذ أن" clause may open.
_SINCE_THAT_REACH = 6
#: How many words after a trigger a "منذ" may date it.
_SINCE_REACH = 11
#: Key of the article-wide entry in per-paragraph context tables.
_ARTICLE = -1
_TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
_COUNT_FIELDS = ("fatalities", "injured", "displaced", "arrested")
#: "في المنطقة", "بالمدينة", "داخل البلدة": a place named before, pointed back to.
_ANAPHORIC_PLACE_RE = re.compile(
    r"(?:\bفي\s+|\bداخل\s+|(?<!\w)ب)ال(?:منطق[ةه]|مدين[ةه]|بلد[ةه]|قري[ةه])"
    r"(?=\s*(?:[.,،؛:\n]|$|\s(?:أمس|اليوم|الليلة|صباح|مساء|فجر|ظهر|منذ|خلال|حيث|و)))"
)
#: How far back (characters) "في المنطقة" looks for the place it points to.
_ANAPHORA_REACH = 2000
#: geo_precision of a province-level place (EVENTS.md §3).
_PROVINCE_PRECISION = 3
#: How many sentences apart a province-level report and a place in that province may be
#: told and still be one event.
_PROVINCE_DETAIL_SENTS = 3
#: Places by size: a report naming a larger place never moves an event from a smaller
#: one inside it ("المعارك المحتدمة في دمشق" after "شمال حي جوبر").
_SIZE_OF_TYPE = {
    "neighbourhood": 0,
    "landmark": 0,
    "village": 0,
    "town": 1,
    "city": 2,
    "admin3": 3,
    "admin2": 3,
    "admin1": 4,
    "country": 5,
}


@dataclass(frozen=True, slots=True)
class EventRules:
    """The contents of ``data/event_rules.yaml`` (see the comments there)."""

    suppresses: dict[str, frozenset[str]]
    sentence_suppresses: dict[str, frozenset[str]]
    prelude_words: frozenset[str]
    intent_before: frozenset[str]
    stative_before: frozenset[str]
    stative_triggers: frozenset[str]
    non_territory_objects: frozenset[str]
    patient_cues: frozenset[str]
    agent_cues: frozenset[str]
    assoc_cues: frozenset[str]
    count_fields: dict[str, frozenset[str]]
    civilian_target_types: frozenset[str]
    history_days: int
    one_sided: frozenset[str]
    since_words: frozenset[str]
    since_same_day: frozenset[str]
    since_long: frozenset[str]
    power_before: frozenset[str]
    since_superlatives: frozenset[str]
    relative_pronouns: frozenset[str]
    sports_words: frozenset[str] = frozenset()
    sports_min_words: int = 0


def _words(items: Sequence[str]) -> frozenset[str]:
    """Lookup keys of single words, as :func:`match_keys` gives them for article words."""
    out: set[str] = set()
    for w in items:
        n = normalize(w)
        out.add(n)
        if " " not in n:
            out.add(strip_article(n))  # as match_keys gives it: "الذين" → "ذين"
    return frozenset(out)


@lru_cache(maxsize=1)
def load_event_rules() -> EventRules:
    """Load the packaged event rules."""
    raw = ires.files("marsad.data").joinpath("event_rules.yaml").read_text("utf-8")
    d = yaml.safe_load(raw)
    try:
        return EventRules(
            suppresses={k: frozenset(v) for k, v in d["suppresses"].items()},
            sentence_suppresses={k: frozenset(v) for k, v in d["sentence_suppresses"].items()},
            prelude_words=_words(d["prelude_words"]),
            intent_before=_words(d["intent_before"]),
            stative_before=_words(d["stative_before"]),
            stative_triggers=_words(d["stative_triggers"]),
            non_territory_objects=_words(d["non_territory_objects"]),
            patient_cues=_words(d["patient_cues"]),
            agent_cues=_words(d["agent_cues"]),
            assoc_cues=_words(d["assoc_cues"]),
            count_fields={k: frozenset(v) for k, v in d["count_fields"].items()},
            civilian_target_types=frozenset(d["civilian_target_types"]),
            history_days=int(d["history_days"]),
            one_sided=frozenset(d["one_sided"]),
            since_words=_words(d["since_words"]),
            since_same_day=_words(d["since_same_day"]),
            since_long=_words(d["since_long"]),
            power_before=_words(d["power_before"]),
            since_superlatives=_words(d["since_superlatives"]),
            relative_pronouns=_words(d["relative_pronouns"]),
            sports_words=_words(d.get("sports_words", [])),
            sports_min_words=int(d.get("sports_min_words", 0)),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"event_rules.yaml is malformed: {exc}") from exc


def _get_service(resources: Resources, key: str) -> Any:
    try:
        return resources.get(key)
    except ConfigError:
        log.info("service %s not available; events built without it", key)
        return None


@dataclass(slots=True)
class _Cand:
    trig: Span
    clause: Clause
    sent: int


@register("events/v1")
class EventBuilder:
    """Build one candidate event per trigger cluster (clause × sub-type)."""

    reads: ClassVar[tuple[str, ...]] = ("tokens", "triggers")
    writes: ClassVar[tuple[str, ...]] = ("events",)

    def __init__(self, resources: Resources) -> None:
        self.rules = load_event_rules()
        self.gazetteer = _get_service(resources, "gazetteer")
        self.registry = _get_service(resources, "actors")
        self.source_lexicon = _get_service(resources, "sources_lexicon")
        self.resolver: Any = None
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
        self._last_trigger: Span | None = None
        labels = (
            "TRIGGER",
            "CASUALTY",
            "NUM",
            "TIME",
            "PLACE",
            "ACTOR",
            "PERSON_NOUN",
            "SOURCE",
            "CUE",
        )
        idx = {lab: SpanIndex(doc.spans(lab)) for lab in labels}
        clauses = clauses_of(doc)
        place_ctx = self.resolver.article_context(doc) if self.resolver else None
        country = self._article_country(doc, place_ctx)
        lead_date = self._lead_date(doc, idx["TIME"])
        art = _article_features(doc, idx)
        by_sent: dict[int, list[Clause]] = {}
        for c in clauses:
            by_sent.setdefault(c.sent, []).append(c)
        events: list[dict[str, Any]] = []
        last_place: dict[int, Span] = {}
        last_date: dict[int, tuple[str, int]] = {}
        para_of = _paragraph_index(doc)
        fallback_place = self._fallback_place(doc, idx, country)  # once per article
        _owners_of_generics(doc, idx["ACTOR"])
        for si, sent in enumerate(doc.sentences):
            para = para_of[si]
            cands = self._candidates(doc, si, sent, by_sent.get(si, []), idx)
            if (
                len(cands) == 1
                and cands[0].trig.attrs.get("strength") == "casualty"
                and events
                # the event just reported: in this paragraph, or at most two sentences back
                # with no other event between ("وأكدت المصادر أن المقاومة بدأت بتمشيط
                # تلك المواقع. ولفتت إلى أن هناك عشرات القتلى ...")
                and (events[-1]["_para"] == para or si - events[-1]["_sents"][-1] <= 2)
                and not self._new_incident(doc, sent, cands[0])
            ):
                # "وقال قائد الشرطة إن خمسة أشخاص قتلوا في الهجوم": a toll or detail with
                # no trigger of its own continues the event just reported
                # of several events told in one sentence, the first (a place list's copies
                # and side clauses follow it)
                last = events[-1]["_sents"][-1]
                prev = next(e for e in events if e["_sents"][-1] == last)
                _attach(doc, prev, sent, idx, self._sources(doc, sent.start, sent.end))
                only = cands[0]
                date, prec, explicit, _t = self._nearest_date(
                    idx["TIME"], only.clause, sent, only.trig
                )
                if explicit and date and prec < (prev.get("time_precision") or 3):
                    prev["date"], prev["time_precision"], prev["_date_explicit"] = date, prec, True
                if explicit and date and _recent(doc, date):
                    last_date[para] = last_date[_ARTICLE] = (date, prec)
                continue
            if (
                not cands
                and events
                and events[-1]["_sents"][-1] == si - 1
                and events[-1]["_para"] == para
                and reports_no_casualties(doc.text[sent.start : sent.end])
            ):
                # "... لمقذوفات حوثية. وقال السكان إنه لم يصب أحد": the report just made
                # had no casualties
                prev = next(e for e in events if e["_sents"][-1] == si - 1)
                _attach(doc, prev, sent, idx, self._sources(doc, sent.start, sent.end))
                continue
            for k, cand in enumerate(cands):
                region_start = sent.start if k == 0 else cand.clause.start
                nxt = cands[k + 1].clause if k + 1 < len(cands) else None
                region_end = nxt.start if nxt is not None and nxt is not cand.clause else sent.end
                peers = [c for c in cands if c.clause is cand.clause]
                ev = self._build(
                    doc,
                    sent,
                    cand,
                    (region_start, region_end),
                    peers,
                    idx,
                    country,
                    place_ctx,
                    lead_date,
                    last_place.get(para) or fallback_place,
                    last_date.get(para, last_date.get(_ARTICLE)),
                    para,
                )
                if ev is None:
                    continue
                ev["_features"] = candidate_features(doc, ev, cand, idx, art)
                events.append(ev)
                # "قصف أحياء درعا البلد وبلدتي النعيمة واليادودة": one event per place
                events.extend(self._split_by_place(doc, ev, cand, idx, place_ctx))
                if ev["_place_span"] is not None and not ev["_place_carried"]:
                    last_place[para] = ev["_place_span"]
                if ev["_date_explicit"] and ev["date"] and _recent(doc, ev["date"]):
                    # the story's latest day, in this paragraph and in the article
                    last_date[para] = last_date[_ARTICLE] = (ev["date"], ev["time_precision"])
        if self._sports_article(doc):
            # "تعرض اللاعب لإصابة", "خطف اللقب": in sports news only a death, an armed
            # side or a riot of the fans is political violence
            events = [
                e
                for e in events
                if e.get("fatalities") or e["event_type"] in _CROWD_TYPES or _armed_side_in(doc, e)
            ]
        _infer_opponents(events)
        _default_sources(doc, events)
        lead = _lead_sentence(doc)
        for ev in events:
            ev["_lead"] = ev["_sent"] == lead
        if self.source_lexicon is not None:
            from marsad.mentions.sources import shift_starts

            # "وعلى صعيد متصل، ...": the text turns to another report; events on either
            # side of the turn are not merged by a shared country alone
            turns = shift_starts(doc, self.source_lexicon)
            for ev in events:
                start = doc.sentences[ev["_sent"]].start
                ev["_section"] = sum(1 for t in turns if t <= start)
        doc.events = events
        return doc

    def _split_by_place(
        self,
        doc: Doc,
        ev: dict[str, Any],
        cand: _Cand,
        idx: dict[str, SpanIndex],
        place_ctx: Any,
    ) -> list[dict[str, Any]]:
        """Copies of ``ev`` for the other places of a list its place heads.

        EVENTS.md §1: an event is at one place; "بلدتي النعيمة واليادودة" are two events,
        and a toll that covers them is divided evenly (§3, remainder to the first).
        """
        head = ev.get("_place_span")
        if head is None or ev.get("_place_carried") or self._place_rank(head) != 0:
            return []
        if head.attrs.get("frame") == "region":
            return []  # "منطقتي الصكرة والزاوية": the areas of one front, one event
        chain = _place_chain(doc, head, idx["PLACE"], cand.clause)
        if len(chain) < 2 or chain[0] is not head:
            return []
        chain = [p for p in chain if self._place_rank(p) == 0]
        if len(chain) < 2:
            return []
        copies: list[dict[str, Any]] = []
        n = len(chain)
        totals = {f: ev.get(f) for f in _COUNT_FIELDS}
        for f, total in totals.items():
            if total is not None:
                ev[f] = total // n + total % n
        for span in chain[1:]:
            loc = self._resolve_place(doc, span, place_ctx)
            copy = {**ev, "location": loc, "_place_span": span}
            copy["evidence"] = [dict(x) for x in ev["evidence"]]
            copy["_sents"] = list(ev["_sents"])
            copy["sources"] = list(ev["sources"])
            copy["assoc_actor_1"] = list(ev["assoc_actor_1"])
            for f, total in totals.items():
                copy[f] = None if total is None else total // n
            copies.append(copy)
        return copies

    @staticmethod
    def _new_incident(doc: Doc, sent: Span, cand: _Cand) -> bool:
        """Whether a toll with no trigger reports another incident than the one before.

        "وفي حوادث مماثلة قتل ثلاثة ...": an incident "like" the one just reported is an
        event of its own.
        """
        return bool(_SIMILAR_RE.search(normalize(doc.text[sent.start : cand.trig.start])))

    def _fallback_place(
        self, doc: Doc, idx: dict[str, SpanIndex], country: str | None
    ) -> Span | None:
        """Where an event with no place of its own happened: the place of the article's
        lead, else a mention of the article's country (EVENTS.md: country only is the
        capital's point, precision 3)."""
        if not doc.sentences:
            return None
        lead = doc.sentences[0]
        acts = idx["ACTOR"].within(lead.start, lead.end)
        in_lead = [
            p
            for p in idx["PLACE"].within(lead.start, lead.end)
            if not any(p.overlaps(a) for a in acts) and self._place_rank(p) < 3
        ]
        if in_lead:
            return in_lead[0]  # the lead names the story's place first
        if country and self.gazetteer is not None:
            cc_id = f"cc:{country}"
            for p in idx["PLACE"].spans:
                if cc_id in p.attrs.get("candidates", []):
                    return p
        return None

    # -- candidates -----------------------------------------------------------
    def _candidates(
        self, doc: Doc, si: int, sent: Span, cls: Sequence[Clause], idx: dict[str, SpanIndex]
    ) -> list[_Cand]:
        rules = self.rules
        kept: list[_Cand] = []
        standing = False  # the sentence tells of a standing war: its tolls are totals
        for t in idx["TRIGGER"].within(sent.start, sent.end):
            clause = _clause_at(cls, t.start)
            if clause is None or _blocked(t) or self._stative(doc, t) or self._intent(doc, t):
                continue
            if t.attrs.get("needs") == "set_up" and _TARGET_BEFORE_RE.search(
                normalize(doc.text[max(clause.start, t.start - 40) : t.start])
            ):
                # "هجوم ... على نقطة تفتيش", "استهدف نقطة أمنية": a checkpoint attacked is
                # a target, not a checkpoint set up
                continue
            if self._since(doc, t) or self._since_long_after(doc, t, clause):
                standing = True
                continue
            kept.append(_Cand(t, clause, si))
        strong = [c for c in kept if c.trig.attrs.get("strength", "strong") == "strong"]
        cas = idx["CASUALTY"].within(sent.start, sent.end)
        out = list(strong)
        for c in kept:
            if c.trig.attrs.get("strength", "strong") == "strong":
                continue
            supported = any(
                c.clause.start <= x.start < c.clause.end
                and not _blocked(x)
                and not x.overlaps(c.trig)  # a trigger that is also a casualty word
                # an arrest word supports an arrest, not fighting or a gain ("عملية
                # الإيقاف ... ملف تقدم به")
                and (x.attrs.get("role") != "arrested" or _sub(c) == "Arrests")
                for x in cas
            ) or any(
                x.attrs.get("hint") in ("military", "armed")
                for x in idx["PERSON_NOUN"].within(c.clause.start, c.clause.end)
            )
            if str(c.trig.attrs.get("sub_event_type")) == "Displacement":
                # kept only with a count of displaced people (_build); a status noun
                # ("7 آلاف لاجئ", "ملايين النازحين") names a population, not a flight
                supported = not c.trig.attrs.get("population")
            if str(c.trig.attrs.get("sub_event_type")) == "Air/drone strike":
                # "نفذت طائرات ... عدة ضربات": aircraft and strikes support each other
                supported = supported or any(
                    o is not c
                    and o.clause is c.clause
                    and o.trig.attrs.get("sub_event_type") == "Air/drone strike"
                    and o.trig.attrs.get("phrase") != c.trig.attrs.get("phrase")
                    for o in kept
                )
            if c.trig.attrs.get("needs") == "launched" and _INDEFINITE_ATTACK_RE.fullmatch(
                normalize(doc.text[c.trig.start : c.trig.end])
            ):
                # "شنت القوات العراقية هجوما على", "هجوما شنه مسلحون": an attack launched
                # ("شن الأمريكيون هجومهم" names one told before)
                supported = (
                    supported
                    or bool(
                        _LAUNCH_BEFORE_RE.search(
                            doc.text, max(c.clause.start, c.trig.start - 60), c.trig.start
                        )
                    )
                    or bool(
                        _LAUNCHED_RE.match(doc.text, c.trig.end, min(c.clause.end, c.trig.end + 60))
                    )
                )
            if c.trig.attrs.get("needs") == "set_up":
                # "إقامة ثلاثة كمائن أمنية", "أنشأت كمينا": checkpoints set up
                supported = supported or bool(
                    _SET_UP_BEFORE_RE.search(
                        normalize(doc.text[max(c.clause.start, c.trig.start - 40) : c.trig.end])
                    )
                )
            if c.trig.attrs.get("event_type") == "Battles" and _OUTBREAK_BEFORE_RE.search(
                normalize(doc.text[max(c.clause.start, c.trig.start - 30) : c.trig.start])
            ):
                # "واندلع القتال بين الطرفين", "تجدد القتال": fighting that broke out
                supported = True
            if c.trig.attrs.get("needs") == "movement":
                # "قوة عسكرية كبيرة اتجهت نحو أبين": a force on the move; a force named
                # in passing ("دمرت آليات عسكرية") is no movement
                # ("كما وصلت إلى مدينة جعار ... الآليات العسكرية": the verb may stand in
                # a clause of its own before the force)
                lo, hi = max(sent.start, c.trig.start - 80), min(sent.end, c.trig.end + 40)
                supported = bool(_MOVED_RE.search(normalize(doc.text[lo:hi])))
            if str(c.trig.attrs.get("sub_event_type")) in _TERRITORY:
                # "استرداد مدينة زنجبار": a capture verb with its place as object; an
                # advance ("تقدم") only towards a place ("تقدما في مأرب", "نحو المطار"),
                # not progress ("في تقدم تقني يعكس طموحات بكين") or a filing ("تقدم به")
                advance = c.trig.attrs.get("needs") == "direction"
                after = normalize(doc.text[c.trig.end : c.trig.end + 40])
                toward = _TOWARD_RE.match(after) and not _FILED_RE.match(after)
                expense = bool(_EXPENSE_RE.match(doc.text, c.trig.end, c.trig.end + 40))
                if advance and not toward:
                    # "حققت الفصائل تقدما إضافيا على حساب قوات النظام": a gain at a side's
                    # expense is still one
                    supported = expense
                else:
                    supported = (
                        supported
                        or bool(idx["PLACE"].within(c.trig.end, c.trig.end + 25))
                        or expense
                    )
            if supported and not any(s.clause is c.clause for s in strong):
                out.append(c)
        # "قتلوا ... خلال شهر يوليو": a toll in a sentence of totals is a total
        standing = standing or any(
            c.attrs.get("effect") == "history" for c in idx["CUE"].within(sent.start, sent.end)
        )
        # a casualty report with no trigger is an attack ("جيش الاحتلال قتل شابا في مخيم
        # قلنديا للاجئين": the refugees of a camp's name are no event of their own)
        if not any(_sub(c) != "Displacement" for c in out) and not standing:
            for w in cas:
                if w.attrs.get("role") not in ("killed", "killed_injured", "injured"):
                    continue
                if w.attrs.get("vague"):  # natural deaths, sports injuries
                    continue
                clause = _clause_at(cls, w.start)
                if clause is None or _blocked(w):
                    continue
                hints = {
                    str(x.attrs.get("hint"))
                    for x in idx["PERSON_NOUN"].within(clause.start, clause.end)
                }
                # "جيش الاحتلال قتل شابا فلسطينيا": people killed who are named neither
                # as fighters nor as forces were attacked, not in a clash
                unarmed = bool(hints) and hints <= {"civilian", "neutral"}
                attrs = {
                    "event_type": "Violence against civilians" if unarmed else "Battles",
                    "sub_event_type": "Attack" if unarmed else "Armed clash",
                    "strength": "casualty",
                    "phrase": w.attrs.get("phrase", doc.text[w.start : w.end]),
                }
                if self._last_trigger is not None and _SIMILAR_RE.search(
                    normalize(doc.text[sent.start : sent.end])
                ):
                    # "وفي حوادث مماثلة قتل ...": the kind of the incident reported before
                    for k in ("event_type", "sub_event_type"):
                        attrs[k] = self._last_trigger.attrs.get(k)
                out.append(_Cand(Span(w.start, w.end, "TRIGGER", attrs), clause, si))
                break
        # suppression within a clause, and of a clash that is the prelude of a capture
        subs_by_clause: dict[int, set[str]] = {}
        sent_subs: set[str] = set()
        for c in out:
            sub = str(c.trig.attrs.get("sub_event_type"))
            subs_by_clause.setdefault(id(c.clause), set()).add(sub)
            sent_subs.add(sub)
        sent_types = {str(c.trig.attrs.get("event_type")) for c in out}
        res: list[_Cand] = []
        seen: set[tuple[int, str]] = set()
        if out:
            self._last_trigger = max(out, key=lambda c: c.trig.start).trig
        for c in sorted(out, key=lambda x: x.trig.start):
            sub = str(c.trig.attrs.get("sub_event_type"))
            here = subs_by_clause[id(c.clause)]
            if any(sub in rules.suppresses.get(o, frozenset()) for o in here if o != sub):
                continue
            if (
                sub == "Armed clash"
                and c.trig.attrs.get("generic")
                and c.trig.attrs.get("strength") == "weak"
                and here & _REMOTE_SUBS
            ):
                continue  # "الضربات استهدفت مبنى": the strike's own targeting, not a clash
            if sent_types & rules.sentence_suppresses.get(sub, frozenset()):
                continue
            if sub == "Armed clash" and sent_subs & _TERRITORY:
                if set(_words_before(doc, c.trig.start, 4)) & rules.prelude_words:
                    continue
            key = (id(c.clause), sub)
            if key in seen or (sub, -1) in {(s, -1) for _, s in seen if _ == id(c.clause)}:
                continue
            # one candidate per sub-type per sentence unless the clauses name other places
            if any(s == sub for _, s in seen) and not idx["PLACE"].within(
                c.clause.start, c.clause.end
            ):
                continue
            seen.add(key)
            res.append(c)
        return res

    def _since(self, doc: Doc, t: Span) -> bool:
        # "منذ أن بسطت جماعة منافسة سيطرتها": a clause opened by "منذ أن" is background
        wide = _words_before(doc, t.start, _SINCE_THAT_REACH)
        if any(
            a in self.rules.since_words and b in ("ان", "أن") for a, b in itertools.pairwise(wide)
        ):
            return True
        before = _words_before(doc, t.start, 3)
        keys = [set(match_keys(w)) for w in before]
        for i, k in enumerate(keys):
            if k & self.rules.since_words:
                after = set().union(*keys[i + 1 :]) if i + 1 < len(keys) else set()
                return not after & self.rules.since_same_day
        return False

    def _since_long_after(self, doc: Doc, t: Span, clause: Clause) -> bool:
        """Whether the clause dates the trigger from months or years back.

        "معارك على عدة جبهات منذ أكثر من عام" is a war and its running toll, not an
        event of the day.
        """
        # up to the next punctuation: "في وسط ... منذ" runs over a clause-opening word
        sent = doc.sentences[clause.sent]
        rest = _PUNCT_SPLIT_RE.split(doc.text[t.end : sent.end], maxsplit=1)[0]
        if set(_words_before(doc, t.start, 1)) & self.rules.since_superlatives:
            return False  # "أسوأ هجوم منذ سنوات": the worst in years is today's event
        keys = [set(match_keys(w)) for w in normalize(rest).split()[: _SINCE_REACH + 3]]
        for i, k in enumerate(keys[:_SINCE_REACH]):
            if k & self.rules.relative_pronouns:
                return False  # "معارك ... التي تتعرض منذ شهر": it dates something else
            if k & self.rules.since_words and any(
                x & self.rules.since_long for x in keys[i + 1 : i + 4]
            ):
                return True
        return False

    def _intent(self, doc: Doc, t: Span) -> bool:
        before = _words_before(doc, t.start, 3)
        return any(set(match_keys(w)) & self.rules.intent_before for w in before)

    def _stative(self, doc: Doc, t: Span) -> bool:
        if str(t.attrs.get("sub_event_type")) not in _TERRITORY:
            return False
        after = normalize(doc.text[t.end : t.end + 40]).replace(",", " ").split()[:3]
        if any(set(match_keys(w)) & self.rules.non_territory_objects for w in after):
            return True  # a seizure of goods, not of territory
        word = normalize(doc.text[t.start : t.end]).split()
        if word and set(match_keys(word[0])) & self.rules.stative_triggers:
            return True
        before = _words_before(doc, t.start, 2)
        return any(set(match_keys(w)) & self.rules.stative_before for w in before)

    # -- one event ------------------------------------------------------------
    def _build(
        self,
        doc: Doc,
        sent: Span,
        cand: _Cand,
        region: tuple[int, int],
        peers: Sequence[_Cand],
        idx: dict[str, SpanIndex],
        country: str | None,
        place_ctx: Any,
        lead_date: tuple[str, int] | None,
        prev_place: Span | None,
        prev_date: tuple[str, int] | None,
        para: int,
    ) -> dict[str, Any] | None:
        trig, clause = cand.trig, cand.clause
        sub = str(trig.attrs.get("sub_event_type"))
        etype = str(trig.attrs.get("event_type"))
        found = counts_in(
            doc, region[0], region[1], idx["NUM"], idx["CASUALTY"], idx["PERSON_NOUN"]
        )
        counts = found.as_dict()
        for f in _COUNT_FIELDS:
            if not self._counts_for(f, trig):
                counts[f] = None
                continue
            # a toll shared by several events of one clause is divided among those that
            # can carry it ("استنفار أمني" after a bombing takes no share of its dead)
            carriers = [c for c in peers if self._counts_for(f, c.trig)]
            if len(carriers) > 1 and counts[f] is not None:
                # divided evenly, the remainder to the first (EVENTS.md §3): "قتل جندي"
                # over two events is 1 and 0, not 0 and 0
                total, first = int(counts[f] or 0), carriers[0] is cand
                counts[f] = total // len(carriers) + (total % len(carriers) if first else 0)
        if sub == "Displacement" and counts["displaced"] is None:
            return None
        if sub == "Displacement" and _fleeing_fighters(idx, trig):
            return None  # "فرار مئات الضباط في الجيش": desertion, not people displaced
        place_span = self._pick_place(doc, idx["PLACE"], idx["ACTOR"], clause, sent, trig)
        carried = False
        if place_span is None:
            # "وشنت الجبهة هجوما في المنطقة": the place named last, whatever paragraph
            place_span = self._anaphoric_place(doc, idx, clause, sent)
            carried = place_span is not None
        if place_span is None and prev_place is not None:
            place_span, carried = prev_place, True
        location = self._resolve_place(doc, place_span, place_ctx) if place_span else None
        date, prec, explicit = self._pick_date(doc, idx["TIME"], clause, sent, trig)
        # an undated report inside a story dated to the day takes that day, precision 2
        if date is None and prev_date is not None and prev_date[1] == 1:
            date, prec = prev_date[0], 2
        elif date is None and lead_date is not None and lead_date[1] == 1:
            date, prec = lead_date[0], 2
        elif date is None and doc.meta.published is not None:
            date, prec = doc.meta.published.isoformat(), 3
        if explicit and date and doc.meta.published:
            age = (doc.meta.published - dt.date.fromisoformat(date)).days
            if age > self.rules.history_days:
                return None
        # battles are between armed sides; victims are not a side
        battle = etype == "Battles"
        a1, a2, assoc1 = self._pick_actors(doc, idx["ACTOR"], sent, clause, trig, battle)
        if sub == "Air/drone strike" and not _has_air_force(a1) and not _drone(trig, clause, idx):
            # a side without aircraft does not fly the strike: it is the target when the
            # other side has aircraft ("غارات لطيران التحالف على داعش"), else the sentence
            # names no attacker ("... قسد ... غارات جوية استهدفت الحي")
            a1, a2 = (a2, a1) if a2 is not None and _has_air_force(a2) else (None, a2)
        if sub == "Disrupted weapons use" and _is_state(a2) and not _is_state(a1):
            # "وأبطلت قوات الأمن مفعول عبوات زرعها تكفيريون": the force that defuses or
            # foils is the event's actor; whose weapons they were comes second
            a1, a2 = a2, a1
        year = doc.meta.published.year if doc.meta.published else None
        # protesters belong to the country they protest in: a protest in Brussels
        # reported in a story about Turkey is by Protesters (Belgium)
        if etype in ("Protests", "Riots") and location and location.get("country") and not carried:
            country = str(location["country"])
        actor1, actor2 = self._actor(a1, country, year), self._actor(a2, country, year)
        # ACLED names civilians by country; with no country known, plain "Civilians"
        civilians = f"Civilians ({_country_name(country)})" if country else "Civilians"
        if sub in self.rules.civilian_target_types and actor2 is None:
            if actor1 is not None and actor1["name"] == civilians:
                # the civilians of an attack are its victims: the attacker is unnamed
                actor1, actor2 = None, actor1
            elif (civ := self._civilian_noun(doc, idx, sent)) is not None:
                actor2 = {"name": civilians, "text": civ}
            elif (force := self._force_victims(doc, idx, sent, country, year)) is not None:
                # "خمسة جنود قتلوا في انفجار قنبلة زرعها إسلاميون": the soldiers' forces
                if actor1 is None or actor1["name"] != force["name"]:
                    actor2 = force
        if sub == "Displacement":
            # the displaced are the event's side: "فرار 10 آلاف مدني", "نزوح مئات العائلات"
            civ = self._civilian_noun(doc, idx, sent)
            actor1, actor2 = {"name": civilians, "text": civ}, None
        if etype in ("Protests", "Riots"):
            # people named in a protest are its protesters or rioters, not bystanders
            side_name = "Protesters (" if etype == "Protests" else "Rioters ("
            for side in (actor1, actor2):
                if side and str(side["name"]).startswith("Civilians ("):
                    side["name"] = side["name"].replace("Civilians (", side_name, 1)
            crowd = f"{side_name}{_country_name(country)})"
            named = any(
                side and str(side["name"]).startswith(side_name) for side in (actor1, actor2)
            )
            # with no country to name them by, the protesters stay unnamed
            if country and not named:
                # "تظاهر مئات الأشخاص": a protest always has its protesters, named or not;
                # a state force named with them is the one that faced them
                # (their words are the protest's own: "تظاهر", "مظاهرة")
                words = _CONJUNCTION_RE.sub("", doc.text[trig.start : trig.end], count=1)
                implied = {"name": crowd, "text": words}
                if actor1 is None:
                    actor1 = implied
                elif actor2 is None and _is_state(a1):
                    actor1, actor2 = implied, actor1
        if sub in self.rules.one_sided:
            actor2 = None
        if sub in _TERRITORY:
            sub = _territory_subtype([a1, *assoc1], sub)
        if sub == "Attack" and self._armed_victims(idx, clause, sent):
            # EVENTS.md §2: an attack on security forces or armed groups is a clash
            etype, sub = "Battles", "Armed clash"
        return {
            "event_type": etype,
            "sub_event_type": sub,
            "date": date,
            "time_precision": prec,
            "actor1": actor1,
            "assoc_actor_1": [
                x for a in assoc1 if (x := self._actor(a, country, year)) is not None
            ],
            "actor2": actor2,
            "assoc_actor_2": [],
            "location": location,
            **counts,
            "sources": self._sources(doc, clause.start, clause.end),
            "evidence": [{"start": sent.start, "end": sent.end}],
            "_trigger": {"start": trig.start, "end": trig.end, "phrase": trig.attrs.get("phrase")},
            "_place_span": place_span,
            "_place_carried": carried,
            "_place_size": self._place_size(location),
            "_place_in_clause": bool(
                place_span is not None
                and not carried
                and clause.start <= place_span.start < clause.end
            ),
            "_date_explicit": explicit,
            "_flashback": bool(explicit and date and not _recent(doc, date)),
            "_generic": bool(trig.attrs.get("generic")) and not trig.attrs.get("refined_from"),
            # a toll with no trigger of its own: its "Armed clash" is only a default
            "_casualty_only": trig.attrs.get("strength") == "casualty",
            "_definite": _is_definite(doc, trig),
            "_sent": cand.sent,
            "_sents": [cand.sent],
            "_vague": set(found.vague),
            "_victims": victim_sides(doc, found.killed_spans, idx["ACTOR"])
            if counts["fatalities"] is not None
            else set(),
            "_para": para,
        }

    def _counts_for(self, field: str, trig: Span) -> bool:
        """Whether events of this trigger's type carry counts of ``field``."""
        allowed = self.rules.count_fields.get(field, frozenset())
        return (
            str(trig.attrs.get("event_type")) in allowed
            or str(trig.attrs.get("sub_event_type")) in allowed
        )

    # -- arguments --------------------------------------------------------------
    def _pick_place(
        self,
        doc: Doc,
        places: SpanIndex,
        actors: SpanIndex,
        clause: Clause,
        sent: Span,
        trig: Span,
    ) -> Span | None:
        def usable(lo: int, hi: int) -> list[Span]:
            # a place name inside an actor's name ("أنصار بيت المقدس") is not a place, nor
            # a country that leads or backs a side ("التحالف الذي تقوده الولايات المتحدة")
            acts = actors.within(max(0, lo - 80), hi)
            return [
                p
                for p in places.within(lo, hi)
                if not any(p.overlaps(a) for a in acts)
                and not self._power(doc, p)
                and not p.attrs.get("origin")  # "شخصين أصيلي ولاية باجة"
                and not p.attrs.get("describes")  # "التي تقع شمال شرقي القاهرة"
            ]

        pool = usable(clause.start, clause.end)
        if not pool or min(self._place_rank(p) for p in pool) >= 2:
            # the clause names only a province or a country: a place named elsewhere in
            # the sentence is more specific, if it lies in that province ("تقدما ... في
            # محافظة حماة، في وقت شهدت دمشق استنفارا": the advance is not in Damascus)
            provinces = self._provinces_of([p for p in pool if self._place_rank(p) == 2])
            pool = pool + [
                p
                for p in usable(sent.start, sent.end)
                if p not in pool
                and (
                    not provinces
                    # a place the gazetteer lacks: the province named beside it holds it
                    or not p.attrs.get("candidates")
                    or self._provinces_of([p]) & provinces
                )
            ]
        if not pool:
            return None

        def key(p: Span) -> tuple[int, int, int, int]:
            after = p.start >= trig.end
            # "جنوب طرابلس" only locates another place: prefer a place named plainly
            qualified = 1 if p.attrs.get("direction") or p.attrs.get("qualifier") else 0
            return (self._place_rank(p), qualified, 0 if after else 1, abs(p.start - trig.start))

        return min(pool, key=key)

    def _anaphoric_place(
        self, doc: Doc, idx: dict[str, SpanIndex], clause: Clause, sent: Span
    ) -> Span | None:
        """The place "في المنطقة"/"في المدينة" points back to: the last locality named
        before the sentence ("... قرب بلدة أعزاز شمال حلب." then "وشنت الجبهة هجوما في
        المنطقة")."""
        m = _ANAPHORIC_PLACE_RE.search(doc.text, clause.start, clause.end)
        if m is None:
            return None
        lo = max(0, sent.start - _ANAPHORA_REACH)
        acts = idx["ACTOR"].within(lo, sent.start)
        before = [
            p
            for p in idx["PLACE"].within(lo, sent.start)
            if not p.attrs.get("origin")
            and not any(p.overlaps(a) for a in acts)
            and self._place_rank(p) == 0
        ]
        # "قرب بلدة أعزاز شمال حلب": the town, not the city that only locates it
        plain = [p for p in before if p.attrs.get("qualifier") != "direction"]
        return (plain or before)[-1] if before else None

    def _provinces_of(self, spans: Sequence[Span]) -> set[tuple[str, str]]:
        """(country, admin1) of the province-level places among ``spans``' candidates."""
        if self.gazetteer is None:
            return set()
        out: set[tuple[str, str]] = set()
        for span in spans:
            cands = [
                p
                for pid in span.attrs.get("candidates", [])[:5]
                if (p := self.gazetteer.get(pid)) is not None and p.admin1
            ]
            if self._place_rank(span) == 2:
                # "محافظة حماة" is the province, not the villages that share its name
                cands = [p for p in cands if p.type == "admin1"] or cands[:1]
            out.update((p.country, p.admin1) for p in cands)
        return out

    def _place_size(self, location: dict[str, Any] | None) -> int | None:
        """How large the resolved place is (see _SIZE_OF_TYPE); None when unknown."""
        if not location or not location.get("id") or self.gazetteer is None:
            return None
        p = self.gazetteer.get(str(location["id"]))
        return _SIZE_OF_TYPE.get(p.type) if p is not None else None

    def _power(self, doc: Doc, span: Span) -> bool:
        """A country named right after "تقوده", "بدعم من", "تدعمهم": it acts."""
        if self.gazetteer is None:
            return False
        top = [self.gazetteer.get(pid) for pid in span.attrs.get("candidates", [])[:5]]
        if not any(p is not None and p.type == "country" for p in top):
            return False
        before = [k for w in _words_before(doc, span.start, 3) for k in match_keys(w)]
        return bool(set(before) & self.rules.power_before)

    def _place_rank(self, span: Span) -> int:
        """0 for a locality, 2 for a province or countryside, 3 for a country."""
        frame = str(span.attrs.get("frame") or "")
        if frame in ("province", "countryside"):
            return 2
        if self.gazetteer is None:
            return 0
        types = set()
        for pid in span.attrs.get("candidates", [])[:5]:
            p = self.gazetteer.get(pid)
            if p is not None:
                types.add(p.type)
        if "country" in types:
            return 3  # "العراق" is the country, whatever villages share its name
        if types and types <= {"admin1", "country"}:
            return 2
        if "admin1" in types and not types & {"city", "town"}:
            return 2  # "مدن الأنبار": the province, whatever village shares its name
        return 0

    def _resolve_place(self, doc: Doc, span: Span, ctx: Any) -> dict[str, Any] | None:
        if self.resolver is None:
            return {"text": span.attrs.get("text") or doc.text[span.start : span.end]}
        loc: dict[str, Any] = self.resolver.resolve(doc, span, ctx)
        return loc

    def _pick_date(
        self, doc: Doc, times: SpanIndex, clause: Clause, sent: Span, trig: Span
    ) -> tuple[str | None, int, bool]:
        # A day word next to a reporting verb ("أفاد مصدر، أمس، بمقتل ...") is taken as
        # the event's day: reading it as the statement's day (precision 2) lowered
        # time_precision on both gold sets.
        date, prec, explicit, best = self._nearest_date(times, clause, sent, trig)
        said = COMPLEMENTISER_RE.search(doc.text, sent.start, trig.start)
        cut = None
        while said is not None:  # the last "إن"/"أن" before the trigger
            cut = said.end()
            said = COMPLEMENTISER_RE.search(doc.text, said.end(), trig.start)
        if best is not None and cut is not None and best.start < cut:
            # "قال يوم الاثنين متحدثون إن طائرات أغرقت، يوم الأحد، سفينة": the day the
            # report gives beats the day it was made
            told = [
                t
                for t in times.within(cut, sent.end)
                if t.attrs.get("date")
                and not t.attrs.get("future")
                and int(t.attrs.get("precision", 1)) == 1  # a day, not "منذ أيام"
            ]
            if told:
                t = min(told, key=lambda t: abs(t.start - trig.start))
                return str(t.attrs["date"]), int(t.attrs.get("precision", 1)), True
        return date, prec, explicit

    @staticmethod
    def _nearest_date(
        times: SpanIndex, clause: Clause, sent: Span, trig: Span
    ) -> tuple[str | None, int, bool, Span | None]:
        pool = [
            t
            for t in times.within(sent.start, sent.end)
            if t.attrs.get("date") and not t.attrs.get("future")
        ]
        if not pool:
            return None, 3, False, None
        in_clause = [t for t in pool if clause.start <= t.start < clause.end]
        if in_clause:
            best = min(in_clause, key=lambda t: abs(t.start - trig.start))
        else:
            best = min(
                pool, key=lambda t: (int(t.attrs.get("precision", 1)), abs(t.start - trig.start))
            )
        return str(best.attrs["date"]), int(best.attrs.get("precision", 1)), True, best

    @staticmethod
    def _lead_date(doc: Doc, times: SpanIndex) -> tuple[str, int] | None:
        """The story's day: the first date of its lead, else its only recent day.

        A story whose lead names no day but that names one recent day later ("قامت يوم
        الخميس ...") and no other tells of that day.
        """
        if not doc.sentences:
            return None
        end = doc.sentences[min(1, len(doc.sentences) - 1)].end
        for t in times.within(0, end):
            if t.attrs.get("date") and not t.attrs.get("future"):
                return str(t.attrs["date"]), int(t.attrs.get("precision", 1))
        days = {
            str(t.attrs["date"])
            for t in times.spans
            if t.attrs.get("date")
            and not t.attrs.get("future")
            and int(t.attrs.get("precision", 1)) == 1
            and _recent(doc, str(t.attrs["date"]))
        }
        if len(days) == 1:
            return days.pop(), 1
        return None

    def _pick_actors(
        self,
        doc: Doc,
        actors: SpanIndex,
        sent: Span,
        clause: Clause,
        trig: Span,
        armed_only: bool = False,
    ) -> tuple[Span | None, Span | None, list[Span]]:
        rules = self.rules
        # "وتمكنت الفصائل، بحسب فيلق الرحمن، من ...": who a report is attributed to by a
        # preposition is its source, not a side
        sources = [s for s in doc.spans("SOURCE") if sent.start <= s.start < sent.end]
        by_preposition = (
            self.source_lexicon.prepositions if self.source_lexicon is not None else frozenset()
        )
        attributed = [s for s in sources if s.attrs.get("cue") in by_preposition]
        pool = [
            a
            for a in actors.within(sent.start, sent.end)
            if a.attrs.get("kind") != "source-only"
            and not (armed_only and _is_civilian(a))
            and not any(a.overlaps(s) for s in attributed)
            # "رئيس الحكومة التركية أحمد داود أوغلو": part of a speaker's title
            and not any(s.start < a.start and a.end <= s.end and _titled(s) for s in sources)
            # the same when the source is the body itself ("أعلن رئيس الحكومة التركية")
            and not any(
                a.overlaps(s) and bool(set(_words_before(doc, s.start, 1)) & _TITLE_HEADS)
                for s in sources
            )
        ]
        sides = _sides_of(doc, pool, sent, trig)
        if sides is not None:
            return sides
        agents: list[tuple[int, Span]] = []
        patients: list[tuple[int, Span]] = []
        assoc: list[Span] = []
        # "المقاتلون ... طردوا الحوثيين": a verb with a plural ending agrees with a subject
        # named before it, so what follows it is its object
        plural_verb = bool(trig.attrs.get("verb")) and _PLURAL_VERB_RE.search(
            doc.text[trig.start : trig.end]
        )
        for a in pool:
            before = [k for w in _words_before(doc, a.start, 3) for k in match_keys(w)]
            dist = abs(a.start - trig.start) + (0 if clause.start <= a.start < clause.end else 200)
            if a.attrs.get("inter") == 7 or a.attrs.get("kind") == "civilians":
                patients.append((dist, a))  # civilians are the target, not the agent
            elif set(before) & rules.assoc_cues:
                assoc.append(a)
            elif set(before[-3:]) & rules.agent_cues:
                agents.append((dist, a))
            elif set(before) & rules.patient_cues or _has_lam(doc, a):
                patients.append((dist, a))
            elif (
                a.start >= trig.end
                and a.start - trig.end <= 25
                and trig.attrs.get("verb")
                and not plural_verb
            ) or a.end <= trig.start:
                agents.append((dist, a))
            else:
                patients.append((dist, a))
        # "المقاومة الشعبية والجيش": a side named as a coordination is one side, led by
        # its first member; the others are its associates
        ordered = sorted((a for _, a in agents + patients), key=lambda a: a.start)
        head_of: dict[int, Span] = {}
        for x, y in itertools.pairwise(ordered):
            if _coordinated(doc, x, y):
                head_of[id(y)] = head_of.get(id(x), x)
        agents = sorted((p for p in agents if id(p[1]) not in head_of), key=lambda x: x[0])
        patients = sorted((p for p in patients if id(p[1]) not in head_of), key=lambda x: x[0])
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
        followers = [a for a in ordered if id(a) in head_of and head_of[id(a)] is a1]
        for a in followers + assoc:
            if a.attrs.get("name") not in names:
                names.add(a.attrs.get("name"))
                uniq.append(a)
        return a1, a2, uniq

    def _actor(
        self, span: Span | None, country: str | None, year: int | None = None
    ) -> dict[str, Any] | None:
        out = actor_out(span)
        if out is None or span is None:
            return None
        if span.attrs.get("generic") and self.registry is not None:
            actor = self.registry.resolve_mention(span.attrs, country, year)
            if actor is None or actor.generic:
                return None  # a generic side this country gives no name to
            out["name"] = actor.name
        if "{" in str(out.get("name")):  # a template the article's country did not fill
            return None
        return out

    def _sports_article(self, doc: Doc) -> bool:
        """Whether the article uses enough distinct sports words to be sports news."""
        rules = self.rules
        if not rules.sports_min_words:
            return False
        seen: set[str] = set()
        for t in doc.tokens:
            if not t.is_punct:
                seen.update(k for k in match_keys(t.norm) if k in rules.sports_words)
                if len(seen) >= rules.sports_min_words:
                    return True
        return False

    @staticmethod
    def _armed_victims(idx: dict[str, SpanIndex], clause: Clause, sent: Span) -> bool:
        """The people the sentence reports hit are soldiers, police or fighters only."""
        hints = {str(p.attrs.get("hint")) for p in idx["PERSON_NOUN"].within(sent.start, sent.end)}
        return bool(hints & {"military", "police", "armed"}) and "civilian" not in hints

    def _force_victims(
        self,
        doc: Doc,
        idx: dict[str, SpanIndex],
        sent: Span,
        country: str | None,
        year: int | None,
    ) -> dict[str, Any] | None:
        """The state force whose members ("جنود", "شرطيين") a casualty word counts."""
        if self.registry is None:
            return None
        for w in idx["CASUALTY"].within(sent.start, sent.end):
            near = idx["PERSON_NOUN"].within(max(sent.start, w.start - 30), w.end + 30)
            for p in near:
                rule = _FORCE_RULES.get(str(p.attrs.get("hint")))
                if rule is None:
                    continue
                generic = self.registry.by_name("generic:" + rule)
                if generic is None:
                    return None
                actor = self.registry.resolve_generic(generic, country, year)
                if actor.generic or "{" in actor.name:
                    return None
                return {"name": actor.name, "text": doc.text[p.start : p.end]}
        return None

    @staticmethod
    def _civilian_noun(doc: Doc, idx: dict[str, SpanIndex], sent: Span) -> str | None:
        for p in idx["PERSON_NOUN"].within(sent.start, sent.end):
            if p.attrs.get("hint") == "civilian":
                return doc.text[p.start : p.end]
        return None

    @staticmethod
    def _sources(doc: Doc, start: int, end: int) -> list[str]:
        try:
            from marsad.mentions.sources import sources_for
        except ImportError:
            return []
        return list(sources_for(doc, start, end))

    def _article_country(self, doc: Doc, place_ctx: Any) -> str | None:
        votes: dict[str, float] = {}
        if self.registry is not None:
            try:
                from marsad.mentions.actors import article_country
            except ImportError:
                pass
            else:
                c = article_country(doc, self.registry)
                if c:
                    votes[c] = votes.get(c, 0.0) + 1.5
        c2 = getattr(place_ctx, "country", None) if place_ctx is not None else None
        if c2:
            votes[c2] = votes.get(c2, 0.0) + 2.0
        return max(votes, key=lambda k: votes[k]) if votes else None


def _attach(
    doc: Doc, ev: dict[str, Any], sent: Span, idx: dict[str, SpanIndex], sources: list[str]
) -> None:
    """Add sentence ``sent`` to event ``ev`` as further evidence of the same report."""
    ev["evidence"].append({"start": sent.start, "end": sent.end})
    si = doc.sentences.index(sent)
    ev["_sents"] = sorted(set(ev["_sents"]) | {si})
    found = counts_in(doc, sent.start, sent.end, idx["NUM"], idx["CASUALTY"], idx["PERSON_NOUN"])
    counts = found.as_dict()
    if _other_side_toll(
        ev, counts["fatalities"], victim_sides(doc, found.killed_spans, idx["ACTOR"])
    ):
        counts["fatalities"] = None  # added to the event's toll
    vague = ev.setdefault("_vague", set())
    for f in ("fatalities", "injured"):
        # only a toll the event lacks (a later figure is often a part: "بينهم 4 أطفال"),
        # or a figure where it had only a vague amount ("عشرات القتلى" ... "مقتل 28")
        if counts[f] is None or f not in _fields_of(ev):
            continue
        if ev.get(f) is None or (f in vague and f not in found.vague):
            ev[f] = counts[f]
            vague.discard(f)
            if f in found.vague:
                vague.add(f)
    for src in sources if not ev["sources"] else []:  # the report's own source stands
        if src not in ev["sources"]:
            ev["sources"].append(src)


#: Casualty roles of people killed or hurt.
_HURT_ROLES = frozenset(["killed", "injured", "killed_injured"])


def _fleeing_fighters(idx: dict[str, SpanIndex], trig: Span) -> bool:
    """The people who fled, named right after the flight, are soldiers or fighters."""
    hints = {
        str(p.attrs.get("hint"))
        for p in idx["PERSON_NOUN"].within(trig.end, trig.end + _FLED_WINDOW)
    }
    return bool(hints & {"military", "armed", "police"}) and not hints & {"civilian"}


#: How far after a flight word its people are looked for (characters).
_FLED_WINDOW = 25


def none_hurt(doc: Doc, ev: dict[str, Any], casualties: SpanIndex) -> bool:
    """The event has no toll, its evidence says nobody was hurt ("دون وقوع إصابات", "لم
    يصب أحد"), and names nobody killed or hurt outside those words (``casualties``: the
    document's ``CASUALTY`` spans)."""
    if any(ev.get(f) is not None for f in ("fatalities", "injured")):
        return False
    said, hurt = 0, 0
    for x in ev["evidence"]:
        said += len(no_casualty_phrases(doc.text[x["start"] : x["end"]]))
        hurt += sum(
            1 for w in casualties.within(x["start"], x["end"]) if w.attrs.get("role") in _HURT_ROLES
        )
    # each phrase may hold one casualty word of its own ("إصابات", "ضحايا")
    return said > 0 and hurt <= said


def _other_side_toll(ev: dict[str, Any], dead: int | None, sides: set[str]) -> bool:
    """Add ``dead`` to the event's toll when they are of a side it did not count.

    EVENTS.md §3: deaths on both sides are summed ("مقتل 11 متمردا" then "اثنين من
    مقاتلي المقاومة استشهدا" is 13). Only when both tolls name their side.
    """
    have = ev.get("_victims") or set()
    if dead is None or ev.get("fatalities") is None or not sides or not have:
        return False
    if not sides.isdisjoint(have) or dead == ev["fatalities"]:
        return False
    ev["fatalities"] += dead
    ev["_victims"] = have | sides
    return True


def _recent(doc: Doc, date: str) -> bool:
    """A day within the last few days before publication: the day a story is told on.

    An older date ("قتل في 15 يوليو الجاري") is a flashback and dates only its sentence.
    """
    if doc.meta.published is None:
        return True
    return 0 <= (doc.meta.published - dt.date.fromisoformat(date)).days <= 3


def _fields_of(ev: dict[str, Any]) -> set[str]:
    rules = load_event_rules()
    return {
        f
        for f, allowed in rules.count_fields.items()
        if ev["event_type"] in allowed or ev["sub_event_type"] in allowed
    }


def _sub(c: _Cand) -> str:
    return str(c.trig.attrs.get("sub_event_type"))


def _is_definite(doc: Doc, trig: Span) -> bool:
    """The trigger is a noun with the article ("الغارة", "والقصف"): it usually refers back
    to an event the article has already reported."""
    word = normalize(doc.text[trig.start : trig.end]).split()
    if not word or trig.attrs.get("verb"):
        return False
    return any(pre.endswith("ال") for pre, _rest in clitic_variants(word[0]))


#: What stands between two places of one list: "و" or "،", at most one more word of the
#: first name, and at most one framed item the gazetteer does not know ("درعا البلد وحي
#: طريق السد وبلدتي النعيمة").
_PLACE_LIST_GAP_RE = re.compile(
    r"(?:\s+[^\sو،]\S*)?\s*(?:،\s*)?(?:و\s*)?"
    r"(?:(?:حي|حارة|منطقة|بلدة|قرية|مدينة|مخيم)\s+\S+(?:\s+\S+)?\s+(?:،\s*)?و\s*)?"
)


def _place_chain(doc: Doc, head: Span, places: SpanIndex, clause: Clause) -> list[Span]:
    """The places listed with ``head`` ("النعيمة واليادودة ومدينة بصرى"), head first.

    Only a plain list: not one place placed by another ("شمال حلب"), not "بين X وY" (a
    road or front between two places is one event).
    """
    before = normalize(doc.text[max(clause.start, head.start - 12) : head.start]).split()
    if before and before[-1] in ("بين", "وبين"):
        return [head]
    chain = [head]
    for p in places.within(head.end, clause.end):
        last = chain[-1]
        _ls, le = last.attrs.get("phrase", (last.start, last.end))
        ps, _pe = p.attrs.get("phrase", (p.start, p.end))
        if ps < le:
            continue
        gap = doc.text[le:ps]
        if doc.text[ps : ps + 1] == "و":  # the next phrase holds its و
            gap += "و"
        if (
            p.attrs.get("qualifier")
            or not _PLACE_LIST_GAP_RE.fullmatch(gap)
            or not ("و" in gap or "،" in gap)
        ):
            break
        chain.append(p)
    return chain


def _has_air_force(a: Span | None) -> bool:
    """Whether a side can fly an air strike: state forces and foreign powers (or none)."""
    return a is None or a.attrs.get("kind") in ("state", "external")


def _drone(trig: Span, clause: Clause, idx: dict[str, SpanIndex]) -> bool:
    """Whether the clause's strike is by drone, which non-state groups fly too."""
    return any(
        t.attrs.get("phrase") == _DRONE_PHRASE
        for t in [trig, *idx["TRIGGER"].within(clause.start, clause.end)]
    )


#: The trigger entry of drones in triggers.yaml.
_DRONE_PHRASE = "طائرة بدون طيار"


def _is_civilian(a: Span | None) -> bool:
    return a is not None and (a.attrs.get("inter") == 7 or a.attrs.get("kind") == "civilians")


#: "بين X وY من جهة، وZ من جهة أخرى": the two sides of a fight, each a list of actors.
_SIDES_RE = re.compile(
    r"بين\s+(?P<one>[^.]{3,160}?)\s+من\s+جهة[،,]?\s+و(?P<two>[^.]{3,160}?)\s+"
    r"من\s+جهة\s+(?:أخرى|اخرى|ثانية)"
)


def _sides_of(
    doc: Doc, pool: Sequence[Span], sent: Span, trig: Span
) -> tuple[Span | None, Span | None, list[Span]] | None:
    """The sides a sentence spells out with "من جهة ... من جهة أخرى", if it does.

    The first actor of each side is the side; the others of the first side are its
    associates ("الفرقة الرابعة وحزب الله اللبناني من جهة").
    """
    m = _SIDES_RE.search(doc.text, sent.start, sent.end)
    if m is None or not (trig.start - _SIDES_REACH <= m.start() <= trig.end + _SIDES_REACH):
        return None
    one = [a for a in pool if m.start("one") <= a.start < m.end("one")]
    two = [a for a in pool if m.start("two") <= a.start < m.end("two")]
    if not one or not two:
        return None
    first, second = one[0], two[0]
    names = {first.attrs.get("name"), second.attrs.get("name")}
    assoc: list[Span] = []
    for a in one[1:]:
        if a.attrs.get("name") not in names:
            names.add(a.attrs.get("name"))
            assoc.append(a)
    return first, second, assoc


#: How far (characters) from its trigger a "بين ... من جهة" phrase may stand.
_SIDES_REACH = 60


#: "طائرات حربية يعتقد أنها تابعة للتحالف": a few words, then "belonging to".
_BELONGING_RE = re.compile(r"\s+(?:\S+\s+){0,3}?(?:ال)?تابع(?:ة|ه|ين|ون)?\s+ل?")


#: Titles that open a speaker's name ("رئيس الحكومة التركية ..."): the body named in it
#: is the speaker's, not a side.
_TITLE_HEADS = frozenset(
    normalize(w)
    for w in [
        "رئيس",
        "وزير",
        "المتحدث",
        "متحدث",
        "الناطق",
        "ناطق",
        "مدير",
        "نائب",
        "مستشار",
        "سفير",
    ]
)


def _is_state(a: Span | None) -> bool:
    """Whether an actor span is a state force (army, police, security services)."""
    return a is not None and a.attrs.get("kind") == "state"


def _titled(source: Span) -> bool:
    words = normalize(str(source.attrs.get("text", ""))).split()
    return bool(words) and words[0].lstrip("و") in _TITLE_HEADS


#: The registry's generic rule for the state force of a person-noun hint.
_FORCE_RULES = {"military": "military", "police": "police"}
#: Kinds of armed non-state sides (registry ``kind``).
_ARMED_KINDS = frozenset(["rebel", "militia"])
#: "مسلحون من (قبيلة) ...": armed men of a named group.
_MEMBERS_OF_RE = re.compile(r"\s+من\s+(?:(?:قبيلة|قبيلتي|عشيرة|عشائر|أبناء)\s+)?")


def _owners_of_generics(doc: Doc, actors: SpanIndex) -> None:
    """Give a generic side the actor it is said to belong to.

    "طائرات حربية يعتقد أنها تابعة للتحالف الدولي" are the coalition's aircraft, not the
    country's air force the bare words would default to.
    """
    spans = actors.spans
    for k, a in enumerate(spans):
        if not a.attrs.get("generic"):
            continue
        m = _BELONGING_RE.match(doc.text, a.end, a.end + 40)
        if m is None and a.attrs.get("kind") == "unknown":
            # "مسلحون من قبيلتي التبو والطوارق": unidentified no more
            m = _MEMBERS_OF_RE.match(doc.text, a.end, a.end + 30)
        if m is None:
            continue
        owner = next((b for b in spans[k + 1 :] if a.end < b.start <= m.end() + 1), None)
        if (
            owner is not None
            and owner.attrs.get("name")
            and (not owner.attrs.get("generic") or owner.attrs.get("kind") in _ARMED_KINDS)
        ):
            a.attrs["owner_of"] = a.attrs.get("name")
            a.attrs["name"] = owner.attrs["name"]
            a.attrs["generic"] = False
            a.attrs["kind"] = owner.attrs.get("kind")


def _infer_opponents(events: list[dict[str, Any]]) -> None:
    """Give a battle that names one side the side it fights elsewhere in the article.

    The gold notes' convention: "where a clause names only one side and the other side
    is clear from the article itself, the other side is inferred". The opponent is the
    side most often paired against this one in the article's other battles.
    """
    against: dict[str, dict[str, int]] = {}
    texts: dict[str, str] = {}
    for ev in events:
        a, b = ev.get("actor1"), ev.get("actor2")
        if ev["event_type"] != "Battles" or not a or not b:
            continue
        for x, y in ((a, b), (b, a)):
            against.setdefault(x["name"], {}).setdefault(y["name"], 0)
            against[x["name"]][y["name"]] += 1
            texts.setdefault(y["name"], y.get("text") or "")
    for ev in events:
        if ev["event_type"] != "Battles" or not ev.get("actor1") or ev.get("actor2"):
            continue
        opp = against.get(ev["actor1"]["name"])
        if opp:
            name = max(opp, key=lambda k: opp[k])
            ev["actor2"] = {"name": name, "text": texts.get(name, ""), "inferred": True}


#: Event types of crowds: fans who riot or protest are such events in sports news too.
_CROWD_TYPES = frozenset(["Riots", "Protests"])


def _armed_side_in(doc: Doc, ev: dict[str, Any]) -> bool:
    """Whether a side of ``ev`` is named by an armed actor in its evidence."""
    texts = {str(x.get("text")) for x in (ev.get("actor1"), ev.get("actor2")) if x}
    return any(
        a.attrs.get("kind") in ARMED_KINDS and doc.text[a.start : a.end] in texts
        for span in ev["evidence"]
        for a in doc.spans("ACTOR")
        if span["start"] <= a.start < span["end"]
    )


#: A first line with fewer words than this is a dateline ("عين اليوم – بنغازي"), not the
#: lead.
_LEAD_MIN_WORDS = 5


def _lead_sentence(doc: Doc) -> int:
    """Index of the article's lead: its first sentence of more than a dateline."""
    counts = [0] * len(doc.sentences)
    for t in doc.tokens:
        if not t.is_punct and t.sent < len(counts):
            counts[t.sent] += 1
    return next((k for k, n in enumerate(counts) if n >= _LEAD_MIN_WORDS), 0)


def _default_sources(doc: Doc, events: list[dict[str, Any]]) -> None:
    """An event with no source of its own takes the source that opens the article.

    A report whose lead attributes it ("أعلن المرصد السوري ..."), and that names no
    other source later, is attributed to that source throughout (a monitor's daily
    round-up). Only when the lead's sentence names exactly one source.
    """
    if not doc.sentences:
        return
    lead = doc.sentences[0]
    spans = doc.spans("SOURCE")
    lead_sources = [s.attrs["text"] for s in spans if lead.start <= s.start < lead.end]
    if len(set(lead_sources)) != 1:
        return
    if any(s.start >= lead.end and s.attrs["text"] != lead_sources[0] for s in spans):
        return
    for ev in events:
        if not ev["sources"]:
            ev["sources"] = [lead_sources[0]]


def _territory_subtype(side: Sequence[Span | None], sub: str) -> str:
    """Government regains territory when state forces are among the capturing side
    (EVENTS.md §2; "المقاومة الشعبية والجيش" counts as state forces taking part)."""
    inters = [a.attrs.get("inter") for a in side if a is not None]
    if not inters or inters[0] is None:
        return sub
    if 1 in inters:
        return "Government regains territory"
    if inters[0] in (2, 3, 4):
        return "Non-state actor overtakes territory"
    return sub


def _paragraph_index(doc: Doc) -> list[int]:
    out = []
    pi = 0
    paras = doc.paragraphs
    for s in doc.sentences:
        while pi < len(paras) - 1 and s.start >= paras[pi].end:
            pi += 1
        out.append(pi)
    return out


def _clause_at(cls: Sequence[Clause], offset: int) -> Clause | None:
    for c in cls:
        if c.start <= offset < c.end:
            return c
    return cls[-1] if cls else None


def _blocked(t: Span) -> bool:
    """True when a governing cue says the event did not happen or is history.

    An accident blocks violence, not the protest it sets off ("أغلقوا الطريق بعد وقوع
    حادث مرور").
    """
    if t.attrs.get("future"):
        return True
    protest = t.attrs.get("event_type") in ("Protests", "Riots")
    return any(
        c.get("effect") in ("drop", "history") and not (protest and c.get("kind") == "accident")
        for c in t.attrs.get("cues", [])
    )


def _words_before(doc: Doc, offset: int, n: int) -> list[str]:
    seg = doc.text[max(0, offset - 60) : offset]
    return normalize(seg).replace(",", " ").replace('"', " ").split()[-n:]


def _coordinated(doc: Doc, first: Span, second: Span) -> bool:
    """``first`` and ``second`` are joined by و alone, not after "بين" (two sides)."""
    between = doc.text[first.end : second.start]
    if between.strip() not in ("و", "،و", ", و") and not (
        between.strip() == "" and normalize(doc.text[second.start : second.start + 1]) == "و"
    ):
        return False
    if normalize(doc.text[first.start : first.end]).split()[:1] in _DUAL_GROUP_HEADS:
        return False  # "قبيلتي التبو والطوارق": the two tribes, two sides
    return "بين" not in _words_before(doc, first.start, 2)


#: Dual heads that name two groups, each its own side ("قبيلتي التبو والطوارق").
_DUAL_GROUP_HEADS = [["قبيلتي"], ["قبيلتا"], ["عشيرتي"], ["عشيرتا"], ["قبيلتين"]]


def _has_lam(doc: Doc, span: Span) -> bool:
    """The actor mention is attached to ل ("مواقع لقوات النظام"): usually the target."""
    start = span.start
    while start > 0 and doc.text[start - 1] not in ' \n\t"«(':
        start -= 1
    prefix = normalize(doc.text[start : span.start])
    return prefix.endswith("ل") or prefix.endswith("لل")


_COUNTRY_NAMES = {
    "SY": "Syria", "IQ": "Iraq", "YE": "Yemen", "LY": "Libya", "EG": "Egypt",
    "PS": "Palestine", "IL": "Israel", "LB": "Lebanon", "TR": "Turkey", "AF": "Afghanistan",
    "TN": "Tunisia", "SA": "Saudi Arabia", "PK": "Pakistan", "SO": "Somalia", "NG": "Nigeria",
    "JO": "Jordan", "DZ": "Algeria", "MA": "Morocco", "SD": "Sudan", "KW": "Kuwait",
    "BH": "Bahrain", "IR": "Iran", "US": "United States", "ML": "Mali", "NE": "Niger",
}  # fmt: skip


def _country_name(cc: str | None) -> str:
    return _COUNTRY_NAMES.get(cc or "", cc or "Unknown")


# -- features for the learned filter -------------------------------------------------


def _article_features(doc: Doc, idx: dict[str, SpanIndex]) -> dict[str, float]:
    n_sent = max(1, len(doc.sentences))
    strong = sum(1 for t in idx["TRIGGER"].spans if t.attrs.get("strength") == "strong")
    return {
        "art:trig_density": min(strong / n_sent, 2.0),
        "art:cas_density": min(len(idx["CASUALTY"]) / n_sent, 2.0),
        "art:long": 1.0 if n_sent > 25 else 0.0,
    }


def candidate_features(
    doc: Doc, ev: dict[str, Any], cand: _Cand, idx: dict[str, SpanIndex], art: dict[str, float]
) -> dict[str, float]:
    """Sparse features of a candidate event for the learned filter (``filter/v1``)."""
    t = cand.trig
    f: dict[str, float] = {"bias": 1.0, **art}
    sub = ev["sub_event_type"]
    f[f"sub:{sub}"] = 1.0
    f[f"type:{ev['event_type']}"] = 1.0
    f[f"strength:{t.attrs.get('strength', 'strong')}"] = 1.0
    if t.attrs.get("generic"):
        f["generic"] = 1.0
    phrase = normalize(str(t.attrs.get("phrase") or ""))
    f[f"phrase:{phrase}"] = 1.0
    if t.attrs.get("verb"):
        f["verb"] = 1.0
        w = normalize(doc.text[t.start : t.end]).split()[0] if t.end > t.start else ""
        if w[:1] in ("ي", "ت") and not w.startswith("تم"):
            f["verb:imperfect"] = 1.0
    for c in t.attrs.get("cues", []):
        f[f"cue:{c.get('kind')}"] = 1.0
    s = cand.sent
    f["pos:lead"] = 1.0 if s == 0 else 0.0
    f["pos:early"] = 1.0 if 0 < s <= 3 else 0.0
    f["pos:late"] = 1.0 if s > 3 else 0.0
    f["pos:rel"] = s / max(1, len(doc.sentences))
    for k in _COUNT_FIELDS:
        if ev.get(k) is not None:
            f["has_count"] = 1.0
            f[f"count:{k}"] = 1.0
    loc = ev.get("location")
    if loc:
        f["place"] = 1.0
        f[f"place:prec{loc.get('geo_precision')}"] = 1.0
        if ev.get("_place_carried"):
            f["place:carried"] = 1.0
        if loc.get("lat") is None:
            f["place:no_point"] = 1.0
    else:
        f["place:none"] = 1.0
    f["actor1"] = 1.0 if ev.get("actor1") else 0.0
    f["actor2"] = 1.0 if ev.get("actor2") else 0.0
    if ev.get("_date_explicit"):
        f["date:explicit"] = 1.0
        f[f"date:prec{ev.get('time_precision')}"] = 1.0
    if doc.meta.published and ev.get("date"):
        age = (doc.meta.published - dt.date.fromisoformat(ev["date"])).days
        f["date:age0"] = 1.0 if age <= 0 else 0.0
        f["date:age1"] = 1.0 if age == 1 else 0.0
        f["date:age2+"] = 1.0 if age >= 2 else 0.0
    if ev.get("sources"):
        f["sources"] = 1.0
    sent = doc.sentences[s]
    first = normalize(doc.text[sent.start : min(sent.end, sent.start + 12)]).split()
    if first:
        f[f"first:{first[0]}"] = 1.0
    sent_norm = normalize(doc.text[sent.start : sent.end])
    for marker in ("يذكر", "كان", "وكان", "وكانت", "سبق", "منذ", "قد"):
        if f" {marker} " in f" {sent_norm} ":
            f[f"has:{marker}"] = 1.0
    f["sent:quote"] = 1.0 if ('"' in sent_norm or "«" in sent_norm) else 0.0
    f["sent:n_trig"] = min(len(idx["TRIGGER"].within(sent.start, sent.end)), 5) / 5
    return f


# -- filter and merge ------------------------------------------------------------------


@register("filter/v1")
class EventFilter:
    """Mark ``_rejected`` the candidates that the learned filter
    (``data/event_filter.json``) rejects; merge/v1 drops them unless one repeats a kept
    event in the next sentence (:func:`_repeated_by`).

    The model is a logistic regression over :func:`candidate_features`, trained on
    gold-train by ``scripts/train_event_filter.py``.
    """

    reads: ClassVar[tuple[str, ...]] = ("events",)
    writes: ClassVar[tuple[str, ...]] = ("events",)

    def __init__(self, resources: Resources) -> None:
        self.model = resources.get("event_filter")

    def __call__(self, doc: Doc) -> Doc:
        for ev in doc.events:
            p = self.model.prob(ev.get("_features", {}))
            ev["_score"] = p
            if p < self.model.threshold and self.model.judges(ev["sub_event_type"]):
                # rejected as an event of its own; merge/v1 may still take it as a repeat
                # of the event told just before ("الهجوم" with the toll's sources)
                ev["_rejected"] = True
        return doc


@register("merge/v1")
class MergeReports:
    """Merge the reports of one event within an article (EVENTS.md §1: do not split by
    repetition): same sub-type, compatible places and compatible dates."""

    reads: ClassVar[tuple[str, ...]] = ("events",)
    writes: ClassVar[tuple[str, ...]] = ("events",)

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        merged: list[dict[str, Any]] = []
        for ev in doc.events:
            if ev.get("_rejected"):
                # a candidate the filter rejected stands for no event of its own; a
                # definite word in the next sentence ("وقالت مصادر حكومية إن 70 جنديا
                # أصيبوا في الهجوم") still repeats the event just told
                target = _repeated_by(merged, ev)
                if target is not None:
                    # its figures only fill in what the event lacks: a rejected report
                    # does not overrule the toll of one that stands
                    _merge_into(
                        target,
                        {**ev, **{f: None for f in _COUNT_FIELDS if target.get(f) is not None}},
                    )
                continue
            same = [m for m in merged if _same_event(m, ev) or _same_event(ev, m)]
            if len(same) > 1:
                # the nearest report is the one repeated (a bare "الهجوم أسفر عن مقتل
                # اثنين" after the Sanaa attack is not the lead's battle in Aden)
                same.sort(
                    key=lambda m: (
                        _sent_gap(m, ev),
                        -m["_sents"][-1],
                    )
                )
            target = same[0] if same else None
            if target is None and ev.get("_definite"):
                # "حيث حصلت الغارة": a definite trigger repeats the latest such event
                earlier = [m for m in merged if _same_kind(m, ev) and not _dates_differ(m, ev)]
                if not earlier and ev.get("_generic") and ev["event_type"] in _VIOLENT:
                    # "الجنود الذين استهدفهم الهجوم" right after a car bomb: "the attack"
                    # is that bombing
                    earlier = [
                        m
                        for m in merged
                        if m["event_type"] in _VIOLENT
                        and not _dates_differ(m, ev)
                        and _sent_gap(m, ev) <= 1
                    ]
                target = earlier[-1] if earlier else None
            if target is None:
                merged.append(ev)
            else:
                _merge_into(target, ev)
        casualties = SpanIndex(doc.spans("CASUALTY"))
        for ev in merged:
            ev["evidence"].sort(key=lambda s: s["start"])
            if none_hurt(doc, ev, casualties):
                # reported without casualties: 0, not unknown (EVENTS.md §3), once all
                # the reports of the event are together
                for f in _fields_of(ev) & {"fatalities", "injured"}:
                    ev[f] = 0
            for k in [k for k in ev if k.startswith("_") and k not in ("_trigger", "_score")]:
                del ev[k]
        doc.events = merged
        return doc


def _repeated_by(merged: list[dict[str, Any]], ev: dict[str, Any]) -> dict[str, Any] | None:
    """The event a rejected definite report in the next sentence repeats, if any."""
    if not ev.get("_definite"):
        return None
    near = [
        m
        for m in merged
        if _near_report(m, ev)
        and (
            _same_event(m, ev)
            or _same_event(ev, m)
            # "الهجوم", "التفجير": a generic word names whichever violent event it follows
            or (
                ev.get("_generic")
                and m["event_type"] in _VIOLENT
                and ev["event_type"] in _VIOLENT
                and _loc_compatible(m, ev)
                and not _dates_differ(m, ev)
            )
        )
    ]
    return near[0] if len(near) == 1 else None


def _loc_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    la, lb = a.get("location"), b.get("location")
    if not la or not lb:
        # a report without a place of its own is the same event only nearby in the text
        # or when one of them is the article's lead
        return abs(a["_sent"] - b["_sent"]) <= 1 or a["_para"] == b["_para"] or bool(a.get("_lead"))
    ka = la.get("id") or normalize(la.get("text") or "")
    kb = lb.get("id") or normalize(lb.get("text") or "")
    if ka == kb:
        return True
    if a.get("_place_carried") or b.get("_place_carried"):
        return a["_para"] == b["_para"]
    # a country-level report and a place in that country, in the same part of the text
    if (not la.get("admin1") or not lb.get("admin1")) and la.get("country") == lb.get("country"):
        near = a["_para"] == b["_para"] or bool(a.get("_lead") or b.get("_lead"))
        return near and a.get("_section") == b.get("_section")
    # a province-level report and a place inside that province, or two reports at the
    # province level ("محافظة دير الزور", "ريف دير الزور")
    pa, pb = la.get("geo_precision"), lb.get("geo_precision")
    return bool(
        (
            (pa == 3) != (pb == 3)
            # two province-level reports of one kind of event: one event
            or (pa == pb == 3 and a["sub_event_type"] == b["sub_event_type"])
        )
        and la.get("admin1")
        and la.get("admin1") == lb.get("admin1")
        # told close together: a capture told paragraphs later is not the detail of the
        # lead's "advance in Hama province"
        and _sent_gap(a, b) <= _PROVINCE_DETAIL_SENTS
    )


def _larger_place(ev: dict[str, Any], target: dict[str, Any]) -> bool:
    """Whether ``ev``'s place is larger than ``target``'s (both sizes known)."""
    a, b = ev.get("_place_size"), target.get("_place_size")
    return a is not None and b is not None and a > b


def _next_sentence_same_country(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """ "قتل تسعة جنود في هجوم بسيارة مفخخة." then "واقتحم انتحاري بسيارة مفخخة نقطة
    تفتيش في بلدة القطن": the next sentence details the blast, in the same country."""
    la, lb = a.get("location") or {}, b.get("location") or {}
    near = _sent_gap(a, b) <= 1
    return near and bool(la.get("country")) and la.get("country") == lb.get("country")


#: Sub-types of remote violence: a generic "استهدف" in their clause is their targeting.
_REMOTE_SUBS = frozenset(
    [
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
    ]
)
#: Event types of violence, which a definite "الهجوم" (the attack) may name.
_VIOLENT = frozenset(["Battles", "Explosions/Remote violence", "Violence against civilians"])

#: Sub-types that a later, more specific report of the same blast turns into another.
_REFINED_BY = {"Remote explosive/landmine/IED": "Suicide bomb"}


def _same_event(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if (
        _REFINED_BY.get(b["sub_event_type"]) == a["sub_event_type"]
        or _REFINED_BY.get(a["sub_event_type"]) == b["sub_event_type"]
    ):
        return (
            bool(a.get("date"))
            and a.get("date") == b.get("date")
            and (
                not a.get("location")
                or not b.get("location")
                or _loc_compatible(a, b)
                or _next_sentence_same_country(a, b)
            )
        )
    if (
        a["sub_event_type"] != b["sub_event_type"]
        and (a.get("_generic") or b.get("_generic"))
        and a["event_type"] in _VIOLENT
        and b["event_type"] in _VIOLENT
        and a.get("fatalities")
        and a.get("fatalities") == b.get("fatalities")
    ):
        # "بالهجوم الانتحاري الذي أوقع 30 قتيلا" then "عمل إرهابي أوقع 30 قتيلا": a
        # generic word with the same toll names the same attack, whatever its type
        return _loc_compatible(a, b) and not _dates_differ(a, b)
    if a["sub_event_type"] != b["sub_event_type"] and _same_toll_next_sentence(a, b):
        return True
    if a["sub_event_type"] != b["sub_event_type"] and a["event_type"] == b["event_type"]:
        # "قصفت طائرات التحالف ..." then "القصف": a generic word names the same event
        if (a.get("_generic") or b.get("_generic")) and _loc_compatible(a, b):
            return not _dates_differ(a, b)
    if a["sub_event_type"] != b["sub_event_type"]:
        # the fighting that ends in a capture is part of the capture (EVENTS.md §2 note;
        # "a capture after fighting is one territory event")
        if not (
            a["sub_event_type"] in _TERRITORY
            and b["sub_event_type"] == "Armed clash"
            # the same sentence was settled by suppression (a clash reported beside a
            # capture without "بعد"/"إثر" is its own event)
            and _sent_gap(a, b) == 1
            and (b.get("location") is None or b.get("_place_carried") or _loc_compatible(a, b))
        ):
            return False
    if not _loc_compatible(a, b) and not _same_toll_same_province(a, b):
        return False
    return not _dates_differ(a, b)


#: A toll this high, told twice for one sub-type, day and province, is one event.
_SAME_TOLL_MIN = 2


def _same_toll_next_sentence(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """ "لقي أربعة حوثيين حتفهم جراء كمين ... بمدينة الحديدة" then "شنت هجوماً بصاروخ
    تبعه هجوم بأسلحة رشاشة ... ما أسفر عن مقتل أربعة": the same exact toll told in the
    next sentence, in the same province, on the same day, is the same violent event told
    in more detail, whatever word types each sentence."""
    la, lb = a.get("location") or {}, b.get("location") or {}
    vague = (a.get("_vague") or set()) | (b.get("_vague") or set())
    return bool(
        a["event_type"] in _VIOLENT
        and b["event_type"] in _VIOLENT
        # the next sentence: one sentence's toll split between its events is equal by
        # construction
        and a.get("_sents")
        and b.get("_sents")
        and _sent_gap(a, b) == 1
        and (a.get("fatalities") or 0) >= _SAME_TOLL_MIN
        and a.get("fatalities") == b.get("fatalities")
        # a figure, not a vague amount ("عشرات" is 10 in both)
        and "fatalities" not in vague
        and la.get("admin1")
        and la.get("admin1") == lb.get("admin1")
        and a.get("date") is not None
        and a.get("date") == b.get("date")
        and (a.get("injured") is None or b.get("injured") in (None, a.get("injured")))
    )


def _same_toll_same_province(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """ "قتل 18 شخصا ... في وسط مدينة حلب" then "سقط الصاروخ ... على حي المغاير ... في
    حلب القديمة" with the same 18 dead: one event told at two levels of detail."""
    fa, fb = a.get("fatalities"), b.get("fatalities")
    la, lb = a.get("location") or {}, b.get("location") or {}
    return bool(
        fa is not None
        and fa >= _SAME_TOLL_MIN
        and fa == fb
        # not the places of one list, whose shares of a toll may be equal
        and not set(a["_sents"]) & set(b["_sents"])
        and la.get("admin1")
        and la.get("admin1") == lb.get("admin1")
        and la.get("country") == lb.get("country")
    )


def _same_kind(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["sub_event_type"] == b["sub_event_type"]:
        return True
    return a["event_type"] == b["event_type"] and bool(a.get("_generic") or b.get("_generic"))


def _dates_differ(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("_flashback") != b.get("_flashback") and a.get("date") != b.get("date"):
        return True  # a dated flashback is not the undated report of today's events
    return bool(
        a.get("date")
        and b.get("date")
        and a["date"] != b["date"]
        and a.get("_date_explicit")
        and b.get("_date_explicit")
    )


def _sent_gap(a: dict[str, Any], b: dict[str, Any]) -> int:
    """How many sentences apart the nearest reports of two events are."""
    return min(abs(x - y) for x in a["_sents"] for y in b["_sents"])


def _near_report(target: dict[str, Any], ev: dict[str, Any]) -> bool:
    """Whether ``ev`` is reported within the next sentence of ``target``'s reports."""
    return bool(target.get("_sents") and ev.get("_sents")) and _sent_gap(target, ev) <= 1


def _tells_more(target: dict[str, Any], ev: dict[str, Any]) -> bool:
    """Whether a later report of ``target`` tells a fact it does not have yet.

    A speaker who only reacts to an event already told ("ندد الرئيس بالهجوم ...",
    "أكد مسؤول أن من قام بهذا العمل شرذمة") is not its source; one who adds its toll,
    its place or a side is.
    """
    if any(ev.get(f) is not None and target.get(f) is None for f in _COUNT_FIELDS):
        return True
    if ev.get("location") and not ev.get("_place_carried"):
        if target.get("location") is None or target.get("_place_carried"):
            return True
    sides = sum(1 for f in ("actor1", "actor2") if target.get(f))
    if sum(1 for f in ("actor1", "actor2") if ev.get(f)) > sides:
        return True
    return bool(ev.get("date")) and (target.get("time_precision") or 3) > (
        ev.get("time_precision") or 3
    )


def _merge_into(target: dict[str, Any], ev: dict[str, Any]) -> None:
    same_kind = ev["sub_event_type"] == target["sub_event_type"]
    if _REFINED_BY.get(target["sub_event_type"]) == ev["sub_event_type"] or (
        target.get("_generic") and not ev.get("_generic") and not ev.get("_casualty_only")
    ):
        target["event_type"], target["sub_event_type"] = ev["event_type"], ev["sub_event_type"]
        target["_generic"] = False
    if (
        target["sub_event_type"] != ev["sub_event_type"]
        and ev["sub_event_type"] in _TERRITORY
        # "تمكنت من السيطرة على المزيد من المواقع": a gain with no place in its own
        # clause does not turn the fighting it is reported with into a capture
        and ev.get("_place_in_clause")
    ):
        target["event_type"], target["sub_event_type"] = ev["event_type"], ev["sub_event_type"]
        for f in ("actor1", "actor2", "assoc_actor_1"):
            target[f] = ev[f]
    target["evidence"].extend(x for x in ev["evidence"] if x not in target["evidence"])
    near = _near_report(target, ev)
    tells_more = _tells_more(target, ev)
    target["_sents"] = sorted(set(target["_sents"]) | set(ev["_sents"]))
    if (
        same_kind
        and ev.get("_definite")
        and _other_side_toll(target, ev.get("fatalities"), ev.get("_victims") or set())
    ):
        # "اثنين من مقاتلي المقاومة استشهدا خلال المواجهات": the other side's dead of
        # the fighting just reported
        ev = {**ev, "fatalities": None}
    t_vague, e_vague = target.setdefault("_vague", set()), ev.get("_vague") or set()
    for f in _COUNT_FIELDS:
        a, b = target.get(f), ev.get(f)
        if a is None:
            target[f] = b
            if f in e_vague:
                t_vague.add(f)
        elif b is not None:
            if f in t_vague and f not in e_vague:
                # "عشرات" then "28 من مسلحي التنظيم": a figure beats a vague amount
                target[f] = b
                t_vague.discard(f)
            elif f in e_vague and f not in t_vague:
                pass
            elif min(a, b) == 0:
                # "مقتل سبعة" and "دون وقوع إصابات": the none belongs to a side clause
                # (another blast of the sentence), the dead are counted
                target[f] = max(a, b)
            else:
                target[f] = min(a, b)  # reports disagree: the lowest figure (EVENTS.md §3)
    names = {x["name"] for x in (target.get("actor1"), target.get("actor2")) if x}
    for f in ("actor1", "actor2"):
        if target.get(f) is None and ev.get(f) is not None and ev[f]["name"] not in names:
            target[f] = ev[f]
            names.add(ev[f]["name"])
    tl, el = target.get("location"), ev.get("location")
    if el and not ev.get("_place_carried"):
        better = (
            tl is None
            or target.get("_place_carried")
            or (
                (el.get("geo_precision") or 3) < (tl.get("geo_precision") or 3)
                # a repeat that names a place outside the event's province does not
                # move it there
                and (
                    not tl.get("admin1")
                    or el.get("admin1") == tl.get("admin1")
                    # only a province is sure of its province: "قضاء البعاج شمال غرب
                    # بغداد" (precision 2) is not in Baghdad
                    or tl.get("geo_precision") != _PROVINCE_PRECISION
                )
                # nor to a larger place holding the one it has (see _SIZE_OF_TYPE)
                and not _larger_place(ev, target)
            )
        )
        if better:
            target["location"], target["_place_carried"] = el, False
            target["_place_size"] = ev.get("_place_size")
    if ev.get("date") and (target.get("time_precision") or 3) > (ev.get("time_precision") or 3):
        target["date"], target["time_precision"] = ev["date"], ev["time_precision"]
    if near or (not target["sources"] and tells_more):
        # the first report's source stands for the event; a report right after it that
        # names another source adds it ("قال مسعفون ..." then "وقال مسؤولون عسكريون ...")
        for s in ev.get("sources", []):
            if s not in target["sources"]:
                target["sources"].append(s)
    for a in ev.get("assoc_actor_1", []):
        if a and a not in target["assoc_actor_1"]:
            target["assoc_actor_1"].append(a)
