"""Event triggers, casualty words, person nouns and modality cues.

``triggers/v1`` finds, in ``doc.tokens``, the phrases of three packaged lexicons
(``data/triggers.yaml``, ``data/casualties.yaml``, ``data/cues.yaml``) and adds them as
``TRIGGER``, ``CASUALTY``, ``PERSON_NOUN`` and ``CUE`` spans (original-text offsets).

Matching is word by word on normalised tokens. Every lexicon word is indexed under
:func:`~marsad.text.arabic.name_key` (normalised, article removed); a token is looked up
under each of :func:`~marsad.text.arabic.match_keys` of its normalised form (proclitics
و ف ب ل ك and the article stripped), plus, for content words only, two conservative
fallbacks: a tanwin alef ("جنديا" → "جندي") and a pronoun suffix ("مقتلهم" → "مقتل",
"سيطرتها" → "سيطره"). At each token the longest phrase of each lexicon wins ("قصف جوي"
over "قصف"); entries are found through a dict keyed by their first word, never by
scanning the lexicon.

Span attributes:

- ``TRIGGER``: event_type, sub_event_type, strength (strong|weak), verb, generic,
  phrase (the entry's canonical phrase), cues, and when they apply ``refined_from`` (a
  generic trigger retyped by the one specific weapon/protest trigger of its clause),
  ``future`` (س + imperfect: "سيقصف") and ``promoted`` (a weak "إحباط" whose clause
  holds the weapon use it foiled).
- ``CASUALTY``: role (killed|injured|killed_injured|displaced|arrested|abducted|
  missing), vague, phrase, cues.
- ``PERSON_NOUN``: hint (civilian|military|police|armed|protester|neutral), phrase.
- ``CUE``: kind, effect (drop|history|weak), phrase, scope (clause|sentence),
  direction (before|after|any|over), window (tokens).

``cues`` on a trigger or casualty lists, as ``{"kind", "effect", "phrase"}``, every cue
whose scope rule governs it, so the event builder can drop denied, planned,
hypothetical, foiled or historical events without re-deriving scope.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar, NamedTuple

import yaml

from marsad.doc import Doc, Span, Token
from marsad.errors import DataError
from marsad.events.assemble import ARMED_KINDS, LAUNCH_VERBS, clauses_of
from marsad.pipeline import Resources, register
from marsad.text.arabic import clitic_variants, match_keys, name_key, normalize

#: Pronoun suffixes tried (longest first) when a token is not found as it is. A bare ه
#: is left out: after normalisation it is also ة ("مجموعه" is not مجموع + ه), so forms
#: such as "مقتله" are listed in the lexicons.
_ENCLITICS = ("هما", "هم", "هن", "ها")
#: A fallback never leaves fewer letters than this.
_MIN_BASE = 3
#: Lexicon words this short match only the token itself or the token after a leading
#: و/ف ("لم" matches "ولم"), never a stem left by stripping ب/ل/ك or the article.
_SHORT = 2
#: The future prefix: (و|ف)? س + imperfect prefix ي/ت/ن + a stem of 3+ letters.
_FUTURE_RE = re.compile(r"^[وف]?س([يتن][^\W\d_]{3,})$")
#: The labels the stage writes, by lexicon.
TRIGGER, CASUALTY, PERSON_NOUN, CUE = "TRIGGER", "CASUALTY", "PERSON_NOUN", "CUE"

_DIRECTIONS = frozenset({"before", "after", "any", "over"})
_UNITS = frozenset({"clause", "sentence"})
_EFFECTS = frozenset({"drop", "history", "weak"})


@dataclass(frozen=True, slots=True)
class CueScope:
    """Where a cue governs a trigger: its unit, direction and distance in tokens."""

    unit: str = "clause"
    direction: str = "before"
    window: int = 6

    def governs(
        self,
        cue: tuple[int, int],
        target: tuple[int, int],
        same_unit: bool,
    ) -> bool:
        """True when a cue over tokens ``cue`` governs a target over tokens ``target``.

        Both are [first, last) token ranges; ``same_unit`` says whether they lie in the
        same clause (or sentence, per ``unit``). Overlapping ranges govern only under
        direction ``over`` (idioms such as "السيطرة على الحريق", which contain a trigger).
        """
        overlap = cue[0] < target[1] and target[0] < cue[1]
        if self.direction == "over":
            return same_unit and overlap
        if not same_unit or overlap:
            return False
        if cue[1] <= target[0]:
            return self.direction in ("before", "any") and target[0] - cue[1] <= self.window
        return self.direction in ("after", "any") and cue[0] - target[1] <= self.window


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One phrase (a canonical phrase or one of its forms) of a lexicon."""

    words: tuple[str, ...]
    label: str
    attrs: Mapping[str, Any]
    exact: bool = False
    scope: CueScope | None = None
    #: The words never carry the article (verbs: "حشد" the verb, not "الحشد" the noun).
    no_article: bool = False
    #: Tanwin-alef and pronoun-suffix fallbacks may match (content words, not cues).
    fallback: bool = True


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon phrase found over tokens [first, last)."""

    first: int
    last: int
    entry: LexEntry
    future: bool = False


class _TokKeys(NamedTuple):
    """The keys under which one token may match a lexicon word.

    Tuples, not sets: a cached entry per word then adds one object for the garbage
    collector to track, not eight (the sets are tiny; membership costs the same).
    """

    loose: tuple[str, ...]
    extra: tuple[str, ...]
    short: tuple[str, ...]
    exact: str
    bare: tuple[str, ...] = ()
    future: tuple[str, ...] = ()
    #: Every key above, to skip a token at C speed when no phrase starts with it.
    every: tuple[str, ...] = ()
    #: Every word :func:`_word_ok` may accept for this token (loose, extra, short,
    #: exact, bare), to reject a phrase whose second word cannot match at C speed.
    accepts: tuple[str, ...] = ()


class PhraseIndex:
    """Phrases of one lexicon keyed by their first word, longest first."""

    def __init__(self, entries: Iterable[LexEntry]) -> None:
        """Index ``entries``; the same words listed under two entries is a DataError."""
        self._by_first: dict[str, list[LexEntry]] = {}
        seen: dict[tuple[str, ...], str] = {}
        for e in entries:
            if not e.words:
                continue
            owner = seen.setdefault(e.words, str(e.attrs.get("phrase")))
            if owner != e.attrs.get("phrase"):
                raise DataError(
                    f"{e.label} lexicon: {' '.join(e.words)!r} is listed under both "
                    f"{owner!r} and {e.attrs.get('phrase')!r}"
                )
            if any(x.words == e.words for x in self._by_first.get(e.words[0], ())):
                continue  # a form repeating its own phrase
            self._by_first.setdefault(e.words[0], []).append(e)
        for lst in self._by_first.values():
            lst.sort(key=lambda e: -len(e.words))
        #: The words that start a phrase (a token with none of them is skipped).
        self.first_words = frozenset(self._by_first)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_first.values())

    def __contains__(self, word: str) -> bool:
        return word in self._by_first

    def candidates(self, key: str) -> list[LexEntry]:
        """Entries whose first word is ``key`` (longest first)."""
        return self._by_first.get(key, [])

    def entries(self) -> Iterator[LexEntry]:
        for lst in self._by_first.values():
            yield from lst

    def longest_at(self, keys: Sequence[_TokKeys | None], i: int) -> Match | None:
        """The longest phrase that starts at token ``i`` (None when there is none)."""
        tk = keys[i]
        if tk is None:
            return None
        nxt = keys[i + 1] if i + 1 < len(keys) else None
        second = nxt.accepts if nxt is not None else ()
        best: Match | None = None
        for future, pool in ((False, tk.loose), (False, tk.extra), (True, tk.future)):
            for key in pool:
                for e in self._by_first.get(key, ()):
                    if best is not None and len(e.words) <= best.last - best.first:
                        break
                    if len(e.words) > 1 and e.words[1] not in second:
                        continue  # _rest_ok would fail on the second word
                    if future and e.words[0][:1] not in ("ي", "ت", "ن"):
                        continue
                    if not future and not _word_ok(e, e.words[0], tk):
                        continue
                    if _rest_ok(e, keys, i):
                        best = Match(i, i + len(e.words), e, future)
                        break
        return best


def _word_ok(e: LexEntry, word: str, tk: _TokKeys) -> bool:
    if e.exact:
        return tk.exact == word
    if len(word) <= _SHORT:
        return word in tk.short
    if e.no_article:
        return word in tk.bare
    return word in tk.loose or (e.fallback and word in tk.extra)


def _rest_ok(e: LexEntry, keys: Sequence[_TokKeys | None], i: int) -> bool:
    if i + len(e.words) > len(keys):
        return False
    for j, w in enumerate(e.words[1:], start=1):
        tk = keys[i + j]
        if tk is None or not _word_ok(e, w, tk):
            return False
    return True


def _fallbacks(key: str) -> list[str]:
    """Tanwin-alef and pronoun-suffix variants of an index key."""
    out: list[str] = []
    # the base must keep 4 letters: "بعدما" → ب + "عدما" is not عدم + tanwin
    if key.endswith("ا") and len(key) - 1 > _MIN_BASE:
        out.append(key[:-1])
    if not key.endswith(_ENCLITICS):
        return out  # most words: one C call instead of one per suffix
    for suf in _ENCLITICS:
        if key.endswith(suf) and len(key) - len(suf) >= _MIN_BASE:
            base = key[: -len(suf)]
            out.append(base)
            if base.endswith("ت"):  # ة before a suffix is written ت: سيطرتها → سيطره
                out.append(base[:-1] + "ه")
            break
    return out


def token_keys(tok: Token) -> _TokKeys | None:
    """Lookup keys of one token (None for punctuation)."""
    if tok.is_punct:
        return _PUNCT_KEYS if tok.norm == "?" else None
    return _word_keys(tok.norm)


_PUNCT_KEYS = _TokKeys(("?",), (), ("?",), "?", every=("?",), accepts=("?",))


@lru_cache(maxsize=1 << 17)
def _word_keys(norm: str) -> _TokKeys:
    """Lookup keys of one normalised word (cached: news vocabulary repeats a lot)."""
    loose = match_keys(norm)
    bare: set[str] = set()
    for pre, rest in clitic_variants(norm):
        if not pre.endswith("ال") and not rest.startswith("ال"):
            bare.add(rest)
            bare.update(_fallbacks(rest))
    extra: list[str] = []
    for k in loose:
        for f in _fallbacks(k):
            if f not in loose and f not in extra:
                extra.append(f)
    short = {norm}
    if len(norm) > 1 and norm[0] in ("و", "ف"):
        short.add(norm[1:])
    fut: list[str] = []
    m = _FUTURE_RE.match(norm)
    if m:
        stem = m.group(1)
        fut = [stem, *_fallbacks(stem)]
    every = tuple(dict.fromkeys([*loose, *extra, *fut]))
    accepts = tuple(dict.fromkeys([*loose, *extra, *short, norm, *bare]))
    return _TokKeys(
        tuple(loose), tuple(extra), tuple(short), norm, tuple(bare), tuple(fut), every, accepts
    )


def _phrase_words(phrase: str) -> tuple[str, ...]:
    key = name_key(phrase)
    return tuple(w for w in key.split(" ") if w)


@dataclass(frozen=True)
class RoadCutWords:
    """The words of ``road_cuts`` in ``triggers.yaml``, normalised as tokens are."""

    verbs: frozenset[str] = frozenset()
    roads: frozenset[str] = frozenset()
    namers: frozenset[str] = frozenset()
    #: How many tokens may stand between the verb and the road.
    reach: int = 0


def _road_cut_words(data: Mapping[str, Any]) -> RoadCutWords:
    section = data.get("road_cuts")
    if section is None:
        return RoadCutWords()
    if not isinstance(section, Mapping):
        raise DataError("triggers.yaml: road_cuts must be a mapping")
    lists: dict[str, frozenset[str]] = {}
    for key in ("verbs", "roads", "namers"):
        words = section.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataError(f"triggers.yaml: road_cuts.{key} must be a list of words")
        lists[key] = frozenset(normalize(w) for w in words)
    reach = section.get("reach")
    if not isinstance(reach, int) or reach < 2:
        raise DataError("triggers.yaml: road_cuts.reach must be a whole number of at least 2")
    return RoadCutWords(lists["verbs"], lists["roads"], lists["namers"], reach)


class TriggerLexicon:
    """The trigger, casualty, person-noun and cue lexicons, indexed for matching."""

    def __init__(
        self,
        triggers: PhraseIndex,
        casualties: PhraseIndex,
        persons: PhraseIndex,
        cues: PhraseIndex,
        year_words: Iterable[str] = (),
        road_cuts: RoadCutWords | None = None,
    ) -> None:
        self.triggers = triggers
        #: "قطعت الفصائل الطريق الواصل بين ...": the words of a road cut (see _road_cuts).
        self.road_cuts = road_cuts or RoadCutWords()
        self.casualties = casualties
        self.persons = persons
        self.cues = cues
        #: Index keys of the words that make a following 4-digit number a year (month
        #: names, عام, منذ ...), for the past-year history cue.
        self.year_words = frozenset(year_words)
        self._first_words = (
            triggers.first_words | casualties.first_words | persons.first_words | cues.first_words
        )

    # -- loading ---------------------------------------------------------------
    @classmethod
    def from_data(
        cls,
        triggers: Mapping[str, Any],
        casualties: Mapping[str, Any],
        cues: Mapping[str, Any],
    ) -> TriggerLexicon:
        """Build from the parsed YAML documents (raises DataError when malformed)."""
        return cls(
            PhraseIndex(_trigger_entries(triggers)),
            PhraseIndex(_casualty_entries(casualties)),
            PhraseIndex(_person_entries(casualties)),
            PhraseIndex(_cue_entries(cues)),
            _year_words(cues),
            _road_cut_words(triggers),
        )

    @classmethod
    def load_default(cls) -> TriggerLexicon:
        """The packaged lexicons."""
        return cls.from_data(
            _read_yaml("triggers.yaml"), _read_yaml("casualties.yaml"), _read_yaml("cues.yaml")
        )

    # -- matching --------------------------------------------------------------
    def find(self, tokens: Sequence[Token]) -> dict[str, list[Match]]:
        """Greedy longest matches of every lexicon over ``tokens``, by label."""
        wk = _word_keys  # token_keys inlined: this runs once per token
        keys = [
            wk(t.norm) if not t.is_punct else (_PUNCT_KEYS if t.norm == "?" else None)
            for t in tokens
        ]
        # tokens where a phrase of some lexicon starts (about a quarter of them)
        firsts = self._first_words
        maybe = [
            (i, tk)
            for i, tk in enumerate(keys)
            if tk is not None and not firsts.isdisjoint(tk.every)
        ]
        out: dict[str, list[Match]] = {}
        for label, index in (
            (TRIGGER, self.triggers),
            (CASUALTY, self.casualties),
            (PERSON_NOUN, self.persons),
            (CUE, self.cues),
        ):
            out[label] = _scan(index, keys, tokens, maybe)
        out[CUE].extend(self._future_prefix_cues(keys, out))
        out[CUE].sort(key=lambda m: m.first)
        return out

    def year_cues(self, tokens: Sequence[Token], published: dt.date | None) -> list[Match]:
        """History cues for years well before publication ("في سبتمبر 2013", "عام 2011").

        A 4-digit token after a month name or a year word is a year; it is history when
        it is two or more years before the publication year, or the year before once
        the publication is past February. Nothing is found without a publication date.
        """
        if published is None or not self.year_words:
            return []
        out: list[Match] = []
        for i in range(1, len(tokens)):
            t = tokens[i]
            if not _YEAR_RE.match(t.norm) or tokens[i - 1].sent != t.sent:
                continue
            prev = tokens[i - 1]
            if prev.is_punct or not any(k in self.year_words for k in match_keys(prev.norm)):
                continue
            year = int(t.norm)
            gap = published.year - year
            if gap >= 2 or (gap == 1 and published.month >= 3):
                out.append(Match(i - 1, i + 1, _YEAR_CUE))
        return out

    def _future_prefix_cues(
        self, keys: Sequence[_TokKeys | None], found: Mapping[str, list[Match]]
    ) -> list[Match]:
        """Future cues for "س + imperfect" tokens of a known verb ("سيقصف", "ستنفذ")."""
        out: list[Match] = []
        covered = {m.first for m in found[CUE]}
        for lab in (TRIGGER, CASUALTY):
            for m in found[lab]:
                if m.future and m.first not in covered:
                    covered.add(m.first)
                    out.append(Match(m.first, m.first + 1, _FUTURE_CUE))
        return out


_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_YEAR_CUE = LexEntry(
    ("year",),
    CUE,
    {"kind": "history", "effect": "history", "phrase": "past year"},
    scope=CueScope("clause", "any", 8),
)
_YEAR_WORDS = (
    "عام",
    "العام",
    "سنة",
    "منذ",
    "صيف",
    "شتاء",
    "ربيع",
    "خريف",
    "مطلع",
    "أواخر",
    "أوائل",
    "نهاية",
    "بداية",
    "منتصف",
    "خلال",
)


def _year_words(cues: Mapping[str, Any]) -> set[str]:
    months = (cues.get("slots") or {}).get("MONTH") or []
    out = {name_key(w) for w in _YEAR_WORDS}
    for m in months:
        words = name_key(str(m)).split(" ")
        out.add(words[-1])
    return out


_FUTURE_CUE = LexEntry(
    ("س",),
    CUE,
    {"kind": "future", "effect": "drop", "phrase": "س + imperfect"},
    scope=CueScope("clause", "any", 0),
)


def _scan(
    index: PhraseIndex,
    keys: Sequence[_TokKeys | None],
    tokens: Sequence[Token],
    maybe: Sequence[tuple[int, _TokKeys]],
) -> list[Match]:
    """Greedy longest matches of ``index``; ``maybe`` holds, in order, every token (index
    and keys) where a phrase of it may start."""
    out: list[Match] = []
    firsts = index.first_words
    starts = [i for i, tk in maybe if not firsts.isdisjoint(tk.every)]
    cursor = 0  # token index after the last match
    for i in starts:
        if i < cursor:
            continue
        m = index.longest_at(keys, i)
        if m is None or any(tokens[j].sent != tokens[i].sent for j in range(i, m.last)):
            continue
        out.append(m)
        cursor = m.last
    return out


# -- YAML → entries -------------------------------------------------------------------
def _read_yaml(name: str) -> dict[str, Any]:
    try:
        text = resources.files("marsad").joinpath("data", name).read_text("utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise DataError(f"packaged lexicon {name} is missing: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"lexicon {name} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise DataError(f"lexicon {name} must be a mapping with an 'entries' list")
    return data


def _phrases(item: Mapping[str, Any], where: str) -> list[str]:
    phrase = item.get("phrase")
    forms = item.get("forms") or []
    if not isinstance(phrase, str) or not phrase.strip():
        raise DataError(f"{where}: entry without a phrase: {dict(item)!r}")
    if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
        raise DataError(f"{where}: 'forms' of {phrase!r} must be a list of strings")
    return [phrase, *forms]


def _trigger_entries(data: Mapping[str, Any]) -> Iterator[LexEntry]:
    for item in data.get("entries") or []:
        phrases = _phrases(item, "triggers.yaml")
        for k in ("event_type", "sub_event_type"):
            if not isinstance(item.get(k), str):
                raise DataError(f"triggers.yaml: {phrases[0]!r} has no {k}")
        if item.get("strength") not in ("strong", "weak"):
            raise DataError(f"triggers.yaml: {phrases[0]!r}: strength must be strong|weak")
        attrs = {
            "event_type": item["event_type"],
            "sub_event_type": item["sub_event_type"],
            "strength": item["strength"],
            "verb": bool(item.get("verb", False)),
            "generic": bool(item.get("generic", False)),
            "phrase": phrases[0],
        }
        # what the trigger needs around it, and what it is when foiled (triggers.yaml)
        for k in ("needs", "assault", "population"):
            if item.get(k):
                attrs[k] = item[k]
        exact, bare = bool(item.get("exact", False)), bool(item.get("no_article", False))
        for p in phrases:
            yield LexEntry(_phrase_words(p), TRIGGER, attrs, exact, no_article=bare)


def _casualty_entries(data: Mapping[str, Any]) -> Iterator[LexEntry]:
    for item in data.get("entries") or []:
        phrases = _phrases(item, "casualties.yaml")
        role = item.get("role")
        if not isinstance(role, str):
            raise DataError(f"casualties.yaml: {phrases[0]!r} has no role")
        attrs = {"role": role, "phrase": phrases[0], "vague": bool(item.get("vague", False))}
        exact, bare = bool(item.get("exact", False)), bool(item.get("no_article", False))
        for p in phrases:
            yield LexEntry(_phrase_words(p), CASUALTY, attrs, exact, no_article=bare)


def _person_entries(data: Mapping[str, Any]) -> Iterator[LexEntry]:
    for item in data.get("persons") or []:
        phrases = _phrases(item, "casualties.yaml persons")
        hint = item.get("hint")
        if not isinstance(hint, str):
            raise DataError(f"casualties.yaml: person {phrases[0]!r} has no hint")
        attrs = {"hint": hint, "phrase": phrases[0]}
        for p in phrases:
            yield LexEntry(_phrase_words(p), PERSON_NOUN, attrs)


def _cue_entries(data: Mapping[str, Any]) -> Iterator[LexEntry]:
    slots = {str(k): [str(v) for v in vs] for k, vs in (data.get("slots") or {}).items()}
    for item in data.get("entries") or []:
        phrases = _phrases(item, "cues.yaml")
        kind, effect = item.get("kind"), item.get("effect")
        if not isinstance(kind, str) or effect not in _EFFECTS:
            raise DataError(f"cues.yaml: {phrases[0]!r} needs a kind and effect drop|history|weak")
        sc = item.get("scope") or {}
        scope = CueScope(
            str(sc.get("unit", "clause")),
            str(sc.get("direction", "before")),
            int(sc.get("window", 6)),
        )
        if scope.unit not in _UNITS or scope.direction not in _DIRECTIONS or scope.window < 0:
            raise DataError(f"cues.yaml: {phrases[0]!r} has an invalid scope {sc!r}")
        attrs = {"kind": kind, "effect": effect, "phrase": phrases[0]}
        for p in phrases:
            for text in _expand_slots(p, slots):
                yield LexEntry(_phrase_words(text), CUE, attrs, scope=scope, fallback=False)


_SLOT_RE = re.compile(r"\{([A-Z_]+)\}")


def _expand_slots(phrase: str, slots: Mapping[str, list[str]]) -> list[str]:
    m = _SLOT_RE.search(phrase)
    if m is None:
        return [phrase]
    values = slots.get(m.group(1))
    if not values:
        raise DataError(f"cues.yaml: unknown slot {{{m.group(1)}}} in {phrase!r}")
    out: list[str] = []
    for v in values:
        out.extend(_expand_slots(phrase[: m.start()] + v + phrase[m.end() :], slots))
    return out


@lru_cache(maxsize=1)
def trigger_schema() -> dict[str, Any]:
    """The packaged ``triggers.schema.json``."""
    text = resources.files("marsad").joinpath("data", "triggers.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@Resources.provide("trigger_lexicon")
def _provide_trigger_lexicon() -> TriggerLexicon:
    """The default ``trigger_lexicon`` service: the packaged lexicons."""
    return TriggerLexicon.load_default()


# -- the stage ----------------------------------------------------------------------------
@register("triggers/v1")
class TriggerMentions:
    """Add TRIGGER, CASUALTY, PERSON_NOUN and CUE spans found by the trigger lexicon."""

    reads: ClassVar[tuple[str, ...]] = ("tokens",)
    writes: ClassVar[tuple[str, ...]] = ("triggers",)

    def __init__(self, resources: Resources) -> None:
        self.lexicon: TriggerLexicon = resources.get("trigger_lexicon")

    def __call__(self, doc: Doc) -> Doc:
        toks = doc.tokens
        if not toks:
            return doc
        found = self.lexicon.find(toks)
        years = self.lexicon.year_cues(toks, doc.meta.published)
        if years:
            found[CUE] = sorted([*found[CUE], *years], key=lambda m: m.first)
        clause_of = _clause_ids(doc)
        cue_spans: list[tuple[Match, dict[str, Any]]] = []
        for m in found[CUE]:
            scope = m.entry.scope or CueScope()
            attrs = {
                **m.entry.attrs,
                "scope": scope.unit,
                "direction": scope.direction,
                "window": scope.window,
            }
            cue_spans.append((m, attrs))
            doc.add(_span(doc, m, CUE, attrs))
        refined = refine_generic(found[TRIGGER], clause_of)
        for label in (TRIGGER, CASUALTY):
            made: list[tuple[Match, dict[str, Any]]] = []
            for m in found[label]:
                attrs = dict(m.entry.attrs)
                if label == TRIGGER and id(m) in refined:
                    attrs["refined_from"] = attrs["sub_event_type"]
                    attrs["event_type"], attrs["sub_event_type"] = refined[id(m)]
                if m.future:
                    attrs["future"] = True
                attrs["cues"] = _governing(m, cue_spans, toks, clause_of)
                if label == TRIGGER and _purpose_of_gain(m, attrs, toks):
                    attrs["cues"].append(dict(_PURPOSE_CUE))
                made.append((m, attrs))
            if label == TRIGGER:
                _promote_foiling(doc, made, clause_of)
                for m in _road_cuts(doc, self.lexicon.road_cuts):
                    attrs = dict(m.entry.attrs)
                    attrs["cues"] = _governing(m, cue_spans, toks, clause_of)
                    made.append((m, attrs))
            for m, attrs in made:
                doc.add(_span(doc, m, label, attrs))
        for m in found[PERSON_NOUN]:
            doc.add(_span(doc, m, PERSON_NOUN, dict(m.entry.attrs)))
        return doc


#: "قطعت حركة أحرار الشام ... الطريق الواصل بين مدينتي حمص والسلمية": an armed side
#: that cuts a road takes the ground it runs through (EVENTS.md: a territorial event).
_ROAD_CUT = LexEntry(
    words=("قطع", "الطريق"),
    label=TRIGGER,
    attrs={
        "event_type": "Battles",
        "sub_event_type": "Non-state actor overtakes territory",
        "strength": "strong",
        "verb": True,
        "generic": True,
        "phrase": "قطع ... الطريق",
    },
)


def _road_cuts(doc: Doc, words: RoadCutWords) -> list[Match]:
    """Matches over a cutting verb whose subject, right after it, is an armed side and
    whose object, further on in the clause, is a named road (``road_cuts`` in
    ``triggers.yaml``)."""
    if not words.verbs:
        return []
    toks = doc.tokens
    # armed sides, not protesters or civilians who block roads
    actors = [a for a in doc.spans("ACTOR") if a.attrs.get("kind") in ARMED_KINDS]
    out: list[Match] = []
    for i, tok in enumerate(toks):
        word = tok.norm[1:] if tok.norm[:1] in ("و", "ف") and len(tok.norm) > 4 else tok.norm
        if word not in words.verbs or i + 1 >= len(toks):
            continue
        nxt = toks[i + 1]
        if not any(a.start <= nxt.start < a.end for a in actors):
            continue
        for k in range(i + 2, min(len(toks), i + words.reach)):
            if toks[k].sent != tok.sent or toks[k].norm in (".", ";"):  # "؛" is ";" once normalised
                break
            if toks[k].norm in words.roads and k + 1 < len(toks):
                if toks[k + 1].norm in words.namers:
                    out.append(Match(i, i + 1, _ROAD_CUT))
                break
    return out


#: Sub-types of territory changes, which "ل" + verbal noun names as an aim.
_GAINS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
#: Words after which "ل" means "and also" rather than "in order to" ("إضافة للسيطرة على").
_ADDITION_WORDS = frozenset(["اضافه", "بالاضافه", "واضافه"])
#: Nouns of an operation whose verbal-noun complement names its aim ("عملية تحرير").
_OPERATION_RE = re.compile(r"[وفبل]?(?:ال)?(?:عمليه|عمليات|معركه|معارك|حمله|حملات|خطه|خطط)")
_PURPOSE_CUE = {"kind": "purpose", "effect": "drop", "phrase": "ل + verbal noun"}


def _purpose_of_gain(m: Match, attrs: Mapping[str, Any], toks: Sequence[Token]) -> bool:
    """ "عملية لاستعادة الرقة", "تقدمت لتحرير الجزيرة", "محاولة للسيطرة على المدينة",
    "عملية تحرير الأنبار": a gain named by "ل" + its verbal noun, or as the complement of
    an operation noun, is what an operation aims at, not a gain made."""
    if attrs.get("sub_event_type") not in _GAINS or attrs.get("verb"):
        return False
    word = toks[m.first].norm
    before = toks[m.first - 1].norm if m.first > 0 else ""
    if _OPERATION_RE.fullmatch(before) and not word.startswith(("و", "ف")):
        return True  # "عملية تحرير الأنبار": the operation's name says what it is for
    if not word.startswith("ل") or m.entry.words[0].startswith("ل"):
        return False
    return before not in _ADDITION_WORDS


#: Which generic triggers a specific one in the same clause may retype, by event type of
#: the specific trigger: an explosive weapon makes "هجوم", "قصف", "تفجير", "مجزرة" an
#: event of that weapon ("قصف" + "طيران" → Air/drone strike; "تفجير" + "انتحاري" →
#: Suicide bomb); dispersal or stones make "مظاهرة" a protest with intervention or a riot.
_REFINES: dict[str, frozenset[str]] = {
    "Explosions/Remote violence": frozenset(
        {"Battles", "Explosions/Remote violence", "Violence against civilians"}
    ),
    "Protests": frozenset({"Protests"}),
    "Riots": frozenset({"Protests", "Riots"}),
}
_NOT_REFINED = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def refine_generic(
    triggers: Sequence[Match], clause_of: Sequence[int]
) -> dict[int, tuple[str, str]]:
    """New (event_type, sub_event_type) for generic triggers, keyed by ``id(match)``.

    A generic trigger takes the sub-type of the specific (non-generic) triggers of its
    clause when they agree on one sub-type whose event type may refine it; otherwise
    it keeps its default.
    """
    by_clause: dict[int, set[tuple[str, str]]] = {}
    for m in triggers:
        if not m.entry.attrs.get("generic"):
            et, sub = str(m.entry.attrs["event_type"]), str(m.entry.attrs["sub_event_type"])
            if et in _REFINES:
                by_clause.setdefault(clause_of[m.first], set()).add((et, sub))
    out: dict[int, tuple[str, str]] = {}
    for m in triggers:
        if not m.entry.attrs.get("generic"):
            continue
        specific = by_clause.get(clause_of[m.first], set())
        if len(specific) != 1:
            continue
        (et, sub) = next(iter(specific))
        own_et, own_sub = m.entry.attrs["event_type"], m.entry.attrs["sub_event_type"]
        if own_sub in _NOT_REFINED or own_et not in _REFINES[et] or own_sub == sub:
            continue
        out[id(m)] = (et, sub)
    return out


_DISRUPTED = "Disrupted weapons use"
_BATTLES = "Battles"


def _promote_foiling(
    doc: Doc, made: Sequence[tuple[Match, dict[str, Any]]], clause_of: Sequence[int]
) -> None:
    """A weak Disrupted-weapons trigger ("إحباط") whose clause holds a weapon trigger it
    foiled ("إحباط ... عمليات التفجير") reports the event on its own: make it strong; when
    what it foiled is an assault (a Battles trigger), the event is the clash."""
    foiled: dict[int, list[bool]] = {}
    for m, a in made:
        if any(c["kind"] == "foiled" for c in a["cues"]):
            foiled.setdefault(clause_of[m.first], []).append(_assault(doc, m, a))
    for m, a in made:
        if a["sub_event_type"] == _DISRUPTED and a["strength"] == "weak":
            kinds = foiled.get(clause_of[m.first])
            if kinds is None:
                continue
            a["strength"] = "strong"
            a["promoted"] = "foiled weapon in clause"
            if all(kinds):
                # "أحبطت المقاومة هجوماً شنه مسلحون حوثيون", "أحبطت فصائل المعارضة محاولة
                # تقدم": an assault fought off is a clash (EVENTS.md §2), not a weapon
                # taken out of use ("إحباط مخططات تستهدف ..." is a plot)
                a["refined_from"] = a["sub_event_type"]
                a["event_type"], a["sub_event_type"] = _BATTLES, "Armed clash"


#: An attack somebody launched ("هجوماً شنه مسلحون"), right after the attack noun.
_LAUNCHED_AFTER_RE = re.compile(rf"\s*(?:{LAUNCH_VERBS})(?:\s|$)")


def _assault(doc: Doc, m: Match, a: dict[str, Any]) -> bool:
    """A foiled trigger that is an assault under way: an advance, an armed group's plan
    of assault on a place, or an attack someone launched."""
    if a.get("assault"):
        return True
    end = doc.tokens[m.last - 1].end
    return a.get("needs") == "launched" and bool(
        _LAUNCHED_AFTER_RE.match(normalize(doc.text[end : end + 20]))
    )


#: Diacritics and tatweel that may trail a word in the original text ("متفجراً").
_TRAILING_MARKS_RE = re.compile(r"[\u064b-\u065f\u0670\u0640]+")


def _span(doc: Doc, m: Match, label: str, attrs: dict[str, Any]) -> Span:
    """The span of a match in the original text, trailing diacritics included."""
    toks = doc.tokens
    end = toks[m.last - 1].end
    tail = _TRAILING_MARKS_RE.match(doc.text, end)
    if tail:
        end = tail.end()
    return Span(toks[m.first].start, end, label, attrs)


def _clause_ids(doc: Doc) -> list[int]:
    """The clause number of every token (punctuation takes the clause before it)."""
    ids = [-1] * len(doc.tokens)
    for n, c in enumerate(clauses_of(doc)):
        for i in range(c.first, c.last):
            ids[i] = n
    last = 0
    for i, v in enumerate(ids):
        if v < 0:
            ids[i] = last
        last = ids[i]
    return ids


#: Cue kinds of what has not happened yet.
_PLAN_KINDS = frozenset(["future", "plan"])
#: Words that introduce the cause of what comes before them ("على خلفية", "إثر", "بسبب").
_CAUSE_WORDS = frozenset(["خلفيه", "اثر", "واثر", "عقب", "بسبب", "جراء"])


def _governing(
    m: Match,
    cues: Sequence[tuple[Match, dict[str, Any]]],
    toks: Sequence[Token],
    clause_of: Sequence[int],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    sent = toks[m.first].sent
    for c, attrs in cues:
        if toks[c.first].sent != sent:
            continue
        scope = c.entry.scope or CueScope()
        if c.entry is _FUTURE_CUE:
            same = c.first == m.first
            if same:
                out.append({k: attrs[k] for k in ("kind", "effect", "phrase")})
            continue
        same_unit = scope.unit == "sentence" or clause_of[c.first] == clause_of[m.first]
        if attrs.get("kind") in _PLAN_KINDS and any(
            toks[k].norm in _CAUSE_WORDS for k in range(c.last, m.first)
        ):
            # "الإجراءات التي تنوي اتخاذها على خلفية مظاهرات الجمعة": what a plan
            # answers has happened already
            continue
        if scope.governs((c.first, c.last), (m.first, m.last), same_unit):
            out.append({k: attrs[k] for k in ("kind", "effect", "phrase")})
    return out
