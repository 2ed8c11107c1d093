"""Resolution of place mentions to gazetteer places and IO.md location records.

:meth:`PlaceResolver.article_context` reads every ``PLACE`` span of an article once
(main country, first-level units named, places that are unambiguous); then
:meth:`PlaceResolver.resolve` picks a candidate for one span and returns the location
dict. Same-name candidates are ranked by, in order of weight: the article's main
country, a first-level unit named in the same sentence, one named elsewhere in the
article, nearness to unambiguous places of the same sentence, agreement with the frame
word ("حي" wants a neighbourhood, "محافظة" a province), then feature rank and population.

A name shared by a city outside the region and places of the region ("الرباط": Rabat
and Yemeni villages) is read by the rest of the article: it votes for the country the
other mentions name, and the foreign city's size counts only when the article names
its country or does not name the country of a same-name place of the region ("منطقة
الرباط" near Lahij is the Yemeni place; "الرباط" beside "المغرب" is Rabat).

Precision follows EVENTS.md: 1 for the town, village or neighbourhood itself; 2 near
it ("قرب", "شمال", "4 كيلومترات عن"), for a road, district or area; 3 for a province
("ريف حماة", "محافظة حماة": the capital's point) or a country (the capital's point).
Coordinates are never invented: a place the gazetteer does not know takes the point of
a known place the text ties it to, or none.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.doc import Doc, Span
from marsad.geo import haversine_km
from marsad.resolve.gazetteer import Gazetteer, Place
from marsad.resolve.translit import MIN_SKELETON, arabic_skeleton

#: Prior weight of each feature type when nothing else decides.
TYPE_PRIOR = {
    "city": 2.0,
    "country": 1.8,
    "admin1": 1.6,
    "town": 1.5,
    "admin2": 0.6,
    "landmark": 0.5,
    "village": 0.35,
    "neighbourhood": 0.3,
    "admin3": 0.2,
}

#: One coordinated word between a place and its direction phrase: " والمضيق ".
_COORDINATED_WORD_RE = re.compile(r"\s+و\S{2,}\s+")
#: How many coordinated places ("حصيبة والمضيق") a direction phrase may follow.
_COORDINATED_PLACES = 2
#: Types of place that can anchor other places of their sentence.
_ANCHOR_TYPES = frozenset({"country", "admin1", "admin2", "city", "town"})

#: Types that can be another place of the same name as a better-known one.
_SMALL = frozenset({"town", "village", "neighbourhood", "admin3", "landmark"})

#: Types whose population says how well known the place is.
_SETTLED = frozenset({"city", "town", "village", "neighbourhood"})

STRONG_TYPES = frozenset({"country", "admin1", "admin2", "city", "town"})

#: Frame class → feature types it prefers.
FRAME_TYPES: dict[str, frozenset[str]] = {
    "city": frozenset({"city", "town"}),
    "town": frozenset({"town", "village", "city"}),
    "village": frozenset({"village", "town"}),
    "neighbourhood": frozenset({"neighbourhood", "village", "landmark"}),
    "province": frozenset({"admin1"}),
    "countryside": frozenset({"admin1", "city"}),
    "district": frozenset({"admin2", "admin3"}),
    "region": frozenset({"admin2", "admin3", "village", "town"}),
    "camp": frozenset({"landmark", "neighbourhood", "village", "town", "city"}),
    "airport": frozenset({"landmark", "city", "town"}),
    "base": frozenset({"landmark", "town", "village"}),
}

#: Frames that name one type precisely; other fitting types get a smaller bonus.
_STRICT_FRAMES = frozenset({"province", "neighbourhood", "district"})
_FRAME_FIRST = {"province": "admin1", "neighbourhood": "neighbourhood", "district": "admin2"}

#: Frames naming a site near a town rather than the town itself.
_NEAR_FRAMES = frozenset(
    {"airport", "base", "dam", "crossing", "mountain", "road", "region", "border", "port"}
)
#: Frames naming a locality (an unknown one keeps precision 1).
_LOCALITY_FRAMES = frozenset({"city", "town", "village", "neighbourhood", "camp"})
#: What stands between a quarter and the city it is in: "في", or ب on the city.
_IN_CITY_GAP_RE = re.compile(r"\s+(?:في\s+(?:مدينة\s+)?|ب(?:مدينة\s+)?)")
#: "جعار بنفس المحافظة", "في الولاية ذاتها": the province last named before the place.
_SAME_PROVINCE_RE = re.compile(
    r"\s*,?\s*(?:ب|في\s+)(?:نفس|ذات)\s+(?:ال)?(?:محافظ[ةه]|ولاي[ةه]|منطق[ةه])"
    r"|\s*,?\s*(?:ب|في\s+)(?:ال)?(?:محافظ[ةه]|ولاي[ةه])\s+(?:نفسها|ذاتها)"
)
#: Places inside a town: streets, quarters, landmarks.
_URBAN = frozenset({"neighbourhood", "landmark"})
#: Frames of places smaller than a town: never a province or a country.
_SMALL_FRAMES = frozenset({"village", "neighbourhood", "camp"})

#: Places smaller than a town, which a province frame never names (a province is often
#: named like its capital town, "محافظة لحج").
_LOCALITY_TYPES = frozenset({"village", "neighbourhood", "landmark"})

_QUOTES = str.maketrans({c: None for c in "‘’`ʼʻ'"})


def plain_name(name: str) -> str:
    """An English place name without diacritics or ayn/hamza marks ("Ḩamāh" → "Hamah")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_QUOTES)


def _prominence(p: Place) -> float:
    """How well known a place is, from its type and population (for country votes)."""
    v = TYPE_PRIOR.get(p.type, 0.2)
    if p.type in _SETTLED:
        v += min(math.log10(p.population + 1) / 7.0, 1.0)
    return v**2


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places with points (inf without)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


@dataclass
class PlaceContext:
    """What the whole article says about places, for disambiguation."""

    #: ISO code of the article's main country ("" when it names none).
    country: str = ""
    #: Weight of each country over the article's place mentions.
    countries: dict[str, float] = field(default_factory=dict)
    #: Weight of each (country, admin1) named in the article.
    admin1s: dict[tuple[str, str], float] = field(default_factory=dict)
    #: (country, admin1) named in each sentence, by sentence index.
    sent_admin1s: dict[int, dict[tuple[str, str], float]] = field(default_factory=dict)
    #: Places whose mention is unambiguous, by sentence index, with the span start.
    anchors: dict[int, list[tuple[int, Place]]] = field(default_factory=dict)
    #: The country weights each span contributed, by span start.
    span_countries: dict[int, dict[str, float]] = field(default_factory=dict)
    #: The (country, admin1) each span contributed, by span start.
    span_units: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: The province a span is said to share with the place before it ("جعار بنفس
    #: المحافظة"), by span start.
    same_units: dict[int, tuple[str, str]] = field(default_factory=dict)


#: A country counts for a long Latin-only match when the article's places give it this
#: weight (see PlaceResolver.article_context).
_SKELETON_COUNTRY_WEIGHT = 1.0
#: Frames under which an unknown name may be a town known only by its Latin name (not
#: "جبل الهيكل", "مطار ...": landmarks are not in GeoNames' populated places).
_SKELETON_FRAMES = frozenset({"city", "town", "village", "district"})
#: The most populous match wins over the next when at least this many times larger.
_SKELETON_POP_RATIO = 3
#: How far a town known only by its Latin name may lie from the place the text puts it
#: beside ("شمال الخليل").
_SKELETON_ANCHOR_KM = 25.0


class PlaceResolver:
    """Chooses a gazetteer place for each ``PLACE`` span and builds its location record."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        #: (start, end) of the spans whose anchor is being resolved (see _unresolved)
        self._anchoring: set[tuple[int, int]] = set()

    # -- article context -----------------------------------------------------------
    def _cands(self, span: Span) -> list[Place]:
        out = []
        for pid in span.attrs.get("candidates", []):
            p = self.gaz.get(pid)
            if p is not None:
                out.append(p)
        return out

    def article_context(self, doc: Doc) -> PlaceContext:
        """Main country, first-level units and unambiguous places of ``doc``."""
        ctx = PlaceContext()
        spans = doc.spans("PLACE")
        cands_of = [self._cands(s) for s in spans]
        shared = [self._shared(cands) for cands in cands_of]
        # names shared by a foreign city and places of the region vote last, for the
        # countries the other mentions name
        order = sorted(range(len(spans)), key=lambda i: shared[i])
        base: dict[str, float] | None = None
        for i in order:
            span_start, cands = spans[i].start, cands_of[i]
            if shared[i]:
                if base is None:
                    base = dict(ctx.countries)
                named = [p for p in cands if base.get(p.country, 0.0) > 1e-9]
                cands = named or cands
            strong = [p for p in cands if p.type in STRONG_TYPES]
            pool = strong or cands
            # each mention gives its weight to the countries of its candidates, in
            # proportion to how prominent each country's candidate is ("الرقة": the
            # Syrian city far more than the Kuwaiti town)
            prom: dict[str, float] = {}
            for p in pool:
                v = _prominence(p)
                if v > prom.get(p.country, 0.0):
                    prom[p.country] = v
            total = sum(prom.values())
            if not total:
                continue
            w = 1.5 if strong else 0.5
            for cc, v in prom.items():
                ctx.countries[cc] = ctx.countries.get(cc, 0.0) + w * v / total
            ctx.span_countries[span_start] = {cc: w * v / total for cc, v in prom.items()}
        if ctx.countries:
            ctx.country = max(sorted(ctx.countries.items()), key=lambda kv: kv[1])[0]
        for s, cands in zip(spans, cands_of, strict=True):
            sent = doc.sentence_of(s.start) if doc.sentences else 0
            if s.attrs.get("frame") == "province":  # never a village (see resolve)
                cands = [p for p in cands if p.type not in _LOCALITY_TYPES]
            local = [p for p in cands if p.country == ctx.country] or cands
            strong = [p for p in local if p.type in STRONG_TYPES]
            pool = strong or local
            units = {(p.country, p.admin1) for p in pool if p.admin1}
            if len(units) == 1:
                unit = next(iter(units))
                ctx.admin1s[unit] = ctx.admin1s.get(unit, 0.0) + 1.0
                per = ctx.sent_admin1s.setdefault(sent, {})
                per[unit] = per.get(unit, 0.0) + 1.0
                ctx.span_units[s.start] = unit
            if pool and pool[0].has_point and pool[0].type in _ANCHOR_TYPES:
                top = pool[0]
                if len(pool) == 1 or (
                    len({(p.country, p.admin1) for p in pool}) == 1
                    and top.type in ("city", "country", "admin1")
                ):
                    ctx.anchors.setdefault(sent, []).append((s.start, top))
        last_unit: tuple[str, str] | None = None
        for s in spans:
            end = s.attrs.get("phrase", (s.start, s.end))[1]
            if last_unit is not None and _SAME_PROVINCE_RE.match(doc.text, end):
                # "... في زنجبار. كما وصلت إلى مدينة جعار بنفس المحافظة": the province of
                # the last place named before it whose province is known
                ctx.same_units[s.start] = last_unit
            last_unit = ctx.span_units.get(s.start, last_unit)
        return ctx

    def _shared(self, cands: list[Place]) -> bool:
        """Whether a name is shared by a place outside the region and one inside it."""
        inside = {self.gaz.in_region(p.country) for p in cands}
        return len(inside) == 2

    # -- choosing a candidate ----------------------------------------------------------
    def score(self, doc: Doc, span: Span, ctx: PlaceContext, p: Place) -> float:
        """Score of candidate ``p`` for ``span`` (higher is better)."""
        sent = doc.sentence_of(span.start) if doc.sentences else 0
        prior = TYPE_PRIOR.get(p.type, 0.2)
        if p.type in _SETTLED:  # a province's population says nothing about its name
            prior += min(math.log10(p.population + 1) / 7.0, 1.0)
        s = prior + (0.5 if p.has_point else -1.0)
        hint = span.attrs.get("country_hint", "")
        if hint:
            s += 4.0 if p.country == hint else 0.0
        else:
            # the article's countries, without what this very mention voted
            voted = ctx.span_countries.get(span.start, {})
            weights = {cc: w - voted.get(cc, 0.0) for cc, w in ctx.countries.items()}
            top = max(weights.values(), default=0.0)
            if top > 1e-9:
                main = max(sorted(weights.items()), key=lambda kv: kv[1])[0]
                if p.country == main:
                    s += 2.0
                elif weights.get(p.country, 0.0) > 1e-9:
                    s += 1.0 * weights[p.country] / top
                elif (
                    not self.gaz.in_region(p.country)
                    and self.gaz.in_region(main)
                    and any(c.country == main for c in self._cands(span))
                ):
                    # a foreign city of a country the article never names does not beat
                    # a place of the article's own country by its size alone
                    s -= prior
        frame = span.attrs.get("frame", "")
        if frame in _SMALL_FRAMES and p.type == "city" and not self.gaz.in_region(p.country):
            s -= prior  # "قرية داكار" is a village, never Senegal's capital
        unit = (p.country, p.admin1)
        if unit == ctx.same_units.get(span.start):
            s += 4.0  # "مدينة جعار بنفس المحافظة": Jaar of the province just named
        here = ctx.sent_admin1s.get(sent, {})
        own = 1.0 if ctx.span_units.get(span.start) == unit else 0.0
        if p.admin1 and here.get(unit, 0) - own > 0:
            s += 2.5
        elif p.admin1 and ctx.admin1s.get(unit, 0) - own > 0:
            # named elsewhere in the article: more for the article's main provinces
            top = max(ctx.admin1s.values())
            s += 1.0 + 0.5 * (ctx.admin1s[unit] - own) / top
        near = [a for st, a in ctx.anchors.get(sent, []) if st != span.start]
        if near and p.has_point and any(distance_km(a, p) < 60.0 for a in near):
            s += 1.0
        want = FRAME_TYPES.get(frame)
        if want and p.type in want:
            # the first type listed is the one the frame names ("حي" → neighbourhood)
            exact = p.type == _FRAME_FIRST.get(frame)
            s += (1.5 if exact else 0.5) if frame in _STRICT_FRAMES else 1.0
        return s

    def choose(self, doc: Doc, span: Span, ctx: PlaceContext) -> Place | None:
        """The best candidate of ``span``, or ``None`` when none fits.

        A small place is rejected when the sentence (or a nationality adjective) puts
        the mention in a country where the gazetteer has no place of that name: the
        mention is then an unknown place ("تل شور ... سنجار" is not the Syrian village).
        """
        cands = self._cands(span)
        if not cands:
            return None
        best = max(cands, key=lambda p: self.score(doc, span, ctx, p))
        hint = span.attrs.get("country_hint", "")
        if hint and best.country != hint:
            return None
        if not best.has_point and ctx.country and best.country != ctx.country:
            return None  # a name known only from another country's village list
        if (best.country, best.admin1) == ctx.same_units.get(span.start):
            return best  # the text puts it in that province: far from the sentence's others
        if best.type in _SMALL and not hint:
            sent = doc.sentence_of(span.start) if doc.sentences else 0
            named = [a for st, a in ctx.anchors.get(sent, []) if st != span.start]
            anchors = [a for a in named if a.type != "country"]
            around = {a.country for a in named}
            # a town is moved out of its country only by places, not by a country name
            # ("عين العرب ... على الحدود مع تركيا")
            if (
                around
                and (anchors or best.type != "town")
                and not any(c.country in around for c in cands)
            ):
                return None
            # places named in one sentence lie near each other: a small place far from
            # every well-known place of its sentence is another place of the same name
            near = [a for a in anchors if a.has_point]
            if (
                near
                and best.type != "town"
                and best.has_point
                and all(distance_km(best, a) > 150.0 for a in near)
            ):
                close = [
                    c
                    for c in cands
                    if c.type in _SMALL and any(distance_km(c, a) <= 150.0 for a in near)
                ]
                if not close:
                    return None
                best = max(close, key=lambda p: self.score(doc, span, ctx, p))
            # "التاجي شمال العاصمة", "الفلاحات غربي الفلوجة": a place placed relative to
            # the next one lies near it
            ref = self._relative_anchor(doc, span, ctx)
            if (
                ref is not None
                and ref.type in ("city", "town", "village", "neighbourhood")
                and ref.has_point
            ):
                close = [c for c in cands if c.has_point and distance_km(c, ref) <= 60.0]
                if close:
                    # and in the province of the place it is placed by
                    ref_unit = (ref.country, ref.admin1)
                    best = max(
                        close,
                        key=lambda p: (
                            self.score(doc, span, ctx, p)
                            + (1.0 if (p.country, p.admin1) == ref_unit else 0.0)
                        ),
                    )
                elif best.type != "town":
                    return None  # a known town far from the anchor stays itself
            # "ناحية بني سعد بمحافظة ديالى": the province that follows the name is where it
            # lies; when no candidate lies there, the gazetteer lacks this place
            unit = self._following_province(doc, span, ctx)
            if unit and not any((c.country, c.admin1) == unit for c in cands):
                return None
            # "حي الجراف في صنعاء": a quarter or village placed in a city lies in or by it
            city = self._containing_city(doc, span, ctx) if best.type != "town" else None
            if city is not None:
                inside = [c for c in cands if c.has_point and distance_km(c, city) <= 30.0]
                if not inside:
                    return None
                best = max(inside, key=lambda p: self.score(doc, span, ctx, p))
            # "اشتباكات في ... شارع الثلاثين" in a story of Taizz: a street or quarter of
            # a province the article never names, when it names others of that country,
            # is a same-name place the gazetteer lacks
            urban = best.type in _URBAN or span.attrs.get("frame") == "neighbourhood"
            if urban and best.admin1:
                own = ctx.span_units.get(span.start)
                named_units = {
                    u
                    for u, w in ctx.admin1s.items()
                    if u[0] == best.country and w - (1.0 if u == own else 0.0) > 0.0
                }
                if named_units and not any((c.country, c.admin1) in named_units for c in cands):
                    return None
        return best

    def _relative_anchor(self, doc: Doc, span: Span, ctx: PlaceContext) -> Place | None:
        """The place of a direction/near/distance phrase right after ``span``.

        The phrase may follow a place coordinated with it: in "منطقتي حصيبة والمضيق شرقي
        الرمادي" both places lie east of Ramadi.
        """
        end = span.attrs.get("phrase", (span.start, span.end))[1]
        for _ in range(_COORDINATED_PLACES + 1):
            nxt = None
            for other in doc.spans("PLACE"):
                ps = other.attrs.get("phrase", (other.start, other.end))[0]
                if other is span or ps < end:
                    continue
                # right after, or after one coordinated word ("حصيبة والمضيق شرقي الرمادي")
                if ps - end > 3 and not (
                    other.attrs.get("qualifier")
                    and _COORDINATED_WORD_RE.fullmatch(doc.text[end:ps])
                ):
                    continue
                if other.attrs.get("qualifier") in ("direction", "near", "distance"):
                    if other.attrs.get("capital") and ctx.country:
                        return self.gaz.capital_of(f"cc:{ctx.country}")
                    cands = self._cands(other)
                    if cands:
                        return max(cands, key=lambda p: self.score(doc, other, ctx, p))
                elif doc.text[ps : ps + 1] == "و" or doc.text[end:ps].strip() == "و":
                    nxt = other
            if nxt is None:
                return None
            end = nxt.attrs.get("phrase", (nxt.start, nxt.end))[1]
        return None

    def _containing_city(self, doc: Doc, span: Span, ctx: PlaceContext) -> Place | None:
        """The city of "في/ب CITY" right after ``span`` ("حي الجراف في صنعاء")."""
        end = span.attrs.get("phrase", (span.start, span.end))[1]
        for other in doc.spans("PLACE"):
            ps = other.attrs.get("phrase", (other.start, other.end))[0]
            if other is span or not 0 < ps - end <= 5:
                continue
            if not _IN_CITY_GAP_RE.fullmatch(doc.text[end : other.start]):
                continue
            cands = [c for c in self._cands(other) if c.type == "city" and c.has_point]
            if cands and other.attrs.get("frame", "") in ("", "city"):
                return max(cands, key=lambda p: self.score(doc, other, ctx, p))
        return None

    @staticmethod
    def _following_province(doc: Doc, span: Span, ctx: PlaceContext) -> tuple[str, str] | None:
        """The province of a province/countryside phrase right after ``span``."""
        end = span.attrs.get("phrase", (span.start, span.end))[1]
        for other in doc.spans("PLACE"):
            ps = other.attrs.get("phrase", (other.start, other.end))[0]
            if other is span or not 0 <= ps - end <= 12:
                continue
            if other.attrs.get("frame") in ("province", "countryside"):
                return ctx.span_units.get(other.start)
        return None

    # -- the location record ------------------------------------------------------------
    def resolve(self, doc: Doc, span: Span, ctx: PlaceContext) -> dict[str, Any]:
        """The IO.md location dict of ``span``:
        ``{"text", "name", "country", "admin1", "lat", "lon", "geo_precision", "id"}``."""
        a = span.attrs
        frame, qualifier = a.get("frame", ""), a.get("qualifier", "")
        ps, pe = a.get("phrase", (span.start, span.end))
        phrase_text = doc.text[ps:pe]
        name_text = a.get("text", doc.text[span.start : span.end])
        text = (
            phrase_text
            if (qualifier or frame in ("countryside", "province", "road"))
            else name_text
        )
        p = self.choose(doc, span, ctx)
        if p is None and not a.get("candidates"):
            p = self._by_skeleton(doc, span, ctx)
        if p is not None and frame in _SMALL_FRAMES and p.type in ("admin1", "country"):
            # "حي فارس الخوري" is a neighbourhood, not the Iranian province of Fars: a
            # locality frame takes a locality candidate or none
            local = [c for c in self._cands(span) if c.type not in ("admin1", "country")]
            sent = doc.sentence_of(span.start) if doc.sentences else 0
            near = {a.country for st, a in ctx.anchors.get(sent, []) if st != span.start}
            near = near or ({ctx.country} if ctx.country else set())
            if near:  # "حي ... في مدينة دمشق": a locality of the country the story is in
                local = [c for c in local if c.country in near]
            p = max(local, key=lambda c: self.score(doc, span, ctx, c)) if local else None
        if p is not None and frame == "province" and p.type in _LOCALITY_TYPES:
            # "إقليم تهامة" is a region, not the village of Tuhamah in Marib: a province
            # frame never takes a locality
            p = None
        if p is None and a.get("capital") and ctx.country:
            # "العاصمة" alone: the capital of the article's country
            p = self.gaz.capital_of(f"cc:{ctx.country}")
        if p is not None and p.type in ("admin1", "country") and not p.has_point:
            cap = self.gaz.capital_of(p.id)
            if cap is None or not cap.has_point:
                return {
                    "text": text,
                    "name": p.admin1 if p.type == "admin1" else plain_name(p.name_en),
                    "country": p.country,
                    "admin1": p.admin1 or None,
                    "lat": None,
                    "lon": None,
                    "geo_precision": 3,
                    "id": p.id,
                }
        if p is None or not p.has_point:
            return self._unresolved(doc, span, ctx, text, p)
        precision = 1
        lat_lon_none = False
        point: Place = p
        name = plain_name(p.name_en)
        admin1 = p.admin1
        if p.type == "country":
            precision = 3
            admin1 = ""
            if self.gaz.capital_of(p.id) is None:
                # a country outside the gazetteer's region: no capital point to give
                lat_lon_none = True
        elif p.type == "admin1" or frame in ("province", "countryside"):
            cap = self.gaz.admin1_capital(p.country, p.admin1) if p.admin1 else None
            point = cap or p
            name = p.admin1 or name
            precision = 3
        elif p.type in ("admin2", "admin3"):
            # a district named like its seat: the seat itself unless the text says
            # "district"/"area" ("مديرية لودر" is the district, "لودر" the town)
            town = self._seat(p)
            point = town or p
            precision = 1 if town is not None and frame not in ("district", "region") else 2
            if town is not None and precision == 1:
                name = plain_name(town.name_en)
        elif frame in _NEAR_FRAMES and p.type not in ("landmark",):
            precision = 2
        if qualifier and precision < 3:
            precision = max(precision, 2)
        lat, lon = (None, None) if lat_lon_none else (point.lat, point.lon)
        if frame == "road" and a.get("via") and precision < 3:
            other = self._via(doc, a["via"], ctx, p)
            if other is not None and distance_km(p, other) < 120.0:
                lat = round((p.lat or 0.0) / 2 + (other.lat or 0.0) / 2, 5)
                lon = round((p.lon or 0.0) / 2 + (other.lon or 0.0) / 2, 5)
                name = f"{name}–{plain_name(other.name_en)} road"
                text = phrase_text
                unit = self._following_province(doc, span, ctx)
                if unit is not None and unit[0] == p.country and other.admin1 == unit[1]:
                    # "... حمص والسلمية في ريف حماة الشرقي": the stretch in Hama province
                    admin1 = unit[1]
        return {
            "text": text,
            "name": name,
            "country": p.country,
            "admin1": admin1,
            "lat": lat,
            "lon": lon,
            "geo_precision": precision,
            "id": p.id,
        }

    def _by_skeleton(self, doc: Doc, span: Span, ctx: PlaceContext) -> Place | None:
        """A town the gazetteer knows only by its Latin name, spelt alike ("سوروتش":
        Suruç), in a country the article names; the most populous unless two are alike
        in size and nothing else tells them apart."""
        a = span.attrs
        name = str(a.get("text") or "")
        if not name or a.get("frame") not in _SKELETON_FRAMES:
            return None
        # the country the text gives the name, the article's, or one of a place beside it
        countries = {c for c in (a.get("country_hint"), ctx.country) if c}
        sent = doc.sentence_of(span.start) if doc.sentences else 0
        countries |= {p.country for _st, p in ctx.anchors.get(sent, [])}
        if len(arabic_skeleton(name)) > MIN_SKELETON:
            # a longer skeleton is rarer: any country the article's places point to
            countries |= {c for c, w in ctx.countries.items() if w >= _SKELETON_COUNTRY_WEIGHT}
        found = [p for p in self.gaz.by_skeleton(name) if p.country in countries and p.has_point]
        # "بلدة "بيت امر" شمال الخليل": a town beside Hebron, in Hebron's country, here
        # and wherever the article names it again
        for other in doc.spans("PLACE") if found else ():
            if other.attrs.get("text") != name:
                continue
            anchor = self._relative_anchor(doc, other, ctx)
            if anchor is not None and anchor.has_point:
                found = [
                    p
                    for p in found
                    if p.country == anchor.country and distance_km(p, anchor) <= _SKELETON_ANCHOR_KM
                ]
        if not found:
            return None
        named = [p for p in found if (p.country, p.admin1) in ctx.admin1s]
        if len(named) == 1:
            return named[0]
        if len(found) > 1 and found[1].population * _SKELETON_POP_RATIO > found[0].population:
            return None  # two towns of a size: nothing to choose by
        return found[0]

    def _seat(self, unit: Place) -> Place | None:
        """A town of the same name in the same admin1 as a district (its seat)."""
        best: Place | None = None
        for k in self.gaz.keys_of(unit.id)[:1]:
            for c in self.gaz.candidates(k):
                if (
                    c.country == unit.country
                    and c.admin1 == unit.admin1
                    and c.type in ("city", "town", "village")
                    and c.has_point
                    and (best is None or c.population > best.population)
                ):
                    best = c
        return best

    def _via(self, doc: Doc, via: dict[str, Any], ctx: PlaceContext, first: Place) -> Place | None:
        cands = [p for pid in via.get("candidates", []) if (p := self.gaz.get(pid)) and p.has_point]
        if not cands:
            return None
        return min(cands, key=lambda c: (c.country != first.country, distance_km(first, c)))

    def _unresolved(
        self, doc: Doc, span: Span, ctx: PlaceContext, text: str, p: Place | None
    ) -> dict[str, Any]:
        """A place without a point: anchor it to a known place the text ties it to."""
        a = span.attrs
        frame = a.get("frame", "")
        anchor_span, anchor = self._anchor(doc, span, ctx, p)
        # two unresolved places must not anchor each other in turn (a frame can reject the
        # candidate that made a span look anchored)
        anchoring = self._anchoring
        if anchor_span is not None and (anchor_span.start, anchor_span.end) in anchoring:
            anchor_span = anchor = None
        if anchor is not None and anchor_span is not None:
            anchoring.add((span.start, span.end))
            try:
                loc = self.resolve(doc, anchor_span, ctx)
            finally:
                anchoring.discard((span.start, span.end))
            ps = a.get("phrase", (span.start, span.end))[0]
            aps, ape = anchor_span.attrs.get("phrase", (anchor_span.start, anchor_span.end))
            if 0 <= aps - span.end <= 12:  # "الفلاحات غربي الفلوجة": one phrase
                text = doc.text[ps:ape]
            precision = max(2, int(loc["geo_precision"]))
            return {
                "text": text,
                "name": plain_name(p.name_en) if p else a.get("text", ""),
                "country": loc["country"],
                "admin1": (p.admin1 if p and p.admin1 else loc["admin1"]),
                "lat": loc["lat"],
                "lon": loc["lon"],
                "geo_precision": precision,
                "id": p.id if p else None,
            }
        country = p.country if p else (a.get("country_hint") or ctx.country)
        admin1 = p.admin1 if p else ""
        if not admin1 and ctx.admin1s:
            units = [u for u in ctx.admin1s if u[0] == country]
            if len(units) == 1:
                admin1 = units[0][1]
        precision = 1 if (frame in _LOCALITY_FRAMES or (p and p.type in ("village", "town"))) else 2
        return {
            "text": text,
            "name": plain_name(p.name_en) if p else a.get("text", ""),
            "country": country or None,
            "admin1": admin1 or None,
            "lat": None,
            "lon": None,
            "geo_precision": precision,
            "id": p.id if p else None,
        }

    def _anchor(
        self, doc: Doc, span: Span, ctx: PlaceContext, p: Place | None
    ) -> tuple[Span | None, Place | None]:
        """The nearest other place of the same sentence with a point (same admin1 if known)."""
        spans: Sequence[Span] = doc.spans("PLACE")
        sent = doc.sentence_of(span.start) if doc.sentences else 0
        best: tuple[int, Span, Place] | None = None
        for other in spans:
            if other is span:
                continue
            if (doc.sentence_of(other.start) if doc.sentences else 0) != sent:
                continue
            op = self.choose(doc, other, ctx)
            if op is None and other.attrs.get("capital") and ctx.country:
                op = self.gaz.capital_of(f"cc:{ctx.country}")
            if op is None or not op.has_point:
                continue
            if p is not None and p.admin1 and op.admin1 and op.admin1 != p.admin1:
                continue
            gap = (
                other.start - span.end if other.start >= span.end else 3 * (span.start - other.end)
            )
            if best is None or gap < best[0]:
                best = (gap, other, op)
        if best is None:
            return None, None
        return best[1], best[2]


def resolve_all(doc: Doc, resolver: PlaceResolver) -> list[dict[str, Any]]:
    """Location records of every ``PLACE`` span of ``doc``, in order (for tools and tests)."""
    ctx = resolver.article_context(doc)
    return [resolver.resolve(doc, s, ctx) for s in doc.spans("PLACE")]
