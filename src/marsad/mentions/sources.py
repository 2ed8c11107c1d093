"""``sources/v1``: who the article says a report comes from.

Cues (lexicon in ``marsad/data/sources.yaml``):

- a reporting verb and the noun phrase after it: "وقال مصدر أمني إن ...",
  "أكدت مصادر محلية لـ«عكاظ» أن ..."; with "نقلت X عن Y" both X and Y;
- "وكان X قد أعلن ...": the noun phrase between كان and قد;
- an attributing preposition: "بحسب ناشطين", "وفقا للفرنسية", "بحسب ما أفاد به المرصد";
- "وجاء في بيان الجيش";
- "بحسب بلاغ صادر عن وزارة الداخلية": the issuer of the statement;
- a known source phrase wherever it stands ("مصادر محلية", "المرصد السوري لحقوق الإنسان";
  news agencies only after a cue);
- a verb with no subject of its own continues the previous speaker ("وأضاف أن ...") or,
  for an announcement, has the first actor of its sentence as subject ("وتقدمت المقاومة
  ... وأعلنت أنها ...");
- a one-word or shortened back reference ("المرصد", "المصدر") takes the earlier full name;
  "البيان" and a definite title after a verb that goes on ("وأضاف القائد الميداني") take
  the source named last; a speaker relayed by "نقلت X عن Y" keeps X when Y goes on;
- "نشر موقع ... بيانا": the publisher of a statement;
- a name that goes on a title: "مساعد وزير الدفاع، اللواء عبد القادر العمودي",
  "مواطن تونسي (فهمي طاهري)", "المتحدث باسم المقاومة في تعز العميد سمير الحاج".

Not sources: the subject of a negated verb with "أي" ("لم تعلن أي جهة"), the words
after a plural verb ("كما قالوا، الأمن العالمي"), "تابع لـ" (belonging to), and the
author of a claim or a declaration ("أعلنت السلطات حالة الطوارئ"); a claim or a
declaration also ends the scope of the source before it.

Each source is ``Span(start, end, "SOURCE", {"text", "cue", "scope"})``: ``text`` is the
source as written (a leading و/ب/ل left out; "للفرنسية" → "الفرنسية"), ``cue`` the
normalised cue word, and ``scope`` the ``[start, end]`` offsets of the text the
attribution governs: its sentence, extended over the following sentences of the same
paragraph until another source appears. When the article names no source at all, its
dateline agency ("(أ ف ب)", "الرياض - واس") governs the whole text (``dateline: True``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar

import yaml

from marsad.doc import Doc, Span, Token
from marsad.errors import DataError
from marsad.mentions.actors import token_keys
from marsad.pipeline import Resources, register
from marsad.text.arabic import (
    CLOSING_QUOTES,
    COMPLEMENTISER_RE,
    OPENING_QUOTES,
    QUOTE_PAIRS,
    name_key,
    normalize,
)

_QUOTES = frozenset("«»\"“”'‘’")
#: Longest source noun phrase, in words.
MAX_SOURCE_WORDS = 12
#: How far before a subject-less verb "وكان X قد" is looked for, in tokens.
_KANA_WINDOW = 12


def _keys(words: Sequence[str]) -> frozenset[str]:
    """Index keys of content words, compared with :func:`token_keys` (no article)."""
    return frozenset(name_key(w) for w in words)


def _norms(words: Sequence[str]) -> frozenset[str]:
    """Normalised function words and verbs, compared with the token as written."""
    return frozenset(normalize(w).strip() for w in words)


@dataclass(frozen=True, slots=True, eq=False)
class SourceLexicon:
    """The cue words of ``sources.yaml`` as lookup keys (:func:`name_key` forms)."""

    verbs: frozenset[str]
    continuations: frozenset[str]
    prepositions: frozenset[str]
    skip_after_preposition: frozenset[str]
    statement_frames: frozenset[str]
    time_words: frozenset[str]
    stop_words: frozenset[str]
    in_heads: frozenset[str]
    addressee_heads: frozenset[str]
    object_heads: frozenset[str]
    statement_nouns: frozenset[str]
    same_words: frozenset[str]
    start_stops: frozenset[str]
    quote_heads: frozenset[str]
    claim_words: frozenset[str]
    #: "أعلنت السلطات حالة الطوارئ": objects that make an announcement an act, not a report.
    declaration_words: frozenset[str]
    #: "لم يعلن", "لا تقول": negations that cancel a reporting verb.
    negations: frozenset[str]
    #: Military ranks and honorifics that begin a name ("اللواء", "العميد", "الدكتور").
    ranks: frozenset[str]
    #: Head nouns of a person's title ("المتحدث", "مساعد", "القائد"); a name may follow
    #: them after a comma ("مساعد وزير الدفاع، اللواء عبد القادر العمودي").
    title_heads: frozenset[str]
    #: "نشر موقع ... بيانا": verbs of publishing whose subject is a source when their
    #: object is a statement.
    publish_verbs: frozenset[str]
    statement_objects: frozenset[str]
    #: First words of agency names ("رويترز", "وكالة").
    agency_words: frozenset[str]
    #: "أن", "إن", "بأن": the reported clause begins; a declaration object is not looked
    #: for past them ("وأفادت مصادر أن حالة من التململ ...").
    complementisers: frozenset[str]
    #: "أعلنت الفصائل بدء معركة": verbs of announcing and the launch nouns that make the
    #: announcement an act of the side that launches, not a report.
    announce_verbs: frozenset[str]
    launch_words: frozenset[str]
    #: Generic source nouns ("المصدر", "المصادر") that, alone, refer back to the source
    #: named last.
    back_nouns: frozenset[str]
    #: Openers of a sentence that turns to another report ("من جهة أخرى", "في الوقت
    #: نفسه"): the scope of an earlier source does not run on over it.
    shift_openers: tuple[tuple[str, ...], ...]
    #: "في تصريح نشرته وكالة سبأ": verbs with an object pronoun whose subject relays
    #: the speaker.
    relative_verbs: frozenset[str]
    #: "رابط الخبر": the opening of an outlet's link footer, which repeats the headline.
    footer_openers: tuple[str, ...]
    #: "والدته", "مرشدهم": nouns of a person that keep a possessive pronoun as speakers.
    person_heads: frozenset[str]
    #: "الأسبوع الماضي": a sentence set in an earlier period ends the scope before it.
    past_periods: tuple[str, ...]
    #: "حذر", "طالب", "ندد": verbs of a stand taken; a known source phrase right after
    #: one is its subject, not the source of a report.
    stance_verbs: frozenset[str]
    #: "مصدر", "مسؤول": source nouns that keep "من" and the side they speak for.
    qualified_heads: frozenset[str]
    #: "سجلت منظمة أنقذوا الأطفال فرار ...": verbs of recording, a report only when an
    #: organisation (one of ``organisation_heads``) is their subject.
    record_verbs: frozenset[str]
    organisation_heads: frozenset[str]
    #: "ومضت المصادر بالقول": verbs of going on, a report only before one of
    #: ``went_on_words``.
    went_on_verbs: frozenset[str]
    went_on_words: frozenset[str]
    #: "الله", "الخطط", "القانون": nouns that head no source ("قال الله تعالى").
    not_source_heads: frozenset[str]
    #: "عدد من السكان": words that with "من" after them begin a subject, a group.
    partitives: frozenset[str]
    #: Words that end a noun phrase: ``stop_words`` and ``time_words`` together.
    enders: frozenset[str]
    #: Known source phrases (named sources and agencies) as tuples of word keys, and
    #: whether one is written with the article ("ناشطون" is a source, "الناشطين" who
    #: took part in a protest is not).
    phrases: dict[tuple[str, ...], bool]
    phrase_prefixes: frozenset[tuple[str, ...]]
    max_phrase_words: int
    agencies: tuple[str, ...]

    @classmethod
    def from_yaml(cls, text: str) -> SourceLexicon:
        """Parse ``sources.yaml`` text."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise DataError(f"sources lexicon is not valid YAML: {exc}") from exc
        lists = (
            "verbs",
            "continuations",
            "prepositions",
            "skip_after_preposition",
            "statement_frames",
            "time_words",
            "stop_words",
            "in_heads",
            "addressee_heads",
            "object_heads",
            "statement_nouns",
            "same_words",
            "start_stops",
            "quote_heads",
            "claim_words",
            "declaration_words",
            "negations",
            "ranks",
            "title_heads",
            "publish_verbs",
            "statement_objects",
            "named_sources",
            "agencies",
            "dateline_only",
        )
        optional = (
            "complementisers",
            "announce_verbs",
            "launch_words",
            "back_reference_nouns",
            "shift_openers",
            "relative_verbs",
            "footer_openers",
            "person_heads",
            "past_periods",
            "stance_verbs",
            "qualified_heads",
            "record_verbs",
            "organisation_heads",
            "went_on_verbs",
            "went_on_words",
            "partitives",
            "not_source_heads",
        )
        if not isinstance(data, dict):
            raise DataError("sources lexicon must be a mapping")
        for key in optional:
            data.setdefault(key, [])
        for key in lists + optional:
            value = data.get(key)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DataError(f"sources lexicon: {key!r} must be a list of strings")
        phrases: dict[tuple[str, ...], bool] = {}
        for phrase in data["named_sources"]:
            words = tuple(name_key(phrase).split())
            if words:
                definite = normalize(phrase).startswith("ال")
                phrases[words] = phrases.get(words, False) or definite
        prefixes = {p[:i] for p in phrases for i in range(1, len(p))}
        return cls(
            verbs=_norms(data["verbs"]),
            continuations=_norms(data["continuations"]),
            prepositions=_keys(data["prepositions"]),
            skip_after_preposition=_keys(data["skip_after_preposition"]),
            statement_frames=_norms(data["statement_frames"]),
            time_words=_norms(data["time_words"]),
            stop_words=_norms(data["stop_words"]),
            in_heads=_keys(data["in_heads"]),
            addressee_heads=_keys(data["addressee_heads"]),
            object_heads=_keys(data["object_heads"]),
            statement_nouns=_keys(data["statement_nouns"]),
            same_words=_norms(data["same_words"]),
            start_stops=_norms(data["start_stops"]),
            quote_heads=_keys(data["quote_heads"]),
            claim_words=_keys(data["claim_words"]),
            declaration_words=_keys(data["declaration_words"]),
            negations=_norms(data["negations"]),
            ranks=_keys(data["ranks"]),
            title_heads=_keys(data["title_heads"]),
            publish_verbs=_norms(data["publish_verbs"]),
            statement_objects=_norms(data["statement_objects"]),
            agency_words=frozenset(k.split()[0] for k in map(name_key, data["agencies"]) if k),
            complementisers=_norms(data["complementisers"]),
            announce_verbs=_norms(data["announce_verbs"]),
            launch_words=_keys(data["launch_words"]),
            back_nouns=_norms(data["back_reference_nouns"]),
            relative_verbs=_norms(data["relative_verbs"]),
            person_heads=_keys(data["person_heads"]),
            stance_verbs=_norms(data["stance_verbs"]),
            qualified_heads=_keys(data["qualified_heads"]),
            record_verbs=_norms(data["record_verbs"]),
            organisation_heads=_keys(data["organisation_heads"]),
            went_on_verbs=_norms(data["went_on_verbs"]),
            went_on_words=_norms(data["went_on_words"]),
            partitives=_norms(data["partitives"]),
            not_source_heads=_keys(data["not_source_heads"]),
            past_periods=tuple(normalize(p).strip() for p in data["past_periods"] if p.strip()),
            footer_openers=tuple(normalize(o).strip() for o in data["footer_openers"] if o.strip()),
            shift_openers=tuple(
                tuple(normalize(o).split()) for o in data["shift_openers"] if o.strip()
            ),
            enders=_norms(data["stop_words"]) | _norms(data["time_words"]),
            phrases=phrases,
            phrase_prefixes=frozenset(prefixes),
            max_phrase_words=max(len(p) for p in phrases),
            agencies=tuple(data["agencies"] + data["dateline_only"]),
        )

    @classmethod
    def load_default(cls) -> SourceLexicon:
        """The packaged lexicon (loaded once per process)."""
        return _default_lexicon()


@lru_cache(maxsize=1)
def _default_lexicon() -> SourceLexicon:
    try:
        text = resources.files("marsad").joinpath("data/sources.yaml").read_text("utf-8")
    except OSError as exc:
        raise DataError(f"packaged sources lexicon is missing: {exc}") from exc
    return SourceLexicon.from_yaml(text)


@Resources.provide("sources_lexicon")
def _provide_lexicon() -> SourceLexicon:
    """The default ``sources_lexicon`` service: the packaged ``sources.yaml``."""
    return SourceLexicon.load_default()


# ---------------------------------------------------------------------------- helpers


def _word_keys(tok: Token) -> set[str]:
    return {k for k, _ in token_keys(tok)} | {tok.norm}


def _has(tok: Token, keys: frozenset[str]) -> bool:
    return not tok.is_punct and bool(_word_keys(tok) & keys)


def _is_bare(tok: Token, keys: frozenset[str]) -> bool:
    """The token is one of ``keys`` with at most a و/ف before it (no ب/ل/article)."""
    if tok.is_punct:
        return False
    word = tok.norm
    if word in keys:
        return True
    return word[:1] in ("و", "ف") and word[1:] in keys


@dataclass(slots=True)
class _Found:
    first: int
    last: int
    cue: str
    #: How the first word's proclitics are left out of the text: "" keep the word,
    #: "lam" drop a preposition ل ("وفقا للفرنسية"), or the proclitics themselves.
    strip: str = ""
    continued: bool = False
    #: "نقلت وكالة الأناضول عن صالح شيخ يوسف": the speaker is relayed by the source
    #: found just before it.
    relayed: bool = False
    #: "ولم يفصح الناطق باسم الداخلية عن ...": a title that can only be the speaker
    #: named before (a negated verb reports nothing new of its own).
    title_ref: bool = False
    #: "في تصريح نشرته وكالة سبأ": the outlet relays the speaker named last.
    relays_last: bool = False
    #: Token where the reporting clause begins ("وقال مصدر إنه ..."), for a source cued
    #: by a verb; -1 otherwise.
    cue_at: int = -1
    #: "وقال المصدر لوكالة الأنباء الألمانية": the agency the speaker just found told.
    told: bool = False


_LAM_PREPOSITIONS = frozenset(["وفقا", "طبقا", "استنادا"])
#: Between an attribution and the reporting verb that follows it: a comma or semicolon
#: and "فقد" at most ("وحسب موقع سكاي نيوز عربية؛ فقد أعلنت المقاومة").
_RELAY_GAP_RE = re.compile(r"\s*[،,؛;]?\s*(?:[وف]قد\s+)?")
#: An agency named right after a speaker without ل is the verb's object ("أفاد مسؤول
#: وكالة فرانس برس"); only the word "وكالة" itself, so that a name goes on otherwise.
_AGENCY_OBJECTS = frozenset(["وكاله"])
_SECOND_SOURCE_VERBS = frozenset(["نقل", "نقلت", "نقلا"])
#: "to": after "نقل X" it is a transfer ("نقل المصابون إلى المستشفى"), not a report.
_TO_WORDS = frozenset(["إلى", "الى", "الي", "إلي"])
#: Verbs whose ب object is the content reported ("أفاد بمقتل", "يفيد بتحركات").
_BA_CONTENT_VERBS = frozenset(["افاد", "افادت", "يفيد", "تفيد", "افادوا"])
#: "في وقت قال فيه ...": the pronoun of "in which" between a verb and its subject.
_RESUMPTIVE = frozenset(["فيه", "فيها"])
#: How many tokens (time words, commas) may separate a speaker from the agency told.
_AGENCY_REACH = 5
#: "أي جهة": the indefinite subject of a negated verb names no one.
_ANY = frozenset(["اي", "ايه"])
_KANA = frozenset(["كان", "وكان", "كانت", "وكانت"])
#: "بالواقع": ب and the article before a word of at least two more letters.
_MIN_BAL_WORD = 4
_AS_ALSO = frozenset(["كما", "وكما"])
_RESUMPTIVES = frozenset(["فيها", "فيه", "عنها", "عنه", "بها", "به"])
_QUOTE_LOOKAHEAD = 6
#: Longest name that follows a title ("اللواء عبد القادر العمودي"), in words.
_NAME_WORDS = 4
#: How far after a subject a declaration object or a published statement is looked for.
_DECLARATION_WINDOW = 5
#: After an announcing verb, names joined to the subject may stand before the launch noun.
_ANNOUNCE_WINDOW = 9
_PUBLISH_WINDOW = 20


#: Quotation marks that may enclose a place name (see mentions.places).
_PLACE_QUOTES = OPENING_QUOTES | CLOSING_QUOTES


class _Reader:
    """Source finding over one document's tokens."""

    def __init__(self, doc: Doc, lex: SourceLexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.toks = doc.tokens
        #: Start offsets of the place mentions ("مصادر من مأرب": a source's place).
        self.place_starts = {
            start
            for p in doc.spans("PLACE")
            for start in (p.start, (p.attrs.get("phrase") or (p.start,))[0])
        }
        #: Quotation marks inside or closing a place phrase ('بلدة "بيت امر"').
        phrases = [p.attrs.get("phrase") or (p.start, p.end) for p in doc.spans("PLACE")]
        self.place_quotes = {
            t.start
            for t in doc.tokens
            if t.is_punct
            and t.norm in _PLACE_QUOTES
            and any(ps <= t.start <= pe for ps, pe in phrases)
        }
        #: Offsets where a new subject speaks for itself ("أعلن تنظيم داعش مسؤوليته",
        #: "أعلنت السلطات حالة الطوارئ"): the previous source's scope ends there.
        self.barriers: list[int] = []
        #: Sentence of the last source found: a subject-less verb later in it goes on
        #: with that speaker ("من جانبه قال حبيب الأسيود ... وأفاد بأن").
        self.last_sent = -1

    # -- noun phrases ---------------------------------------------------------------

    def _next(self, j: int, sent: int) -> int | None:
        j += 1
        if j < len(self.toks) and self.toks[j].sent == sent:
            return j
        return None

    def _closing_quote(self, j: int) -> int | None:
        """Index of the quote that closes the one at ``j`` within a few words."""
        sent = self.toks[j].sent
        k = self._next(j, sent)
        steps = 0
        while k is not None and steps < _QUOTE_LOOKAHEAD:
            if self.toks[k].norm in _QUOTES:
                return k if k > j + 1 else None
            if self.toks[k].is_punct:
                return None
            k = self._next(k, sent)
            steps += 1
        return None

    def _possessed_at(self, j: int, strict: bool = False) -> bool:
        """Token ``j`` is a noun with a possessive pronoun, and not a person named by
        kinship or rank ("والدته", "مرشدهم"). With ``strict``, a plain ه counts only
        after و ("ومقره"): names end in it too ("اندريه", "عبده")."""
        tok = self.toks[j]
        word = self.doc.text[tok.start : tok.end]
        if not _possessed(word):
            return False
        stem = _POSSESSIVE_SUFFIX_RE.sub("", normalize(word))
        if stem.endswith("ت"):
            stem = stem[:-1] + "ه"
        if any(name_key(v) in self.lex.person_heads for v in (stem, stem[1:])):
            return False
        return not strict or not word.endswith("ه") or word.startswith("و")

    def _partitive_at(self, j: int) -> bool:
        """Token ``j`` is a partitive ("عدد") with "من" right after it."""
        if j < 0 or self.toks[j].norm not in self.lex.partitives:
            return False
        nxt = self._next(j, self.toks[j].sent)
        return nxt is not None and self.toks[nxt].norm == "من"

    def _stops(self, j: int, first: bool) -> bool:
        tok = self.toks[j]
        lex = self.lex
        if tok.is_punct:
            # 'مصادر في بلدة "بيت امر"': the quoted name of the source's place
            return first or tok.start not in self.place_quotes
        if not first and self._possessed_at(j, strict=True):
            # "أعلنت المقاومة الشعبية سيطرتها على", "المرصد ومقره بريطانيا"
            return True
        if first and self._partitive_at(j):
            return False  # "قال عدد من السكان"
        if tok.norm in ("من", "في", "وفي") and not first and self._qualified_by_place(j):
            return False  # "مصادر صحفية من مأرب", "مصادر محلية في حلب"
        if tok.norm == "من" and not first:  # "مصور من وكالة فرانس برس", "شاهد من رويترز"
            nxt = self._next(j, tok.sent)
            if nxt is None:
                return True
            if _has(self.toks[nxt], lex.addressee_heads) or _has(self.toks[nxt], lex.agency_words):
                return False
            # "مصدر من المقاومة الشعبية", "مسؤول أمني من الجيش": the source's side
            near = [
                self.toks[k] for k in (j - 1, j - 2) if k >= 0 and self.toks[k].sent == tok.sent
            ]
            return not (
                any(_has(t, lex.qualified_heads) for t in near)
                and _has(self.toks[nxt], lex.in_heads)
            )
        if _is_bare(tok, lex.enders) or _has(tok, lex.object_heads):
            return True
        if not first and tok.norm in _AGENCY_OBJECTS:
            # "أفاد مسؤول محلي وكالة فرانس برس": the agency told, unless a title or a
            # preposition holds it ("مدير وكالة الأنباء", "مصور من وكالة")
            prev = self.toks[j - 1] if j > 0 else None
            if prev is not None and not (
                _has(prev, lex.title_heads)
                or _has(prev, lex.addressee_heads)
                or prev.norm in ("من", "في", "لدي")  # "مصور من وكالة فرانس برس"
            ):
                return True
        if first:
            # "تفيد بالواقع", "وقالت بهذا الخصوص": a prepositional phrase, not a subject
            return (
                tok.norm in ("في", "وفي")
                or tok.norm in lex.start_stops
                or (tok.norm.startswith("بال") and len(tok.norm) > _MIN_BAL_WORD)
            )
        if (
            _is_bare(tok, lex.verbs)
            or _is_bare(tok, lex.relative_verbs)
            or tok.norm.startswith("وال")
            or _has(tok, lex.prepositions)
        ):
            return True
        if tok.norm in ("في", "وفي"):
            nxt = self._next(j, tok.sent)
            return nxt is None or not _has(self.toks[nxt], lex.in_heads)
        return tok.norm[:1] == "ل" and (
            _has(tok, lex.addressee_heads) or _has(tok, lex.agency_words)
        )

    def _qualified_by_place(self, j: int) -> bool:
        """Token ``j`` ("من"/"في") ties a qualified source to the place it speaks from: a
        qualified head ("مصادر", "مسؤول", "ناشطون") stands one or two words before and a
        place mention begins right after ("مصادر صحفية من مأرب", "ناشطون في حلب")."""
        tok = self.toks[j]
        nxt = self._next(j, tok.sent)
        if nxt is None or self.toks[nxt].start not in self.place_starts:
            return False
        near = [self.toks[k] for k in (j - 1, j - 2) if k >= 0 and self.toks[k].sent == tok.sent]
        return any(_is_bare(t, self.lex.qualified_heads) for t in near)

    def noun_phrase(self, i: int | None, skip_time: bool = True) -> tuple[int, int] | None:
        """Token range of the source noun phrase starting at or after token ``i``."""
        if i is None:
            return None
        sent = self.toks[i].sent
        j: int | None = i
        while (
            skip_time
            and j is not None
            and (
                _is_bare(self.toks[j], self.lex.time_words)
                or self.toks[j].norm in (",", "قد")
                or self._is_time_phrase(j)
            )
        ):
            j = self._next(j, sent)
        while j is not None and self.toks[j].norm in self.lex.same_words:
            j = self._next(j, sent)
        quote_end: int | None = None
        if j is not None and self.toks[j].norm in OPENING_QUOTES:
            # 'أكد «المرصد السوري لحقوق الإنسان»، أن': a name in quotes, not a quotation
            quote_end = self._quoted_name(j)
            if quote_end is None:
                return None
            j = self._next(j, sent)
        if j is None or self._stops(j, first=True) or len(self.toks[j].norm) < 2:
            return None
        if _has(self.toks[j], self.lex.not_source_heads):
            return None
        if self.toks[j].norm[:1].isdigit():
            # "وثقت 214 ضحية": a count is what was reported; "قال 3 مسؤولين" still speaks
            k = self._next(j, sent)
            if k is None or not _has(self.toks[k], self.lex.qualified_heads):
                return None
        first = last = j
        count = 1
        issuer = self._issuer(j)
        if issuer is not None:
            return issuer
        k = self._next(j, sent)
        if k is not None and self._partitive_at(j):
            last, count, k = k, 2, self._next(k, sent)  # "عدد من" and the group after it
        while k is not None and count < MAX_SOURCE_WORDS:
            tok = self.toks[k]
            if tok.norm in _QUOTES and _has(self.toks[last], self.lex.quote_heads):
                close = self._closing_quote(k)
                if close is None:
                    break
                last = close
                k = self._next(close, sent)
                continue
            if self._stops(k, first=False):
                ext = self._name_after(first, last, k)
                if ext is None:
                    break
                count += ext - last
                last = ext
                k = self._next(ext, sent)
                continue
            last = k
            count += 1
            k = self._next(k, sent)
        if quote_end is not None and last + 1 != quote_end:
            return None  # the quotation goes on past the phrase: speech, not a name
        return first, last

    def _quoted_name(self, j: int) -> int | None:
        """The quote that closes the one at ``j`` within a few words, when the clause goes
        on after it with a comma, "أن"/"إن", a time word or the sentence end."""
        close = self._closing_quote(j)
        if close is None:
            return None
        nxt = self._next(close, self.toks[j].sent)
        if nxt is None:
            return close
        tok = self.toks[nxt]
        ok = (
            tok.is_punct
            or _is_bare(tok, self.lex.complementisers)
            or _is_bare(tok, self.lex.time_words)
        )
        return close if ok else None

    def _name_after(self, first: int, last: int, k: int) -> int | None:
        """The last token of a name that goes on the title ``first..last`` past the stop at
        ``k``, or None.

        - "مواطن تونسي (فهمي طاهري)": a name in brackets;
        - "مساعد وزير الدفاع، اللواء عبد القادر العمودي": after a title, a name set off
          by a comma and closed by a comma, "أن"/"إن", a time word or the sentence end;
        - "المتحدث باسم المقاومة في تعز العميد سمير الحاج": "في" and a place, then a rank.
        """
        toks, lex = self.toks, self.lex
        sent = toks[k].sent
        norm = toks[k].norm
        if norm == "(":
            m = self._next(k, sent)
            steps = 0
            while m is not None and steps < _NAME_WORDS + 1:
                if toks[m].norm == ")":
                    return m if m > k + 1 else None
                if toks[m].is_punct:
                    return None
                m = self._next(m, sent)
                steps += 1
            return None
        titled = any(_has(toks[t], lex.title_heads) for t in range(first, last + 1))
        if norm in (",", "،") and titled:
            m = self._next(k, sent)
            if m is None or toks[m].norm[:1] == "و" or self._stops(m, first=True):
                return None
            end = m
            n = self._next(m, sent)
            words = 1
            while n is not None and words < _NAME_WORDS and not self._stops(n, first=False):
                end = n
                words += 1
                n = self._next(n, sent)
            if n is None or toks[n].is_punct or _is_bare(toks[n], lex.enders):
                return end if words <= _NAME_WORDS else None
            return None
        if norm in ("في", "وفي") and titled:
            m = self._next(k, sent)
            for _ in range(_NAME_WORDS - 1):
                if m is None or self._stops(m, first=True) or _has(toks[m], lex.ranks):
                    break
                m = self._next(m, sent)
                if m is not None and _has(toks[m], lex.ranks):
                    return m
            return None
        return None

    def _issuer(self, j: int) -> tuple[int, int] | None:
        """ "بلاغ صادر عن وزارة الداخلية": the issuer of a statement is the source."""
        if not _has(self.toks[j], self.lex.statement_nouns):
            return None
        sent = self.toks[j].sent
        k = self._next(j, sent)
        if k is None or not self.toks[k].norm.endswith(("صادر", "صادره")):
            return None
        k = self._next(k, sent)
        if k is None or self.toks[k].norm != "عن":
            return None
        return self.noun_phrase(self._next(k, sent), skip_time=False)

    def _is_time_phrase(self, j: int) -> bool:
        """ "في ساعة مبكرة", "خلال الأسبوع": a time phrase between a verb and its subject."""
        nxt = self._next(j, self.toks[j].sent)
        return (
            self.toks[j].norm in ("في", "خلال")
            and nxt is not None
            and _is_bare(self.toks[nxt], self.lex.time_words)
        )

    def text_of(self, f: _Found) -> str:
        """The source words as written, without a leading preposition."""
        doc, tok = self.doc, self.toks[f.first]
        end = _with_marks(doc.text, self.toks[f.last].end)
        if f.strip == "lam" and tok.norm.startswith("ل"):
            if tok.norm.startswith("لل") and len(tok.norm) > 3:
                # ل + ال is written "لل": give the name with its article, "الفرنسية"
                return (
                    "ال" + _cut_letters(doc.text, tok.start, tok.end, 2) + doc.text[tok.end : end]
                )
            return doc.text[_skip_letters(doc.text, tok.start, tok.end, 1) : end]
        if f.strip == "lam":
            # "ووفقا لما ذكرته وكالة أنباء الأناضول": the lam went to "لما", not the name
            return doc.text[tok.start : end]
        clitics = f.strip[:-2] if f.strip.endswith("ال") else f.strip
        if f.strip.endswith("لال"):
            clitics = ""
        start = _skip_letters(doc.text, tok.start, tok.end, len(clitics))
        return doc.text[start:end]

    # -- cues -------------------------------------------------------------------------

    def find(self) -> list[_Found]:
        """Every source mention of the document, in text order."""
        out: list[_Found] = []
        taken: set[int] = set()
        i = 0
        while i < len(self.toks):
            if self.toks[i].is_punct or i in taken:
                i += 1
                continue
            found, used = self._at(i)
            for f in found:
                taken.update(range(f.first, f.last + 1))
                self.last_sent = self.toks[f.first].sent
            if found or used > i:
                taken.update(range(i, used + 1))
            out.extend(found)
            i += 1
        out.extend(self._phrases(taken))
        out.sort(key=lambda f: (self.toks[f.first].start, f.continued))
        return out

    def _at(self, i: int) -> tuple[list[_Found], int]:
        """Sources cued by token ``i`` and the last token the cue itself used."""
        lex, tok = self.lex, self.toks[i]
        sent = tok.sent
        if _is_bare(tok, lex.relative_verbs):
            return self._relative_relay(i), i
        if _is_bare(tok, lex.verbs):
            found = self._after_verb(i)
            prev = self.toks[i - 1].norm if i > 0 else ""
            for f in found:
                # "كما أكدت وسائل إعلام حكومية وقوع التفجير" confirms the same report
                if not f.continued and not f.relayed and prev not in _AS_ALSO:
                    f.cue_at = min(i, f.first)
            return found, i
        if _is_bare(tok, lex.publish_verbs):
            return self._publisher(i), i
        if _is_bare(tok, lex.went_on_verbs):
            j = self._next(i, sent)
            if j is not None and self.toks[j].norm in lex.went_on_words:
                return [_Found(i, i, _bare_word(tok), continued=True)], i  # "ومضى قائلا"
            np = self.noun_phrase(j)
            k = self._next(np[1], sent) if np is not None else None
            if k is not None and self.toks[k].norm in lex.went_on_words:
                return self._after_verb(i), i
            return [], i
        if _is_bare(tok, lex.record_verbs):
            nxt = self._next(i, sent)
            if nxt is not None and _has(self.toks[nxt], lex.organisation_heads):
                # "سجلت منظمة أنقذوا الأطفال فرار 10 آلاف مدني": an organisation records
                return self._after_verb(i), i
            return [], i
        if _is_bare(tok, lex.continuations) and self._says_that(i):
            # "..., مبينا أن 750 شخصا قتلوا", "مشيرا إلى أن": the speaker named before
            return [_Found(i, i, _bare_word(tok), continued=True)], i
        if _has(tok, lex.prepositions) and not _is_bare(tok, lex.verbs):
            j = self._next(i, sent)
            used = i
            while j is not None and _has(self.toks[j], lex.skip_after_preposition):
                used = j
                j = self._next(j, sent)
            # "بحسب ما أفاد أمس الأربعاء مسؤول محلي": after "ما" + verb, time words may
            # stand before the subject as after any reporting verb
            np = self.noun_phrase(j, skip_time=used > i)
            if np is None:
                return [], used
            cue = tok.norm if tok.norm in lex.prepositions else _bare_word(tok)
            strip = "lam" if cue in _LAM_PREPOSITIONS else ""
            out = [_Found(*np, cue, strip)]
            if used > i and (told := self._agency_told(np[1], sent)) is not None:
                second = self.noun_phrase(told)
                if second is not None:
                    lam = self.toks[told].norm.startswith("ل")
                    out.append(_Found(*second, cue, strip="lam" if lam else "", told=True))
            return out, used
        if _is_bare(tok, lex.statement_frames):
            j = self._next(i, sent)
            if j is not None and self.toks[j].norm == "في":
                np = self.noun_phrase(self._next(j, sent), skip_time=False)
                return ([_Found(*np, _bare_word(tok))] if np else []), j
        return [], i

    def _says_that(self, i: int) -> bool:
        """Token ``i`` is followed by "أن"/"إن" (or "إلى أن") and a source was named at
        most ``_SAID_THAT_REACH`` sentences before: a verb whose subject is that source."""
        tok = self.toks[i]
        if self.last_sent < 0 or not 0 <= tok.sent - self.last_sent <= _SAID_THAT_REACH:
            return False
        nxt = self._next(i, tok.sent)
        if nxt is not None and self.toks[nxt].norm in _TO_WORDS:
            nxt = self._next(nxt, tok.sent)
        return nxt is not None and self.toks[nxt].norm in self.lex.complementisers

    def _after_verb(self, i: int) -> list[_Found]:
        tok = self.toks[i]
        cue = _bare_word(tok)
        before = self._kana_subject(i) or self._fronted_outlet(i)
        if before is not None:
            return [_Found(*before, cue)]
        nxt = self._next(i, tok.sent)
        if nxt is not None and self.toks[nxt].norm in _RESUMPTIVE:
            # "في وقت قال فيه متحدث رسمي": the subject follows "in which"
            nxt = self._next(nxt, tok.sent)
        # "كما قالوا، الأمن العالمي": a plural verb has its subject in its ending, and
        # "مسجد تابع لسلطات الأمن" is the adjective "belonging to", not the verb.
        plural = tok.norm.endswith("وا")
        belongs = cue in ("تابع", "تابعه") and nxt is not None and self.toks[nxt].norm[:1] == "ل"
        np = None if plural or belongs else self.noun_phrase(nxt)
        if np is not None and self.toks[np[0]].norm.startswith("لل"):
            np = None
        if np is not None and cue in _BA_CONTENT_VERBS and self.toks[np[0]].norm[:1] == "ب":
            np = None  # "بلاغا يفيد بتحركات مركبات": what was reported, not who
        title_ref = False
        if self._negated(i):
            # "ولم تعلن أي جهة مسؤوليتها", "كما لم تعلن السلطات أية معلومات": a report
            # that was not made attributes nothing; "ولم يفصح الناطق باسم الداخلية عن
            # هويته": the speaker already named, by title, still speaks
            if np is None or not self._definite_title(np[0]):
                return []
            title_ref = True
        if np is None:
            if belongs or (cue in _BA_CONTENT_VERBS and cue[:1] in "يت"):
                # "بلاغاً ... يفيد بتحركات مركبات", "أنباء تفيد بمقتل": what a report says,
                # not a speaker going on
                return []
            if _is_bare(tok, self.lex.continuations) or self.last_sent == tok.sent:
                return [_Found(i, i, cue, continued=True)]
            subject = None if plural else self._actor_subject(i)
            if subject is not None:
                return [_Found(*subject, cue)]
            if self._says_that(i):
                # "وقال إن ...": a speech verb with no subject before its "that" is the
                # speaker named just before going on
                return [_Found(i, i, cue, continued=True)]
            return []
        if self._possessed_at(np[0], strict=np[0] != np[1]):
            # "وقال أعضاؤها", "كما أعلن مكتبه": a part of someone, not a source;
            # "وأعلنت ولاءها للرئيس": the object, the subject stood before the verb
            return []
        k = self._next(np[1], tok.sent)
        if cue in _SECOND_SOURCE_VERBS and k is not None and self.toks[k].norm in _TO_WORDS:
            return []  # "ونقل المصابون إلى المشفى": carried somewhere, not relayed
        announce = _is_bare(tok, self.lex.announce_verbs)
        if (k is not None and _has(self.toks[k], self.lex.claim_words)) or self._declares(
            np[1], announce
        ):
            # "أعلن تنظيم داعش مسؤوليته": a claim, whose author is an actor
            self.barriers.append(tok.start)
            return []
        out = [_Found(*np, cue, title_ref=title_ref)]
        if cue in _SECOND_SOURCE_VERBS and k is not None and self.toks[k].norm == "عن":
            second = self.noun_phrase(self._next(k, tok.sent))
            if second is not None:
                out.append(_Found(*second, cue, relayed=True))
        elif (told := self._agency_told(np[1], tok.sent)) is not None:
            # "وقال المصدر لوكالة الأنباء الألمانية": the agency the speaker told relays
            # the report
            second = self.noun_phrase(told)
            if second is not None:
                lam = self.toks[told].norm.startswith("ل")
                out.append(_Found(*second, cue, strip="lam" if lam else "", told=True))
        return out

    def _agency_told(self, last: int, sent: int) -> int | None:
        """The token of "لوكالة ..."/"لرويترز" right after a speaker ending at ``last``.

        Time words and commas may stand between ("أفاد مصدر، امس الأربعاء، لوكالة ...").
        """
        j = self._next(last, sent)
        for _ in range(_AGENCY_REACH):
            if j is None:
                return None
            t = self.toks[j]
            if _has(t, self.lex.agency_words) and (t.norm[:1] == "ل" or t.norm in _AGENCY_OBJECTS):
                # "لوكالة الأنباء الألمانية"; "أفاد مسؤول محلي وكالة فرانس برس" (the
                # agency as the object of أفاد/أبلغ)
                return j
            if not (t.is_punct or _is_bare(t, self.lex.time_words) or self._is_time_phrase(j)):
                return None
            j = self._next(j, sent)
        return None

    def _relative_relay(self, i: int) -> list[_Found]:
        """ "في تصريح نشرته وكالة الأنباء اليمنية": the outlet after a relative verb."""
        tok = self.toks[i]
        np = self.noun_phrase(self._next(i, tok.sent))
        if np is None:
            return []
        head = self.toks[np[0]]
        lex = self.lex
        if not (
            _bare_word(head).startswith("ال")
            or _has(head, lex.addressee_heads)
            or _has(head, lex.agency_words)
        ):
            return []
        return [_Found(*np, _bare_word(tok), relays_last=True)]

    def _definite_title(self, j: int) -> bool:
        """Token ``j`` is a definite title or generic source noun ("الناطق", "المصدر")."""
        tok = self.toks[j]
        norm = _bare_word(tok)
        return norm.startswith("ال") and (
            name_key(norm) in self.lex.title_heads or norm in self.lex.back_nouns
        )

    def _negated(self, i: int) -> bool:
        """A negation stands right before verb ``i``."""
        prev = self.toks[i - 1] if i > 0 else None
        return (
            prev is not None and prev.sent == self.toks[i].sent and prev.norm in self.lex.negations
        )

    def _declares(self, last: int, announce: bool = False) -> bool:
        """ "أعلنت السلطات في كابول حالة التأهب": a declaration object a few words on.

        With ``announce`` (the verb is أعلن), a launch noun counts too, past names joined
        to the subject ("أعلنت جبهة النصرة، وأحرار الشام، والجيش الحر، عن بدء معارك").
        The reported clause ("أن ...") is not searched.
        """
        lex = self.lex
        sent = self.toks[last].sent
        k = self._next(last, sent)
        words = 0
        window = _ANNOUNCE_WINDOW if announce else _DECLARATION_WINDOW
        while k is not None and words < window:
            tok = self.toks[k]
            if _is_bare(tok, lex.complementisers) or tok.norm in (".", ":"):
                return False
            if _has(tok, lex.declaration_words) or (announce and _has(tok, lex.launch_words)):
                return True
            if not tok.is_punct:
                words += 1
            k = self._next(k, sent)
        return False

    def _publisher(self, i: int) -> list[_Found]:
        """ "نشر موقع موال لتنظيم القاعدة ... بيانا": the publisher of a statement."""
        tok = self.toks[i]
        np = self.noun_phrase(self._next(i, tok.sent))
        if np is None:
            return []
        k = self._next(np[1], tok.sent)
        for _ in range(_PUBLISH_WINDOW):
            if k is None:
                return []
            if self.toks[k].norm in self.lex.statement_objects:
                return [_Found(*np, _bare_word(tok))]
            k = self._next(k, tok.sent)
        return []

    def _actor_subject(self, i: int) -> tuple[int, int] | None:
        """ "وتقدمت المقاومة الشعبية ... وأعلنت أنها": the first actor of the sentence."""
        sent_start = self.doc.sentences[self.toks[i].sent].start if self.doc.sentences else 0
        for span in self.doc.spans("ACTOR"):
            if sent_start <= span.start < self.toks[i].start:
                first = next(k for k in range(i) if self.toks[k].end > span.start)
                last = max(k for k in range(first, i) if self.toks[k].start < span.end)
                return first, last
        return None

    def _fronted_outlet(self, i: int) -> tuple[int, int] | None:
        """'صحيفة "الإندبندنت" البريطانية قالت إن': an outlet or organisation that opens
        the sentence, then the verb ``i`` (after "من جانبها"/"من جهتها" at most)."""
        tok = self.toks[i]
        nxt = self._next(i, tok.sent)
        if nxt is None or self.toks[nxt].norm not in self.lex.complementisers:
            return None
        k = i - 1
        if k >= 1 and self.toks[k - 1].norm == "من" and self.toks[k].norm[:4] in ("جانب", "جهته"):
            k -= 2
        first = k
        while first > 0 and self.toks[first - 1].sent == tok.sent and i - first < _FRONTED_WORDS:
            first -= 1
        # the sentence opens with the outlet's head noun
        if first > k or self.toks[first].start != self.doc.sentences[tok.sent].start:
            return None
        head = self.toks[first]
        if not (_has(head, self.lex.addressee_heads) or _has(head, self.lex.organisation_heads)):
            return None
        if any(self.toks[j].norm in (",", ".", ":") for j in range(first, k + 1)):
            return None
        return first, k

    def _kana_subject(self, i: int) -> tuple[int, int] | None:
        """ "وكان X قد أعلن", "وكان X قال": the tokens between كان (and قد) and verb ``i``.

        Without قد, the words between must be one unbroken phrase (no comma, no verb of
        their own), or the verb is the sentence's own and كان belongs to another clause.
        """
        if i == 0:
            return None
        qad = self.toks[i - 1].norm == "قد"
        end = i - 2 if qad else i - 1
        sent = self.toks[i].sent
        nxt = self._next(i, sent)
        if not qad and nxt is not None and self.toks[nxt].norm in _RESUMPTIVES:
            return None  # "وكانت آخر مرة أعلن فيها": the verb of a relative clause
        for k in range(end, max(-1, end - _KANA_WINDOW), -1):
            t = self.toks[k]
            if t.sent != sent:
                return None
            if t.norm in _KANA:
                first, last = k + 1, end
                while last > first and self.toks[last].is_punct:
                    last -= 1
                return (first, last) if last >= first else None
            if not qad and (t.is_punct or _is_bare(t, self.lex.enders)):
                return None
        return None

    def _phrases(self, taken: set[int]) -> list[_Found]:
        """Known source phrases that no cue has already read."""
        lex, toks = self.lex, self.toks
        out: list[_Found] = []
        i = 0
        while i < len(toks):
            if toks[i].is_punct or i in taken or toks[i].norm[:1] == "ل":
                i += 1
                continue
            best: tuple[int, str] | None = None
            paths: list[tuple[tuple[str, ...], str]] = [
                ((k,), pre) for k, pre in token_keys(toks[i])
            ]
            j = i
            while paths:
                for path, pre in paths:
                    definite = lex.phrases.get(path)
                    if definite is not None and (definite or not pre.endswith("ال")):
                        best = (j, pre)
                        break
                nxt = self._next(j, toks[j].sent)
                if nxt is None or toks[nxt].is_punct or len(paths[0][0]) >= lex.max_phrase_words:
                    break
                paths = [
                    ((*p, k), pre)
                    for p, pre in paths
                    if p in lex.phrase_prefixes
                    for k, _ in token_keys(toks[nxt])
                ]
                j = nxt
            prev = i - 1 if i > 0 and toks[i - 1].sent == toks[i].sent else None
            if prev is not None and _is_bare(toks[prev], lex.stance_verbs):
                best = None  # "وحذر ناشطون حقوقيون من ...": a stand taken, not a report
            if best is not None and not any(t in taken for t in range(i, best[0] + 1)):
                out.append(_Found(i, best[0], "", best[1]))
                i = best[0] + 1
            else:
                i += 1
        return out


_POSSESSIVE_RE = re.compile(r"^[وف]?(?!ال)\w{3,}(?:ه|ها|هم|هما|هن)$")
_ALLAH_RE = re.compile(r"الله$|لله$")
_POSSESSIVE_SUFFIX_RE = re.compile(r"(?:ه|ها|هم|هما|هن)$")


def _possessed(word: str) -> bool:
    """A noun with a possessive pronoun ("مكتبه", "أعضاؤها"): written with ه, not ة."""
    word = "".join(c for c in word if normalize(c))
    return bool(_POSSESSIVE_RE.match(word)) and not _ALLAH_RE.search(word)


def _bare_word(tok: Token) -> str:
    """The token without a leading و/ف (the cue word as a lexicon entry)."""
    w = tok.norm
    return w[1:] if w[:1] in ("و", "ف") and len(w) > 2 else w


def _with_marks(text: str, end: int) -> int:
    """``end`` moved past diacritics that follow the last letter ("دولياً")."""
    while end < len(text) and not text[end].isspace() and not normalize(text[end]):
        end += 1
    return end


def _skip_letters(text: str, start: int, end: int, count: int) -> int:
    pos, seen = start, 0
    while pos < end and seen < count:
        if normalize(text[pos]):
            seen += 1
        pos += 1
    while pos < end and not normalize(text[pos]):
        pos += 1
    return pos


def _cut_letters(text: str, start: int, end: int, count: int) -> str:
    return text[_skip_letters(text, start, end, count) : end]


# ---------------------------------------------------------------------------- scopes


def _paragraph_index(doc: Doc, end: int) -> int:
    """Index of the paragraph that ends at ``end``."""
    return next((n for n, p in enumerate(doc.paragraphs) if p.end == end), len(doc.paragraphs))


def _split_clauses(
    doc: Doc,
    spans: Sequence[Span],
    bounds: list[list[int]],
    clause_at: dict[int, Token],
    shares: dict[int, int],
) -> None:
    """ "قالت مصادر أمنية إن مسلحين قتلوا شرطيا، وقال مصدر إنه يرجح ...": a second
    speaker in a sentence governs from their reporting clause on, and the sources before
    it up to there (a caller that asks about one clause gets its own speaker)."""
    for n, tok in clause_at.items():
        sent = doc.sentences[tok.sent] if doc.sentences else None
        if sent is None or tok.start <= sent.start:
            continue
        cut = tok.start
        group = [m for m in range(len(spans)) if shares.get(m, m) == shares.get(n, n)]
        earlier = [
            m
            for m in range(len(spans))
            if spans[m].start < cut
            and sent.start <= spans[m].start
            and m not in group
            and shares.get(m, m) not in group
        ]
        if not earlier:
            continue
        for m in group:
            bounds[m][0] = max(bounds[m][0], cut)
        for m in earlier:
            if bounds[m][1] > cut and bounds[m][0] < cut:
                bounds[m][1] = min(bounds[m][1], cut) if bounds[m][1] <= sent.end else bounds[m][1]


#: At most this many words between a fronted outlet and its verb ("صحيفة ... قالت إن").
_FRONTED_WORDS = 8
#: "وقال إن ..." with no subject goes on with a speaker named at most this many
#: sentences before.
_SAID_THAT_REACH = 2
#: Between a speaker and the quotation they open: an addressee, a place, a colon
#: ('وقال الوزير للصحافيين في المطار: "...').
_QUOTE_LEAD_RE = re.compile(
    r"[^\S\n]*[:،,]?(?:[^\S\n]*[^\W\d][^\s«\"“:،,.]*){0,4}?[^\S\n]*[:،,]?[^\S\n]*([«\"“])"
)


def _end_at_quotations(
    doc: Doc,
    spans: Sequence[Span],
    bounds: list[list[int]],
    clause_at: dict[int, Token],
    shares: dict[int, int],
    lex: SourceLexicon,
) -> None:
    """'وقال وزير النقل للصحافيين "انها بداية العمليات" الذي استعادته القوات ...': a
    speaker whose words are a quotation said what is inside the quotation marks; the
    writer's own narrative after the closing mark is not theirs."""
    for n in clause_at:
        span = spans[n]
        m = _QUOTE_LEAD_RE.match(doc.text, span.end)
        if m is None or COMPLEMENTISER_RE.search(doc.text, span.end, m.start(1)):
            continue
        lead = doc.text[span.end : m.start(1)].split()
        if lead and (
            lead[-1][-1] in "ـل" or normalize(lead[-1]) in lex.quote_heads or lead[-1] in _TO_WORDS
        ):
            # 'لـ«الشرق الأوسط»', 'صحيفة "الوطن"', 'أكدت مصادر مطلعة إلى "الوطن"': the
            # name of whom the speaker told, not their words
            continue
        close = doc.text.find(QUOTE_PAIRS[m.group(1)], m.end(1), _paragraph_end(doc, m.end(1)))
        if close < 0:
            continue
        group = [k for k in range(len(spans)) if shares.get(k, k) == shares.get(n, n)]
        for k in group:
            if spans[k].start <= span.start and bounds[k][0] <= close < bounds[k][1]:
                bounds[k][1] = close + 1


#: Conjunctions that open a clause set against the one before ("وسيطرت القوات على
#: الجامعة، وبينما تقول بغداد إن ..."): a speaker after them speaks for their own clause.
_CONTRAST_WORDS = frozenset(["بينما", "وبينما", "فيما", "وفيما", "حين", "وحين"])


def _contrast_clauses(
    doc: Doc, bounds: list[list[int]], clause_at: dict[int, Token], shares: dict[int, int]
) -> None:
    """Start the scope of a speaker cued after "بينما"/"فيما"/"في حين"/"في وقت" there."""
    index = {t.start: k for k, t in enumerate(doc.tokens)}
    for n, tok in clause_at.items():
        if not doc.sentences:
            return
        sent = doc.sentences[tok.sent]
        k = index.get(tok.start)
        if k is None:
            continue
        for j in (k - 1, k - 2, k - 3):
            if j < 0 or doc.tokens[j].sent != tok.sent or doc.tokens[j].start <= sent.start:
                break
            word = doc.tokens[j].norm
            prev = doc.tokens[j - 1].norm if j > 0 else ""
            if word in _CONTRAST_WORDS or (word in ("حين", "وقت") and prev in ("في", "وفي")):
                cut = doc.tokens[j].start
                for m in (m for m in range(len(bounds)) if shares.get(m, m) == n or m == n):
                    bounds[m][0] = max(bounds[m][0], cut)
                break


def _paragraph_start(doc: Doc, offset: int) -> int:
    for p in doc.paragraphs:
        if p.start <= offset < p.end:
            return p.start
    return 0


#: Words of a sentence that is an attribution and nothing else ("وفقا للفرنسية."),
#: beyond the source itself.
_ATTRIBUTION_ONLY_WORDS = 3


#: Marks that end a clause leading into the next one (the segmenter splits at "؛").
_LEADING_MARKS = frozenset("؛;:،,")


def _trailing_attribution(doc: Doc, span: Span, cue: str) -> bool:
    """ "... وقال أعضاؤها إنهم فخورون بالعلم. وفقا للفرنسية.": a sentence that only
    attributes governs the paragraph before it."""
    if not cue or not doc.sentences:
        return False
    sent = doc.sentences[doc.sentence_of(span.start)]
    if doc.text[sent.start : sent.end].rstrip()[-1:] in _LEADING_MARKS:
        return False  # 'وحسب موقع "سكاي نيوز عربية"؛ فقد أعلنت': it leads into what follows
    words = sum(
        1
        for t in doc.tokens
        if sent.start <= t.start < sent.end and not t.is_punct and t.start < span.start
    )
    after = sum(1 for t in doc.tokens if span.end <= t.start < sent.end and not t.is_punct)
    return after == 0 and words <= _ATTRIBUTION_ONLY_WORDS


def past_period_starts(doc: Doc, lex: SourceLexicon) -> list[int]:
    """Start offsets of the sentences set in an earlier period ("وتمكنت المقاومة الأسبوع
    الماضي من تحرير عدن"): background, not what the source just reported."""
    if not lex.past_periods or not doc.sentences:
        return []
    words: dict[int, list[str]] = {}
    for tok in doc.tokens:
        if not tok.is_punct:
            words.setdefault(tok.sent, []).append(tok.norm)
    out: list[int] = []
    for si, ws in words.items():
        text = f" {' '.join(ws)} "
        if 0 <= si < len(doc.sentences) and any(f" {p} " in text for p in lex.past_periods):
            out.append(doc.sentences[si].start)
    return out


def footer_start(doc: Doc, lex: SourceLexicon) -> int | None:
    """Start of the outlet's link footer ("رابط الخبر بصحيفة الوئام: <headline>")."""
    if not lex.footer_openers or not doc.sentences:
        return None
    for sent in doc.sentences[1:]:
        head = normalize(doc.text[sent.start : sent.start + 40])
        if any(head.startswith(o) for o in lex.footer_openers):
            return sent.start
    return None


def _paragraph_end(doc: Doc, offset: int) -> int:
    for p in doc.paragraphs:
        if p.start <= offset < p.end:
            return p.end
    return len(doc.text)


def _scopes(doc: Doc, starts: list[int], barriers: Sequence[int] = ()) -> list[tuple[int, int]]:
    """Scope of each source (given by its start offset, in text order); a scope does not
    run on past a barrier (a later subject speaking for itself)."""
    sents = doc.sentences
    out: list[tuple[int, int]] = []
    for n, off in enumerate(starts):
        if not sents:
            out.append((0, len(doc.text)))
            continue
        si = doc.sentence_of(off)
        s_start, s_end = sents[si].start, sents[si].end
        limit = _paragraph_end(doc, off)
        nxt_src = starts[n + 1] if n + 1 < len(starts) else len(doc.text)
        nxt_src = min([nxt_src, *(b for b in barriers if b > off)])
        k = si + 1
        while k < len(sents) and sents[k].start < limit and sents[k].end <= nxt_src:
            s_end = sents[k].end
            k += 1
        out.append((s_start, s_end))
    return out


def _opener_word(word: str) -> str:
    return word[1:] if word[:1] == "و" and len(word) > 2 else word


def shift_starts(doc: Doc, lex: SourceLexicon) -> list[int]:
    """Start offsets of the sentences that turn to another report ("من جهة أخرى، ...",
    "وفي الوقت نفسه، ...")."""
    if not lex.shift_openers or not doc.sentences:
        return []
    longest = max(len(o) for o in lex.shift_openers)
    heads: dict[int, list[str]] = {}
    for tok in doc.tokens:
        words = heads.setdefault(tok.sent, [])
        if len(words) < longest and not tok.is_punct:
            words.append(_opener_word(tok.norm))
    out: list[int] = []
    for si, words in heads.items():
        if 0 <= si < len(doc.sentences) and any(
            tuple(words[: len(o)]) == o for o in lex.shift_openers
        ):
            out.append(doc.sentences[si].start)
    return out


_DATELINE_WINDOW = 200


@lru_cache(maxsize=4)
def _dateline_re(agencies: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted({normalize(a) for a in agencies}, key=len, reverse=True)
    names = "|".join(re.escape(a).replace(r"\ ", r"\s*") for a in alts)
    return re.compile(
        rf"\(\s*(?P<p>{names})\s*\)"
        rf"|(?:^|\n)[^\S\n]*(?:[^\W\d_][^\n\-:]{{0,30}}?[-:]\s*)?(?P<d>{names})\s*[-:]"
        rf"|(?:^|\n)[^\S\n]*[^\W\d_][^\n\-:]{{0,30}}?[-:]\s*(?P<e>{names})\b"
    )


def dateline_agency(doc: Doc, lex: SourceLexicon) -> tuple[int, int] | None:
    """Offsets of the dateline agency at the start of the article, if any."""
    head = doc.norm[:_DATELINE_WINDOW] if doc.norm else normalize(doc.text[:_DATELINE_WINDOW])
    m = _dateline_re(lex.agencies).search(head)
    if m is None:
        return None
    group = next(g for g in ("p", "d", "e") if m.group(g) is not None)
    return doc.orig_span(m.start(group), m.end(group))


# ---------------------------------------------------------------------------- stage


@register("sources/v1")
class SourceMentions:
    """Find attributed sources and the stretch of text each one governs."""

    reads: ClassVar[tuple[str, ...]] = ("tokens", "actors")
    writes: ClassVar[tuple[str, ...]] = ("sources",)

    def __init__(self, resources: Resources) -> None:
        self.lexicon: SourceLexicon = resources.get("sources_lexicon")

    def __call__(self, doc: Doc) -> Doc:
        reader = _Reader(doc, self.lexicon)
        dateline = dateline_agency(doc, self.lexicon)
        found = [
            f
            for f in reader.find()
            if dateline is None or not (dateline[0] <= doc.tokens[f.first].start < dateline[1] + 2)
        ]
        spans: list[Span] = []
        last_text: str | None = None
        last_para = last_index = -1
        #: speaker → the source that relays them ("نقلت X عن Y": Y → X)
        relays: dict[str, str] = {}
        #: index of a relay span → index of the speaker span whose scope it shares
        shares: dict[int, int] = {}
        #: index of a span cued by an attributing preposition → the cue
        f_cues: dict[int, str] = {}
        #: index of a span cued by a verb → the token its reporting clause begins at
        clause_at: dict[int, Token] = {}
        #: index of an agency a back-referred speaker told → index of the speaker's
        #: first mention ("أفاد مصدر من المقاومة ..." then "وقال المصدر لوكالة ...")
        told_back: dict[int, int] = {}
        speaker_of_told: int | None = None
        for f in found:
            first, last = doc.tokens[f.first], doc.tokens[f.last]
            para = _paragraph_end(doc, first.start)
            if f.continued:
                if last_text is None or not 0 <= _paragraph_index(doc, para) - last_index <= 1:
                    continue
                text = last_text
            else:
                text = _antecedent(
                    reader.text_of(f), spans, self.lexicon, f.cue, title_ref=f.title_ref
                )
            start = first.start if f.continued else _text_start(doc, first, text)
            attrs: dict[str, Any] = {"text": text, "cue": f.cue}
            if f.continued:
                attrs["continued"] = True
            if f.relayed and spans:
                relays[text] = str(spans[-1].attrs["text"])
            if f.relays_last:
                if (
                    last_text is None
                    or para != last_para
                    or doc.sentence_of(spans[-1].start) != first.sent
                ):
                    # "وطالب أبو ردينة في تصريح نشرته الوكالة الرسمية": the outlet only
                    # published a speaker of its own sentence, who is not a source here
                    continue
                # the speaker goes on; the outlet relays what they say from here on
                if text != last_text:
                    relays[last_text] = text
                    shares[len(spans)] = shares.get(len(spans) - 1, len(spans) - 1)
                spans.append(Span(start, last.end, "SOURCE", attrs))
                continue
            if f.cue in self.lexicon.prepositions:
                f_cues[len(spans)] = f.cue
            if f.cue_at >= 0:
                clause_at[len(spans)] = doc.tokens[f.cue_at]
            if f.told and speaker_of_told is not None:
                told_back[len(spans)] = speaker_of_told
            if f.told and spans and str(spans[-1].attrs["text"]) != text:
                # "أفاد مسؤول محلي وكالة فرانس برس" then "وقال المسؤول ...": the agency
                # the speaker told relays what they go on to say
                relays.setdefault(str(spans[-1].attrs["text"]), text)
            speaker_of_told = None
            if not f.told and not f.continued and _bare_word(first) in self.lexicon.back_nouns:
                # the same source named again: where it was first named
                earlier = [n for n, sp in enumerate(spans) if sp.attrs.get("text") == text]
                speaker_of_told = earlier[-1] if earlier else None
            spans.append(Span(start, last.end, "SOURCE", attrs))
            org = _organisation_of(text, spans[:-1], self.lexicon)
            if org is not None and not f.continued:
                # "قال مدير المرصد رامي عبد الرحمن": the Observatory named before speaks too
                shares[len(spans)] = len(spans) - 1
                spans.append(Span(start, last.end, "SOURCE", {"text": org, "cue": f.cue}))
            relay = relays.get(text)
            if relay is not None and not f.relayed and relay != text:
                # the relayed speaker goes on ("وأضاف القائد الميداني"): so does the relay
                shares[len(spans)] = len(spans) - 1
                spans.append(
                    Span(start, last.end, "SOURCE", {"text": relay, "cue": f.cue, "relay": True})
                )
            last_text, last_para, last_index = text, para, _paragraph_index(doc, para)
        if not spans and dateline is not None:
            s, e = dateline
            spans.append(Span(s, e, "SOURCE", {"text": doc.text[s:e], "cue": "", "dateline": True}))
            spans[0].attrs["scope"] = [0, len(doc.text)]
            doc.add(spans[0])
            return doc
        barriers = [
            *reader.barriers,
            *shift_starts(doc, self.lexicon),
            *past_period_starts(doc, self.lexicon),
        ]
        footer = footer_start(doc, self.lexicon)
        if footer is not None:
            barriers.append(footer)
        # a relay shares its speaker's scope and does not cut it short
        leaders = [n for n in range(len(spans)) if n not in shares]
        led = _scopes(doc, [spans[n].start for n in leaders], barriers)
        scopes = dict(zip(leaders, led, strict=True))
        bounds = [
            list(scopes.get(_leader(shares, n)) or _sentence_bounds(doc, spans[n].start))
            for n in range(len(spans))
        ]
        for n, span in enumerate(spans):
            if _trailing_attribution(doc, span, f_cues.get(n, "")):
                bounds[n][0] = _paragraph_start(doc, span.start)
        _split_clauses(doc, spans, bounds, clause_at, shares)
        _end_at_quotations(doc, spans, bounds, clause_at, shares, self.lexicon)
        _contrast_clauses(doc, bounds, clause_at, shares)
        for n in range(len(spans) - 1):
            # "ووفقا لوكالة الأنباء الفرنسية، قال رامي عبد الرحمن": an outlet named by a
            # preposition right before a speaker's verb relays what the speaker says
            if f_cues.get(n) and n + 1 in clause_at and n + 1 not in f_cues:
                gap = doc.text[spans[n].end : clause_at[n + 1].start]
                if _RELAY_GAP_RE.fullmatch(gap):
                    bounds[n] = [
                        min(bounds[n][0], bounds[n + 1][0]),
                        max(bounds[n][1], bounds[n + 1][1]),
                    ]
        for n, first_named in told_back.items():
            # the agency relays what the source told it from its first mention on, when
            # that was at most two sentences back
            if doc.sentence_of(spans[n].start) - doc.sentence_of(spans[first_named].start) <= 2:
                bounds[n][0] = min(bounds[n][0], bounds[first_named][0])
        for n, span in enumerate(spans):
            span.attrs["scope"] = bounds[n]
            doc.add(span)
        return doc


#: A back reference by title ("وأضاف القائد الميداني") has at most this many words.
_TITLE_REF_WORDS = 3


def _sentence_bounds(doc: Doc, offset: int) -> tuple[int, int]:
    """Start and end of the sentence holding ``offset`` (the whole text without any)."""
    if not doc.sentences:
        return 0, len(doc.text)
    s = doc.sentences[doc.sentence_of(offset)]
    return s.start, s.end


def _leader(shares: Mapping[int, int], n: int) -> int:
    """The span whose scope span ``n`` shares, following chains of relays ("نقلت X عن Y"
    then "وأضاف القائد" relayed again)."""
    seen = {n}
    while n in shares:
        if shares[n] in seen:  # a cycle: no leader to share with
            break
        n = shares[n]
        seen.add(n)
    return n


def _organisation_of(text: str, earlier: Sequence[Span], lex: SourceLexicon) -> str | None:
    """The organisation a titled speaker speaks for, when the article named it in full.

    "مدير المرصد رامي عبد الرحمن" after "المرصد السوري لحقوق الإنسان" → the Observatory.
    """
    words = name_key(text).split()
    if not words or not any(w in lex.title_heads for w in words[:2]):
        return None
    for span in reversed(earlier):
        full = str(span.attrs["text"])
        full_words = name_key(full).split()
        if len(full_words) < _ORG_MIN_WORDS or full_words[0] in lex.title_heads:
            continue
        if full_words[0] in words[1:3] and name_key(full) not in name_key(text):
            return full
    return None


#: Words of an organisation's full name ("المرصد السوري لحقوق الإنسان").
_ORG_MIN_WORDS = 3


def _antecedent(
    text: str,
    earlier: Sequence[Span],
    lex: SourceLexicon | None = None,
    cue: str = "",
    title_ref: bool = False,
) -> str:
    """A back reference as the earlier, fuller name it stands for.

    - a shortened name ("المرصد", "المصدر", "السليطي", "محمد رحيم أمين"): the earlier,
      longer name whose words include all of its words;
    - the statement itself ("وأوضح البيان", "ونقل البيان عن") or a bare generic
      source noun ("وأضاف المصدر"): the source named last before it;
    - a definite title after a verb that goes on ("وأضاف القائد الميداني",
      "وأوضح المسؤول الليبي"): the source named last before it.
    """
    words = set(name_key(text).split())
    for span in reversed(earlier):
        full = str(span.attrs["text"])
        full_words = name_key(full).split()
        if len(full_words) > len(words) and words <= set(full_words):
            return full
    if lex is None or not earlier:
        return text
    # the speaker named last, not the outlet relaying them ("نقلت الأناضول عن X ...،
    # مشيرا إلى أن ..." relays X's going on)
    last = str(
        next((s for s in reversed(earlier) if not s.attrs.get("relay")), earlier[-1]).attrs["text"]
    )
    norm = normalize(text).split()
    if len(norm) == 1 and norm[0] in lex.back_nouns:
        # "وأفادت مصادر أن ... وأضاف المصدر": the source named last
        return last
    if len(norm) == 1 and name_key(text) in lex.statement_nouns and norm[0].startswith("ال"):
        return last
    # "القائد الميداني في المعارضة": the title without the side it speaks for
    head = norm[: next((n for n, w in enumerate(norm) if w in ("في", "من")), len(norm))]
    if (
        (cue in lex.continuations or title_ref)
        and 1 < len(head) <= _TITLE_REF_WORDS
        and norm[0].startswith("ال")
        and name_key(norm[0]) in lex.title_heads
        and len(name_key(last).split()) > len(head)
    ):
        return last
    return text


def _text_start(doc: Doc, tok: Token, text: str) -> int:
    """Start offset of a source whose text may have lost a leading clitic."""
    idx = doc.text.find(text, tok.start, tok.end + len(text))
    return idx if idx >= 0 else tok.start


def sources_for(doc: Doc, start: int, end: int) -> list[str]:
    """Texts of the sources whose scope overlaps ``[start, end)``, deduplicated, in order."""
    out: list[str] = []
    for span in doc.spans("SOURCE"):
        s, e = span.attrs.get("scope", (span.start, span.end))
        if s < end and start < e:
            text = span.attrs["text"]
            if text not in out:
                out.append(text)
    return out
