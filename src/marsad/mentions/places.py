"""Recognition of place mentions: ``places/v1``.

A place phrase is read left to right from a token: optional distance ("4 كيلومترات عن"),
near/outskirts qualifiers ("قرب", "أطراف"), direction words ("شمال شرق"), frame words
("مدينة", "ريف", "حي", "طريق"), then a name found in the gazetteer by longest match
(the first word may carry clitics: "وبمدينة حماة", "بالرقة"), then an optional direction
adjective ("ريف إدلب الجنوبي"). A word after a frame such as "بلدة" that the gazetteer
does not know still becomes a mention, with no candidates.

Names that are also common words ("الخبر", "جامعة", month names) need a frame or a
qualifier; town names that are also words ("تدمر", "دوما") need at least a locative
preposition; names of small villages need a frame, a locative preposition or a
coordination with a place just found. The word lists are in
``marsad/data/gazetteer/recognition.yaml``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources as ilr
from typing import Any, ClassVar

import yaml

from marsad.doc import Doc, Span, Token
from marsad.errors import DataError
from marsad.pipeline import Resources, register
from marsad.resolve.gazetteer import Gazetteer, Place
from marsad.text.arabic import (
    CLOSING_QUOTES,
    OPENING_QUOTES,
    clitic_variants,
    name_key,
    normalize_with_map,
    strip_article,
)

#: Feature types whose names count as well known when the article's country is judged.
STRONG_TYPES = frozenset({"country", "admin1", "admin2", "city", "town"})
#: Feature types whose names are taken without further evidence.
_WELL_KNOWN = frozenset({"country", "admin1", "city"})

#: First words of compound names: an unknown name after a frame takes two words.
_COMPOUND_HEADS = frozenset(
    ["تل", "عين", "كفر", "دير", "بيت", "ابو", "ام", "خربه", "راس", "بير", "جسر", "جب", "بني"]
)

#: Frame words used alone for a place already named ("ريف المحافظة", "داخل المدينة").
_ANAPHORIC = frozenset(
    ["محافظه", "مدينه", "منطقه", "بلده", "قريه", "ناحيه", "مديريه", "عاصمه", "ولايه"]
)

#: Frames after which even a common word is taken as the name ("بلدة الشعلة").
_NAMING_FRAMES = frozenset(
    {
        "city",
        "town",
        "village",
        "province",
        "district",
        "countryside",
        "airport",
        "dam",
        "crossing",
        "camp",
    }
)

#: Shortest second word of a dual ("والمضيق"), و included.
_MIN_DUAL_SECOND = 3


#: Tanwin marks: a word written with one is an adverb or adjective, not a name.
_TANWIN = frozenset("\u064b\u064c\u064d")
#: Between two places of one list: "و", a comma, spaces ("العراق وسورية", "العراق، سوريا").
_JOINED_RE = re.compile(r"[\s،,]*و?")
#: An indefinite nisba adjective in the dual or plural ("رئيسيين", "استراتيجيتين"): after
#: a name that is also a common dual it agrees with the common word.
_DUAL_PLURAL_NISBA = re.compile(r"^(?!ال)\w{2,}(?:يين|يتين|يان|يتان)$")

_DIR_COMBINE = {
    ("north", "east"): "north-east",
    ("north", "west"): "north-west",
    ("south", "east"): "south-east",
    ("south", "west"): "south-west",
}


@dataclass(frozen=True)
class PlaceLexicon:
    """Word lists of the recogniser, as name keys (see :func:`name_key`)."""

    frames: dict[tuple[str, ...], str]
    unknown_name_frames: frozenset[str]
    plural_frames: frozenset[str]
    name_frames: frozenset[str]
    near: frozenset[tuple[str, ...]]
    outskirts: frozenset[tuple[str, ...]]
    directions: dict[str, str]
    distance_units: frozenset[str]
    distance_links: frozenset[str]
    locative: frozenset[str]
    function_words: frozenset[str]
    stop: frozenset[str]
    ambiguous: frozenset[str]
    #: Names that, written without the article, are a place only after a frame word
    #: ("بسلمية" is "peacefully"; "مدينة سلمية", "في السلمية" are the town).
    bare_frame_only: frozenset[str] = field(default_factory=frozenset)
    person_titles: frozenset[str] = field(default_factory=frozenset)
    country_adjectives: dict[str, str] = field(default_factory=dict)
    stop_phrases: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    max_phrase: int = field(default=3)
    #: Village-only name keys that are common news words (need a frame).
    common_keys: frozenset[str] = field(default_factory=frozenset)
    #: Whole words that are not clitics + a place name ("وزاره").
    common_tokens: frozenset[str] = field(default_factory=frozenset)
    #: Words joining a road to the places it links ("الواصل بين").
    road_links: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    #: Words before a phrase that says where a place lies ("التي تقع شمال القاهرة").
    lies_words: frozenset[str] = field(default_factory=frozenset)
    #: Dual frame words ("منطقتي"): an unknown name after one needs "و" + a second name.
    dual_frames: frozenset[str] = field(default_factory=frozenset)
    #: Words before a person's place of origin ("أصيل", "ينحدر من").
    origin_words: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    #: "قرب الحدود مع العراق": words before the country a place borders.
    border_words: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlaceLexicon:
        """Build from the parsed YAML lexicon; raises :class:`DataError` if malformed."""
        try:

            def keys(words: Iterable[str]) -> frozenset[str]:
                return frozenset(name_key(w) for w in words)

            def phrases(words: Iterable[str]) -> frozenset[tuple[str, ...]]:
                return frozenset(tuple(name_key(w).split(" ")) for w in words)

            frames = {
                tuple(name_key(w).split(" ")): cls_name
                for cls_name, words in d["frames"].items()
                for w in words
            }
            directions = {
                name_key(w): dname for dname, words in d["directions"].items() for w in words
            }
            lex = cls(
                frames=frames,
                unknown_name_frames=keys(d["unknown_name_frames"]),
                plural_frames=keys(d["plural_frames"]),
                name_frames=frozenset(d["name_frames"]),
                near=phrases(d["near"]),
                outskirts=phrases(d["outskirts"]),
                directions=directions,
                distance_units=keys(d["distance_units"]),
                distance_links=keys(d["distance_links"]),
                locative=keys(d["locative"]),
                function_words=keys(d["function_words"]),
                stop=keys(d["stop"]),
                ambiguous=keys(d["ambiguous"]),
                bare_frame_only=keys(d.get("bare_frame_only", [])),
                person_titles=keys(d.get("person_titles", [])),
                stop_phrases=phrases(d.get("stop_phrases", [])),
                road_links=phrases(d.get("road_links", [])),
                origin_words=phrases(d.get("origin_words", [])),
                border_words=phrases(d.get("border_words", [])),
                dual_frames=keys(d.get("dual_frames", [])),
                lies_words=keys(d.get("lies_words", [])),
                country_adjectives={
                    normalize_key(w): cc
                    for cc, words in d.get("country_adjectives", {}).items()
                    for w in words
                },
                max_phrase=max(len(p) for p in [*frames, *phrases(d["near"])]),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise DataError(f"place recognition lexicon is malformed: {exc}") from exc
        return lex

    @classmethod
    @functools.cache
    def load_default(cls) -> PlaceLexicon:
        """The packaged lexicon: ``recognition.yaml`` plus ``common_words.txt``."""
        base = ilr.files("marsad.data").joinpath("gazetteer")
        lex = cls.from_dict(yaml.safe_load(base.joinpath("recognition.yaml").read_text("utf-8")))
        keys, tokens = parse_common_words(base.joinpath("common_words.txt").read_text("utf-8"))
        return dataclasses.replace(lex, common_keys=keys, common_tokens=tokens)


def parse_common_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys, tokens) of a ``common_words.txt`` file (see scripts/build_gazetteer.py)."""
    keys: set[str] = set()
    tokens: set[str] = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, _, word = line.partition("\t")
        if kind == "key":
            keys.add(word)
        elif kind == "token":
            tokens.add(word)
        else:
            raise DataError(f"common_words.txt: bad line {line!r}")
    return frozenset(keys), frozenset(tokens)


#: Shortest definite word (letters, with ال) read as an adjective after a name.
_MIN_ADJECTIVE = 5


@dataclass(slots=True)
class _Word:
    """Pre-computed look-up keys of one word, shared by every token written so."""

    norm: str
    is_punct: bool
    variants: tuple[tuple[str, str], ...]  # (clitics as written, key) most stripped first
    inner: str  # key when the token is not the first word of a name
    lex: tuple[str, ...]  # keys for lexicon look-ups (every clitic split), for isdisjoint
    lex_order: tuple[str, ...] = ()  # the same keys, least stripped first
    #: Whether a phrase can start here: a lexicon word, a digit or a name not refused alone.
    may_start: bool = True
    #: Whether the token is a lexicon word or a number (a qualifier or frame may start).
    lexical: bool = True
    #: The variants that are a gazetteer name or start one (what :meth:`_longest` tries).
    name_variants: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class _Phrase:
    start: int  # token index where the phrase starts
    frame: str = ""
    frame_word: str = ""
    frame_tok: int = -1
    frame_has_article: bool = False
    #: "الطريق الواصل بين": the names of the places the road links follow
    road_link: bool = False
    qualifier: str = ""
    directions: list[str] = field(default_factory=list)
    distance: bool = False
    evidence: bool = False
    strong_evidence: bool = False  # a frame word or a distance, not only "قرب"/"شمال"
    tentative: bool = False


def normalize_key(word: str) -> str:
    """A word normalised but with its article kept ("السورية" → "السوريه")."""
    return normalize_with_map(word)[0].strip()


def _clitic_len(pre: str) -> int:
    """Normalised length of the clitics (not the article) in a split prefix.

    "للولايات" (ل + ال with the alef elided) keeps its ل: the name as written
    starts at the token.
    """
    if pre.endswith("لال"):
        return len(pre) - 3
    return len(pre) - 2 if pre.endswith("ال") else len(pre)


def _word_keys(
    word: str, common_tokens: frozenset[str]
) -> tuple[tuple[tuple[str, str], ...], str, tuple[str, ...], tuple[str, ...]]:
    """(variants, inner, lex, lex_order) of a normalised word (see :class:`_Word`)."""
    variants: list[tuple[str, str]] = []
    seen: set[str] = set()
    all_keys: dict[str, None] = {}
    common = word in common_tokens or (word[:1] in "وف" and word[1:] in common_tokens)
    for pre, rest in clitic_variants(word):
        k = strip_article(rest)
        all_keys[k] = None
        if pre:
            cut = _clitic_len(pre)
            if "ك" in pre[:cut] and not pre.endswith("ال"):
                continue  # "كبيرة" is not ك + "بيرة"; but "كالميادين" is ك + "الميادين"
            if cut and common:
                continue  # "وزارة", "وباراك" are words, not و + "زارة", و + ب + "اراك"
        if k not in seen:
            seen.add(k)
            variants.append((pre, k))
    order = tuple(reversed(all_keys))
    return tuple(variants), strip_article(word), order, order


#: Frames of an unknown name that make it a town for the rest of the article.
_PROPAGATED_FRAMES = frozenset({"city", "town", "village", "district"})
#: Shortest known name carried so (a short one is more often a common word).
_MIN_PROPAGATED_KNOWN_LEN = 5
#: Shortest name (normalised letters) carried from its framed mention to bare ones.
_MIN_PROPAGATED_LEN = 4


class PlaceRecognizer:
    """Finds place phrases in a tokenised document (no pipeline dependencies)."""

    def __init__(self, gazetteer: Gazetteer, lexicon: PlaceLexicon | None = None) -> None:
        self.gaz = gazetteer
        self.lex = lexicon or PlaceLexicon.load_default()
        self._doc_text = ""
        self._toks: Sequence[Token] = ()
        lx = self.lex
        self._lex_words: frozenset[str] = frozenset(
            [f[0] for f in lx.frames] + [p[0] for p in lx.near | lx.outskirts] + list(lx.directions)
        )
        # first words of each phrase table: a token with none of them starts no phrase
        self._near_first = frozenset(p[0] for p in lx.near)
        self._road_first = frozenset(p[0] for p in lx.road_links)
        self._origin_len = max((len(p) for p in lx.origin_words), default=0)
        self._border_len = max((len(p) for p in lx.border_words), default=0)
        self._outskirts_first = frozenset(p[0] for p in lx.outskirts)
        self._frame_first = frozenset(f[0] for f in lx.frames)
        #: (first, second) words of the stop phrases ("مسقط رأسه").
        self._stop_pairs = frozenset((ph[0], ph[1]) for ph in lx.stop_phrases if len(ph) >= 2)
        self._stop_or_function = lx.stop | lx.function_words
        self._word_info = functools.lru_cache(maxsize=1 << 17)(self._compute_word_info)
        self._key_cands = functools.lru_cache(maxsize=65_536)(self._compute_key_cands)

    def _compute_word_info(self, word: str, is_punct: bool) -> _Word:
        """The look-up keys of a normalised word (cached: the vocabulary repeats)."""
        variants, inner, lex, order = _word_keys(word, self.lex.common_tokens)
        lexical = word[:1].isdigit() or not self._lex_words.isdisjoint(lex)
        names = tuple(
            (pre, k)
            for pre, k in variants
            if len(k) >= 2 and (self.gaz.candidates(k) or self.gaz.is_prefix(k))
        )
        # A word whose names are all one word long and all refused without a qualifier or
        # frame before them (see _accept: a stop or function word, a key under 3 letters)
        # starts no place phrase on its own.
        refused = not any(self.gaz.is_prefix(k) for _pre, k in names) and (
            not self._stop_or_function.isdisjoint(lex)
            or all(k in self.lex.stop or len(k) < 3 for _pre, k in names)
        )
        may_start = lexical or (bool(names) and not refused)
        return _Word(word, is_punct, variants, inner, lex, order, may_start, lexical, names)

    # -- public ------------------------------------------------------------------
    def find(self, doc: Doc) -> list[Span]:
        """All place mentions of ``doc`` (tokens must be set), in text order."""
        out: list[Span] = []
        toks = doc.tokens
        # Split tokens into sentence runs; names never cross a sentence boundary.
        start = 0
        for i in range(1, len(toks) + 1):
            if i == len(toks) or toks[i].sent != toks[start].sent:
                out.extend(self._find_in(doc, toks[start:i]))
                start = i
        out = self._drop_unsupported(out)
        out = self._propagate_unknown(doc, out)
        self._mark_roles(doc, out)
        return out

    def _mark_roles(self, doc: Doc, spans: list[Span]) -> None:
        """Mark what the words right before a place phrase make of it; neither places
        an event:

        - ``origin``: where someone comes from ("شخصين أصيلي ولاية باجة");
        - ``describes``: a direction or distance phrase that only says where the place
          before it lies ("محافظة الشرقية التي تقع شمال شرقي القاهرة", "محافظة ديالى
          (60 كلم شمال شرقي بغداد)"), or the country it borders ("قرب الحدود مع
          العراق").
        """
        toks = doc.tokens
        starts = {t.start: k for k, t in enumerate(toks)}
        ends = {sp.attrs.get("phrase", (sp.start, sp.end))[1] for sp in spans}
        border_end = -1
        for sp in sorted(spans, key=lambda x: x.start):
            if 0 <= border_end <= sp.start and _JOINED_RE.fullmatch(
                doc.text[border_end : sp.start]
            ):
                sp.attrs["describes"] = True  # "الحدود مع العراق وسورية": both
                border_end = sp.end
                continue
            border_end = -1
            k = starts.get(sp.attrs.get("phrase", (sp.start,))[0])
            if not k:  # unknown start, or the first token: nothing before it
                continue
            for n in range(1, min(self._origin_len, k) + 1):
                if tuple(name_key(t.norm) for t in toks[k - n : k]) in self.lex.origin_words:
                    sp.attrs["origin"] = True
                    break
            countries = any(str(c).startswith("cc:") for c in sp.attrs.get("candidates") or [])
            for n in range(1, min(self._border_len, k) + 1 if countries else 0):
                if tuple(name_key(t.norm) for t in toks[k - n : k]) in self.lex.border_words:
                    sp.attrs["describes"] = True  # "قرب الحدود مع العراق"
                    border_end = sp.end
                    break
            if sp.attrs.get("qualifier") in ("direction", "distance"):
                prev = toks[k - 1]
                if name_key(prev.norm) in self.lex.lies_words or (
                    prev.norm == "(" and k >= 2 and toks[k - 2].end in ends
                ):
                    sp.attrs["describes"] = True

    def _propagate_unknown(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A name once framed as a town ("مدينة سوروتش", "ناحية الصقلاوية") is that town
        wherever the article writes it alone ("الهجوم في سوروتش", "وكانت الصقلاوية
        شهدت"), with its frame and candidates."""
        named: dict[str, tuple[str, list[str]]] = {}
        for s in spans:
            key, frame = str(s.attrs.get("key") or ""), str(s.attrs.get("frame") or "")
            cands = list(s.attrs.get("candidates") or [])
            if frame not in _PROPAGATED_FRAMES or " " in key:
                continue
            if cands and (
                len(key) < _MIN_PROPAGATED_KNOWN_LEN
                or any((p := self.gaz.get(c)) is not None and p.type == "country" for c in cands)
                or key in self.lex.common_keys
                or key in self.lex.ambiguous
                or key in self.lex.stop
            ):
                continue  # "حي النصر" does not make every "النصر" a place
            if len(key) >= _MIN_PROPAGATED_LEN and key not in self.lex.common_tokens:
                named.setdefault(key, (frame, cands))
        if not named:
            return spans
        taken = sorted((s.start, s.end) for s in spans)
        k = 0  # first span, by start, that does not end before the token
        added: list[Span] = []
        for t in doc.tokens:
            while k < len(taken) and taken[k][1] <= t.start:
                k += 1
            if t.is_punct or (k < len(taken) and taken[k][0] <= t.start):
                continue
            info = self._word_info(t.norm, t.is_punct)
            for pre, key in info.variants:
                if key not in named or "ك" in pre[: _clitic_len(pre)]:
                    continue
                start = t.start
                cut = _clitic_len(pre)
                if cut:
                    _norm, m = normalize_with_map(doc.text[t.start : t.end])
                    if cut < len(m):
                        start = t.start + m[cut]
                attrs: dict[str, Any] = {
                    "key": key,
                    "text": doc.text[start : t.end],
                    "candidates": named[key][1],
                    "frame": named[key][0],
                    "qualifier": "",
                    "phrase": (start, t.end),
                    "direction": "",
                    "propagated": True,
                }
                added.append(Span(start, t.end, "PLACE", attrs))
                break
        return sorted([*spans, *added], key=lambda s: s.start) if added else spans

    def _drop_unsupported(self, spans: list[Span]) -> list[Span]:
        """Keep a village name found only through a preposition or a list when it has a
        place in a country that the article's well-known places point to."""
        weight: dict[str, float] = {}
        for s in spans:
            if s.attrs.get("_tentative") or s.attrs.get("_quoted"):
                continue
            cands = [p for pid in s.attrs["candidates"] if (p := self.gaz.get(pid))]
            strong = [p for p in cands if p.type in STRONG_TYPES]
            ccs = {p.country for p in strong}
            for cc in ccs:
                weight[cc] = weight.get(cc, 0.0) + 1.0 / len(ccs)
        top = max(weight.values(), default=0.0)
        keep_cc = {cc for cc, w in weight.items() if w >= 0.5 * top and top > 0}
        out: list[Span] = []
        for s in spans:
            if s.attrs.pop("_quoted", False) and keep_cc:
                # 'جبل "ميانة"' in a Tunisian story is not Miyaneh in Iran: a quoted
                # name keeps only namesakes in the article's countries, or stays unknown
                cands = [p for pid in s.attrs["candidates"] if (p := self.gaz.get(pid))]
                s.attrs["candidates"] = [p.id for p in cands if p.country in keep_cc]
            if s.attrs.pop("_tentative", False) and keep_cc:
                # with no well-known place in the article there is nothing to check against
                cands = [p for pid in s.attrs["candidates"] if (p := self.gaz.get(pid))]
                if not any(p.country in keep_cc for p in cands):
                    continue
            out.append(s)
        return out

    # -- one sentence -------------------------------------------------------------
    def _find_in(self, doc: Doc, toks: Sequence[Token]) -> list[Span]:
        self._doc_text = doc.text
        self._toks = toks
        word_info = self._word_info
        info = [word_info(t.norm, t.is_punct) for t in toks]
        spans: list[Span] = []
        last_end = -1  # token index after the last mention
        last_frame = ""
        i = 0
        while i < len(info):
            t = info[i]
            if t.is_punct:
                i += 1
                continue
            coord = bool(spans and last_end >= 0 and self._coordinated(info, last_end, i))
            if not t.may_start and not (coord and last_frame):
                # no qualifier, frame or name starts here and no inherited frame can
                # make an unknown word a name: _phrase_at would find nothing
                i += 1
                continue
            got = self._phrase_at(doc, info, i, coord, last_frame if coord else "")
            if got is None:
                i += 1
                continue
            span, end = got
            spans.append(span)
            last_end = end
            last_frame = span.attrs.get("_plural_frame", "")
            span.attrs.pop("_plural_frame", None)
            i = end
        return spans

    def _coordinated(self, info: Sequence[_Word], last_end: int, i: int) -> bool:
        """Whether token ``i`` continues a list after the mention ending at ``last_end``."""
        j = last_end
        while j < i and info[j].is_punct and info[j].norm in (",", "-"):
            j += 1
        return j == i and info[i].norm.startswith("و")

    def _lex_phrase(
        self,
        info: Sequence[_Word],
        i: int,
        table: frozenset[tuple[str, ...]],
        firsts: frozenset[str],
    ) -> int:
        """Length of the longest lexicon phrase of ``table`` starting at token ``i``.

        ``firsts`` holds the first words of ``table``'s phrases.
        """
        if firsts.isdisjoint(info[i].lex):
            return 0
        for n in range(min(self.lex.max_phrase, len(info) - i), 0, -1):
            words = info[i : i + n]
            if any(w.is_punct for w in words):
                continue
            rest = tuple(w.inner for w in words[1:])
            for k in words[0].lex_order:
                if (k, *rest) in table:
                    return n
        return 0

    def _frame_at(self, info: Sequence[_Word], i: int) -> tuple[int, str, str]:
        """(length, class, key) of a frame word phrase at token ``i``."""
        if self._frame_first.isdisjoint(info[i].lex):
            return 0, "", ""
        for n in range(min(self.lex.max_phrase, len(info) - i), 0, -1):
            words = info[i : i + n]
            if any(w.is_punct for w in words):
                continue
            rest = tuple(w.inner for w in words[1:])
            for k in words[0].lex_order:
                cls_name = self.lex.frames.get((k, *rest))
                if cls_name:
                    return n, cls_name, " ".join((k, *rest))
        return 0, "", ""

    def _direction_at(self, t: _Word) -> str:
        for k in t.lex_order:
            d = self.lex.directions.get(k)
            if d:
                return d
        return ""

    def _phrase_at(
        self, doc: Doc, info: Sequence[_Word], i: int, coord: bool, inherited_frame: str
    ) -> tuple[Span, int] | None:
        ph = _Phrase(start=i)
        j = i
        n = len(info)
        progress = True
        while progress and j < n:
            progress = False
            t = info[j]
            if not t.lexical and not ph.distance:
                break  # no qualifier, direction or frame word starts here
            # distance: NUM unit (link)
            if (
                t.norm[:1].isdigit()
                and j + 1 < n
                and not self.lex.distance_units.isdisjoint(info[j + 1].lex)
            ):
                ph.distance = ph.evidence = ph.strong_evidence = True
                ph.qualifier = "distance"
                j += 2
                if j < n and not self.lex.distance_links.isdisjoint(info[j].lex):
                    j += 1
                progress = True
                continue
            if ph.distance and not self.lex.distance_links.isdisjoint(t.lex):
                j += 1
                progress = True
                continue
            m = self._lex_phrase(info, j, self.lex.near, self._near_first)
            if m:
                ph.qualifier = ph.qualifier or "near"
                ph.evidence = True
                j += m
                # "بالقرب من": the link word after a near phrase
                if j < n and info[j].inner in ("من",) and m == 1:
                    j += 1
                progress = True
                continue
            m = self._lex_phrase(info, j, self.lex.outskirts, self._outskirts_first)
            if m:
                ph.qualifier = ph.qualifier or "outskirts"
                ph.evidence = True
                j += m
                progress = True
                continue
            d = self._direction_at(t)
            if d and ph.frame in ("province", "region") and self._province_named(info, j):
                d = ""  # "محافظة الشرقية", "المنطقة الشرقية": a province's name
            if d and ph.frame and ph.frame_tok == j - 1 and t.norm.startswith("ال"):
                # "الريف الشمالي لحماة": the frame's adjective, the name follows with ل
                ph.directions.append(d)
                j += 1
                progress = True
                continue
            if d and not t.norm.startswith("ال"):  # "شمال", not the adjective "الشمالي"
                whole = self._longest(info, j)
                if whole is not None and whole[0] - j > 1:
                    break  # the direction word opens a name: "شمال سيناء", "جنوب السودان"
                ph.directions.append(d)
                ph.qualifier = ph.qualifier or "direction"
                ph.evidence = True
                j += 1
                if j < n and info[j].inner == "من":  # "جنوب غرب من"
                    j += 1
                progress = True
                continue
            fl, fcls, fkey = self._frame_at(info, j)
            if fl and not ph.frame:
                ph.frame, ph.frame_word, ph.frame_tok = fcls, fkey, j
                ph.frame_has_article = any(
                    pre.endswith("ال") and k == fkey.split(" ")[0] for pre, k in t.variants
                ) or t.norm.startswith("ال")
                ph.evidence = ph.strong_evidence = True
                j += fl
                if fcls == "road" and j < n:
                    j = self._skip_road_link(info, j, ph)
                progress = True
                continue
        quoted = self._quoted_name(info, j, ph)
        if quoted:
            j += 1  # "قرى "بيت فارس"": the name inside the quotation marks
        elif j >= n or info[j].is_punct:
            return self._lone_capital(doc, info, i, ph)
        if ph.frame_word == "عاصمه" and info[j].norm in self.lex.country_adjectives:
            return self._capital_phrase(doc, info, i, j, ph)
        # the name: a frame word that is part of the name first ("مطار القامشلي")
        match: tuple[int, str, str, list[Place]] | None = None
        at_j = self._longest(info, j)
        if ph.frame_tok >= 0:
            # the frame word may be part of the name ("مطار القامشلي", "المدينة المنورة")
            match = self._longest(info, ph.frame_tok)
            limit = at_j[0] if at_j else j
            if match and (
                match[0] - ph.frame_tok < 2  # the frame word alone ("الريف") is no name
                or match[0] < limit
                or (
                    # on a tie the whole name wins when it names another well-known place
                    # or a landmark ("ريف دمشق", "مطار القامشلي"); not the same place
                    # with its frame ("محافظة حماة") nor a village list entry ("مدينة تعز")
                    match[0] == limit
                    and not any(
                        (p.type in _WELL_KNOWN or p.type == "landmark")
                        and (at_j is None or p not in at_j[3])
                        for p in match[3]
                    )
                )
            ):
                match = None
        if match is None:
            match = at_j
        if match is not None and ph.frame_tok >= 0 and self._compound_head_alone(info, j, match):
            match = None  # "قرية بيت فارس": the compound name, not the village "بيت"
        if quoted and (match is None or match[0] != quoted):
            # the quotation marks bound the name: all of it, known or not
            key = " ".join(info[k].inner for k in range(j, quoted))
            match = (quoted, "", key, list(self.gaz.candidates(key)))
        if match is None and ph.frame_tok >= 0 and not ph.directions and not ph.qualifier:
            # A frame word that is itself a name ("طريق" alone) is not a place.
            pass
        if (
            match is not None
            and ph.frame_tok >= 0
            and match[0] > j
            and self._name_start(info, ph, j, match) == j  # not "الولايات المتحدة"
        ):
            first_pre = match[1][: _clitic_len(match[1])]
            if first_pre[:1] in ("و", "ف"):
                return None  # "المدينة وعمر": a new clause, not a name after the frame
            if (
                ph.frame_has_article
                and ph.frame_word != "عاصمه"
                and first_pre != "ل"
                and not ph.road_link
            ):
                # "مدير الساحة نايف" (apposition), "المناطق الريفية" (adjective);
                # but "الريف الشمالي لحماة" (of Hama)
                return None
        if match is not None and not ph.frame and inherited_frame:
            ph.frame = self.lex.frames.get((inherited_frame,), "")
        if match is not None:
            end, pre, key, cands = match
            if not self._accept(info, j, end, pre, key, cands, ph, coord):
                return None
        else:
            unk = self._unknown_name(info, j, ph, inherited_frame)
            if unk is None:
                return self._lone_capital(doc, info, i, ph)
            end, pre, key, cands = unk
            if not ph.frame and inherited_frame:
                ph.frame = self.lex.frames.get((inherited_frame,), "")
        name_first = min(j, end - 1) if match is None else self._name_start(info, ph, j, match)
        # direction adjective after the name ("ريف إدلب الجنوبي"), or a nationality
        # adjective that names the country ("سروج التركية")
        stop = end
        country_hint = ""
        if end < n and not info[end].is_punct:
            d = self._direction_at(info[end])
            nxt = info[end].norm
            if d and nxt.startswith("ال"):
                ph.directions.append(d)
                stop = end + 1
            elif nxt in self.lex.country_adjectives:
                country_hint = self.lex.country_adjectives[nxt]
            elif (
                match is not None
                and any(p.type == "country" for p in self.gaz.candidates(info[end].inner))
                and not any(p.type == "country" for p in match[3])
            ):
                # "كردستان العراق": a region named with its country
                country_hint = next(
                    p.country for p in self.gaz.candidates(info[end].inner) if p.type == "country"
                )
            elif (
                end + 1 < n
                and nxt.startswith("ال")
                and info[end + 1].norm in self.lex.country_adjectives
            ):
                # "تل أبيض الحدودية السورية": one adjective between
                country_hint = self.lex.country_adjectives[info[end + 1].norm]
            elif (
                match is not None
                and not ph.strong_evidence
                and end - j == 1
                and nxt.startswith("ال")
                and nxt.endswith("ي")
                and not self.gaz.candidates(strip_article(nxt))
            ):
                return None  # "نايف البكري": a person's first and family name
        # a road runs between two places: "طريق حمص–السلمية", "طريق دمشق حلب"
        via: dict[str, Any] | None = None
        if ph.frame == "road":
            k = stop
            if k < n and info[k].is_punct and info[k].norm == "-":
                k += 1
            if k < n and not info[k].is_punct:
                m2 = self._longest(info, k)
                if m2 is not None and any(p.type in STRONG_TYPES for p in m2[3]):
                    s2, _e2 = self._name_offsets(doc, info, k, m2[0], m2[1])
                    via = {
                        "key": m2[2],
                        "text": doc.text[s2 : self._toks[m2[0] - 1].end],
                        "candidates": [p.id for p in m2[3]],
                    }
                    stop = m2[0]
        if ph.road_link and via is None:
            return None  # "الطريق الرابطة بين شط ...": no second place, no road phrase
        name_start, name_end = self._name_offsets(doc, info, name_first, end, pre)
        phrase_start = self._strip_leading_clitics(doc, info, i)
        if name_start < phrase_start or name_first == i:
            phrase_start = name_start
        attrs: dict[str, Any] = {
            "key": key,
            "text": doc.text[name_start:name_end],
            "candidates": [p.id for p in cands],
            "frame": ph.frame,
            "qualifier": ph.qualifier,
            "phrase": (phrase_start, self._toks[stop - 1].end),
            "direction": self._direction(ph.directions),
        }
        if via:
            attrs["via"] = via
        if country_hint:
            attrs["country_hint"] = country_hint
        if ph.tentative:
            attrs["_tentative"] = True
        if quoted:
            attrs["_quoted"] = True
        if ph.frame_word in self.lex.plural_frames:
            attrs["_plural_frame"] = ph.frame_word
        elif inherited_frame and coord:
            attrs["_plural_frame"] = inherited_frame
        return Span(name_start, name_end, "PLACE", attrs), stop

    def _lone_capital(
        self, doc: Doc, info: Sequence[_Word], i: int, ph: _Phrase
    ) -> tuple[Span, int] | None:
        """ "في العاصمة", "شمال العاصمة": the capital of the country the article is about
        (decided by the resolver, which knows the article's country)."""
        if ph.frame_word != "عاصمه" or not ph.frame_has_article or ph.frame_tok < 0:
            return None
        k = ph.frame_tok
        t = self._toks[k]
        start = self._strip_leading_clitics(doc, info, k)
        attrs: dict[str, Any] = {
            "key": "عاصمه",
            "text": doc.text[start : t.end],
            "candidates": [],
            "frame": ph.frame,
            "qualifier": ph.qualifier,
            "phrase": (self._strip_leading_clitics(doc, info, i), t.end),
            "direction": self._direction(ph.directions),
            "capital": True,
        }
        return Span(start, t.end, "PLACE", attrs), k + 1

    def _capital_phrase(
        self, doc: Doc, info: Sequence[_Word], i: int, j: int, ph: _Phrase
    ) -> tuple[Span, int] | None:
        """ "العاصمة التونسية": the capital of the country the adjective names."""
        cc = self.lex.country_adjectives[info[j].norm]
        cap = self.gaz.capital_of(f"cc:{cc}")
        if cap is None:
            return None
        t = self._toks[j]
        after = self._longest(info, j + 1) if j + 1 < len(info) else None
        if after is not None and cap in after[3]:
            # "العاصمة اليمنية صنعاء": the name follows; the phrase takes it in
            s2, e2 = self._name_offsets(doc, info, j + 1, after[0], after[1])
            attrs2: dict[str, Any] = {
                "key": after[2],
                "text": doc.text[s2:e2],
                "candidates": [p.id for p in after[3]],
                "frame": ph.frame,
                "qualifier": ph.qualifier,
                "phrase": (self._strip_leading_clitics(doc, info, i), e2),
                "direction": self._direction(ph.directions),
                "country_hint": cc,
            }
            return Span(s2, e2, "PLACE", attrs2), after[0]
        attrs: dict[str, Any] = {
            "key": self.gaz.keys_of(cap.id)[0] if self.gaz.keys_of(cap.id) else "",
            "text": doc.text[t.start : t.end],
            "candidates": [cap.id],
            "frame": ph.frame,
            "qualifier": ph.qualifier,
            "phrase": (self._strip_leading_clitics(doc, info, i), t.end),
            "direction": self._direction(ph.directions),
            "country_hint": cc,
        }
        return Span(t.start, t.end, "PLACE", attrs), j + 1

    def _name_start(
        self, info: Sequence[_Word], ph: _Phrase, j: int, match: tuple[int, str, str, list[Place]]
    ) -> int:
        if 0 <= ph.frame_tok < j:
            # the frame word was matched as part of the name
            got = self._longest(info, ph.frame_tok)
            if got is not None and got[0] == match[0] and got[2] == match[2]:
                return ph.frame_tok
        return j

    @staticmethod
    def _direction(dirs: list[str]) -> str:
        if not dirs:
            return ""
        if len(dirs) >= 2:
            return _DIR_COMBINE.get((dirs[0], dirs[1]), dirs[0])
        return dirs[0]

    def _compute_key_cands(self, key: str, one_word_article: bool) -> tuple[list[Place], bool]:
        """(candidates, whether one is well known) of a gazetteer key found in the text.

        A one-word name written with the article is not a country named without it:
        "السورية" is the adjective, not the country "سورية".
        """
        cands = self.gaz.candidates(key)
        if one_word_article:
            cands = [p for p in cands if p.type != "country" or p.name_ar.startswith("ال")]
        return cands, any(p.type in STRONG_TYPES for p in cands)

    def _longest(self, info: Sequence[_Word], j: int) -> tuple[int, str, str, list[Place]] | None:
        """Longest gazetteer name at token ``j``: (end index, clitics, key, candidates)."""
        best: tuple[int, str, str, list[Place]] | None = None
        best_rank: tuple[int, int, int] | None = None
        n = len(info)
        for pre, k0 in info[j].name_variants:
            key = k0
            end = j + 1
            found: list[tuple[int, str]] = []
            if self.gaz.candidates(key):
                found.append((end, key))
            while (
                end < n
                and end - j < self.gaz.max_words
                and self.gaz.is_prefix(key)
                and not info[end].is_punct
            ):
                key = key + " " + info[end].inner
                end += 1
                if self.gaz.candidates(key):
                    found.append((end, key))
            article = pre.endswith("ال") or (not pre and info[j].norm.startswith("ال"))
            for e, k in found:
                cands, strong = self._key_cands(k, article and e == j + 1)
                if not cands:
                    continue
                # longer names first, then strong names, then the less stripped word
                rank = (e - j, 1 if strong else 0, len(k0))
                if best_rank is None or rank > best_rank:
                    best_rank = rank
                    best = (e, pre, k, cands)
        return best

    def _accept(
        self,
        info: Sequence[_Word],
        j: int,
        end: int,
        pre: str,
        key: str,
        cands: list[Place],
        ph: _Phrase,
        coord: bool,
    ) -> bool:
        common = key in self.lex.common_keys or key in self.lex.stop
        if ph.strong_evidence:
            if key in self.lex.function_words or (end - j == 1 and key in _ANAPHORIC):
                return False  # "ريف المحافظة": "the province" already named
            if end - j == 1 and self._country_nisba(key):
                return False  # "لأكبر مدينة تركية": a Turkish city, not a place named so
            # a common word after "ساحة"/"منطقة"/"ميناء" is not a name; after "بلدة" it may be
            return not (common and ph.frame not in _NAMING_FRAMES)
        if ph.evidence:  # only "قرب", "شمال", "أطراف": the name must look like one
            if common or key in self.lex.function_words:
                return False
            return any(p.type in STRONG_TYPES for p in cands) or len(key) >= 4
        if key in self.lex.stop or len(key.replace(" ", "")) < 3:
            return False
        if end - j == 1 and not self._stop_or_function.isdisjoint(info[j].lex):
            return False  # "وأن", "وإلى": a conjunction + a function word
        if j > 0 and not self.lex.person_titles.isdisjoint(info[j - 1].lex):
            return False  # "بن نايف", "الأمير عبد العزيز"
        if end - j == 1 and not self._name_like(info, j, key, cands):
            return False
        if end - j == 1 and j > 0 and self._frame_at(info, j - 1)[0] and self._country_nisba(key):
            return False  # "مدينة سورية": a Syrian city, not the country
        written_article = pre.endswith("ال") or (not pre and info[j].norm.startswith("ال"))
        # only places written as the gazetteer writes them (with or without ال)
        cands = [
            p
            for p in cands
            if p.type == "country"
            or (p.type == "admin1" and written_article)  # "الأحواز" for Khuzestan
            or p.name_ar.startswith("ال") == written_article
            or end - j > 1
        ]
        if not cands:
            return False
        locative = self._locative_before(info, j, pre)
        if key in self.lex.bare_frame_only and not written_article:
            return False
        if key in self.lex.ambiguous:
            # "في الميادين المختلفة": a common plural with its adjective, not the town
            return (locative or coord) and not self._adjective_after(info, end)
        if any(p.type in _WELL_KNOWN for p in cands):
            return True
        if any(p.type == "town" and p.has_point for p in cands):
            # a town is kept if the article is about its country (checked per document)
            ph.tentative = True
            return True
        if len(key) < 4 or key in self.lex.common_keys:
            return False
        if not any(p.has_point for p in cands):
            return False  # names known only from the Yemen village list need a frame word
        if locative or coord:
            ph.tentative = True
            return True
        return False

    def _adjective_after(self, info: Sequence[_Word], end: int) -> bool:
        """Whether the word after a name is a definite adjective-like word.

        Time words, directions, frames and place names do not count ("في تدمر اليوم",
        "في الباب الشرقي" is still read by the direction rules).
        """
        if end >= len(info) or info[end].is_punct:
            return False
        nxt = info[end]
        if _DUAL_PLURAL_NISBA.search(nxt.norm) and not nxt.name_variants:
            return True  # "من جسرين رئيسيين": two main bridges, an agreeing dual
        if not nxt.norm.startswith("ال") or len(nxt.norm) <= _MIN_ADJECTIVE:
            return False
        if not self._stop_or_function.isdisjoint(nxt.lex) or nxt.name_variants:
            return False
        return all(k not in self.lex.directions for k in nxt.lex)

    def _name_like(self, info: Sequence[_Word], j: int, key: str, cands: list[Place]) -> bool:
        """Whether a one-word name without a frame is written like a name."""
        if key in self._lex_words:
            return False  # a frame word alone ("المحافظة") is not a name
        if j + 1 < len(info) and (key, info[j + 1].inner) in self._stop_pairs:
            return False  # "مسقط رأسه"
        orig = self._orig(j)
        if not _TANWIN.isdisjoint(orig):
            return False  # "سوريًا": an adverb or adjective with tanwin, not a name
        # "عراقية": a nationality adjective, not a place (but "سورية" is also the country,
        # so only adjectives whose stem is itself the country's name)
        if self._country_nisba(key, stem_plus_ya=False):
            return False
        # "حديثه" (his talk) is not "حديثة" (Haditha); "حماه" is still Hama (a city)
        return not orig.endswith("ه") or any(
            p.type in ("city", "admin1", "country") or not p.name_ar.endswith("ة") for p in cands
        )

    def _skip_road_link(self, info: Sequence[_Word], j: int, ph: _Phrase) -> int:
        """Token after "الواصل بين (مدينتي)" following a road frame word, else ``j``."""
        k = j
        if (
            not info[k].is_punct
            and info[k].norm.startswith("ال")
            and k + 1 < len(info)
            and not self._road_first.isdisjoint(info[k + 1].lex)
        ):
            k += 1  # "الطريق الدولي الرابط بين"
        m = self._lex_phrase(info, k, self.lex.road_links, self._road_first)
        if not m:
            return j
        k += m
        if k < len(info):
            fl, fcls, _key = self._frame_at(info, k)
            if fcls in ("city", "town", "village"):
                k += fl  # "بين مدينتي حمص والسلمية"
        ph.road_link = True
        return k

    def _quoted_name(self, info: Sequence[_Word], j: int, ph: _Phrase) -> int:
        """End (token index) of a name of one to three words in quotation marks right
        after a locality frame ("بلدة "كفرنبودة"", "قرى «بيت فارس»"), else 0."""
        if (
            ph.frame_tok < 0
            or ph.frame_tok + 1 != j
            or ph.frame_has_article
            or ph.frame_word not in self.lex.unknown_name_frames
            or j >= len(info)
            or info[j].norm not in OPENING_QUOTES
        ):
            return 0
        for k in range(j + 1, min(j + 5, len(info))):
            if info[k].is_punct:
                if k == j + 1 or info[k].norm not in CLOSING_QUOTES:
                    return 0
                words = [info[x] for x in range(j + 1, k)]
                if any(
                    w.inner in self.lex.function_words
                    or w.inner in self.lex.stop
                    or self._country_nisba(w.inner)
                    for w in words
                ):
                    return 0
                return k
        return 0

    def _province_named(self, info: Sequence[_Word], j: int) -> bool:
        """Whether the word at ``j`` alone names a province ("الشرقية": Sharqia, the
        Eastern Province), though it is also a direction adjective."""
        match = self._longest(info, j)
        return bool(
            match is not None and match[0] == j + 1 and any(p.type == "admin1" for p in match[3])
        )

    def _compound_head_alone(
        self, info: Sequence[_Word], j: int, match: tuple[int, str, str, list[Place]]
    ) -> bool:
        """Whether a frame's name matched only the head of a compound ("بيت", "تل")
        while a name word follows it."""
        end, _pre, key, _cands = match
        if end != j + 1 or key not in _COMPOUND_HEADS or end >= len(info):
            return False
        nxt = info[end]
        return not (
            nxt.is_punct
            or nxt.inner in self.lex.function_words
            or self._direction_at(nxt)
            or self._frame_at(info, end)[0]
        )

    def _country_nisba(self, key: str, stem_plus_ya: bool = True) -> bool:
        """Whether ``key`` is the nationality adjective of a country ("عراقيه" of العراق,
        and with ``stem_plus_ya`` "تركيه" of تركيا, "سوريه" of سوريا)."""
        for suffix in ("يه", "ي"):
            if not key.endswith(suffix) or len(key) <= len(suffix) + 1:
                continue
            stem = key[: -len(suffix)]
            for name in (stem, stem + "يا") if stem_plus_ya else (stem,):
                if any(p.type == "country" for p in self.gaz.candidates(name)):
                    return True
        return False

    def _orig(self, j: int) -> str:
        t = self._toks[j]
        return self._doc_text[t.start : t.end]

    def _locative_before(self, info: Sequence[_Word], j: int, pre: str) -> bool:
        """A locative preposition before token ``j`` or as its clitic (بالرقة)."""
        if pre[: _clitic_len(pre)].lstrip("وف")[:1] in ("ب", "ك"):
            return True  # "بالرقة"; "كالميادين" (such as ...) introduces a list of places
        if j > 0 and not info[j - 1].is_punct:
            return not self.lex.locative.isdisjoint(info[j - 1].lex)
        return False

    def _unknown_name(
        self, info: Sequence[_Word], j: int, ph: _Phrase, inherited_frame: str
    ) -> tuple[int, str, str, list[Place]] | None:
        frame_word = ph.frame_word or inherited_frame
        if not frame_word or frame_word not in self.lex.unknown_name_frames:
            return None
        if ph.frame_has_article or (ph.frame_tok < 0 and not inherited_frame):
            return None
        if ph.frame_tok >= 0 and ph.frame_tok + 1 != j:
            return None  # only right after the frame word ("بلدة موجرين")
        t = info[j]
        word = t.norm
        if not word[:1].isalpha() or len(strip_article(word)) < 2:
            return None
        # no clitics on a name right after a frame, except the article
        pre = "ال" if word.startswith("ال") and len(word) > 3 else ""
        key = strip_article(word)
        if (
            key in self.lex.function_words
            or key in self.lex.stop
            or not self.lex.function_words.isdisjoint(t.lex)
            or self._direction_at(t)
            or self._frame_at(info, j)[0]
            or key in self.lex.distance_units
            or self._country_nisba(key)  # "مدينة مصرية": an Egyptian city
        ):
            return None
        end = j + 1
        if key in _COMPOUND_HEADS and end < len(info) and not info[end].is_punct:
            nxt = info[end]
            if nxt.inner not in self.lex.function_words and not self._direction_at(nxt):
                key = key + " " + nxt.inner
                end += 1
        if frame_word in self.lex.dual_frames and not (
            end < len(info)
            and info[end].norm.startswith("و")
            and len(info[end].norm) > _MIN_DUAL_SECOND
            and info[end].norm[1:] not in self.lex.function_words
        ):
            return None  # "في بلدتي الصغيرة" (my town), not "بلدتي X وY"
        return end, pre, key, []

    # -- offsets -----------------------------------------------------------------
    def _name_offsets(
        self, doc: Doc, info: Sequence[_Word], first: int, end: int, pre: str
    ) -> tuple[int, int]:
        """Original offsets of a name: first token without its clitics, to the last token."""
        t = self._toks[first]
        cut = _clitic_len(pre)
        start = t.start
        if cut:
            _norm, m = normalize_with_map(doc.text[t.start : t.end])
            if cut < len(m):
                start = t.start + m[cut]
        return start, self._toks[end - 1].end

    def _strip_leading_clitics(self, doc: Doc, info: Sequence[_Word], i: int) -> int:
        """Start of a phrase's first word without conjunction/preposition clitics.

        The split kept is the least-stripped one whose rest is a lexicon word
        ("بلدة" stays whole; "وبمدينة" loses "وب").
        """
        tok = self._toks[i]
        pre = ""
        for p, k in info[i].variants:
            if k in self._lex_words:
                pre = p  # variants run from most to least stripped: keep the last hit
        cut = _clitic_len(pre)
        if cut:
            _norm, m = normalize_with_map(doc.text[tok.start : tok.end])
            if cut < len(m):
                return tok.start + m[cut]
        return tok.start


@register("places/v1")
class PlaceMentions:
    """Adds ``PLACE`` spans (see :class:`PlaceRecognizer`) to ``doc.mentions``."""

    reads: ClassVar[tuple[str, ...]] = ("tokens",)
    writes: ClassVar[tuple[str, ...]] = ("places",)

    def __init__(self, resources: Resources) -> None:
        self.recognizer = PlaceRecognizer(resources.get("gazetteer"))

    def __call__(self, doc: Doc) -> Doc:
        for span in self.recognizer.find(doc):
            doc.add(span)
        return doc
