"""Event assembly helpers: clauses, counts, actor roles and dates around a trigger.

These are pure functions over a processed :class:`~marsad.doc.Doc`; the stages in
``marsad.events.stages`` call them. Every span they return is an original-text offset.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as ires
from typing import Any

import yaml

from marsad.doc import Doc, Span
from marsad.text.arabic import COMPLEMENTISER_RE, match_keys, name_key, normalize

# Words that open a new clause inside a sentence (normalised forms).
CLAUSE_BREAK_WORDS = frozenset(
    ["فيما", "بينما", "حين", "كما", "اضافه", "وفيما", "وبينما", "وكما", "فيما", "الي", "وسط"]
)
# Tokens that break clauses on their own.
_CLAUSE_PUNCT = frozenset([",", ";", ":", "(", ")", '"', "«", "»", "-"])


@dataclass(slots=True)
class Clause:
    """A stretch of one sentence, as a range of token indices [first, last)."""

    sent: int
    first: int
    last: int
    start: int
    end: int


def clauses_of(doc: Doc) -> list[Clause]:
    """Split every sentence at commas and clause-opening conjunctions."""
    out: list[Clause] = []
    toks = doc.tokens
    i = 0
    n = len(toks)
    while i < n:
        sent = toks[i].sent
        first = i
        while i < n and toks[i].sent == sent:
            t = toks[i]
            brk = t.is_punct and t.norm in _CLAUSE_PUNCT
            if brk or (i > first and t.norm in CLAUSE_BREAK_WORDS):
                if i > first:
                    out.append(Clause(sent, first, i, toks[first].start, toks[i - 1].end))
                first = i + 1 if brk else i
            i += 1
        if i > first:
            out.append(Clause(sent, first, i, toks[first].start, toks[i - 1].end))
    return out


class SpanIndex:
    """Spans of one label sorted by start, with range queries."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self.starts = [s.start for s in self.spans]

    def within(self, start: int, end: int) -> list[Span]:
        """Spans that start inside [start, end)."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return self.spans[lo:hi]

    def __len__(self) -> int:
        return len(self.spans)


@dataclass(slots=True)
class Counts:
    fatalities: int | None = None
    injured: int | None = None
    displaced: int | None = None
    arrested: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    #: the spans of the death tolls among ``spans``
    killed_spans: list[tuple[int, int]] = field(default_factory=list)
    #: fields whose count is only a vague amount ("عشرات" = 10, "مئات" = 100)
    vague: set[str] = field(default_factory=set)

    def add(self, role: str, value: int) -> None:
        cur = getattr(self, role)
        setattr(self, role, value if cur is None else cur + value)

    def as_dict(self) -> dict[str, int | None]:
        return {
            "fatalities": self.fatalities,
            "injured": self.injured,
            "displaced": self.displaced,
            "arrested": self.arrested,
        }


_ROLE_FIELDS = {
    "killed": ("fatalities",),
    "injured": ("injured",),
    "displaced": ("displaced",),
    "arrested": ("arrested",),
    "killed_injured": ("fatalities", "injured"),
}

#: Larger "counts" of people are misread money, years or ids, never casualties.
MAX_COUNT = 5_000_000
#: The furthest a number may stand from its casualty word (characters in between).
COUNT_WINDOW = 40


#: "منهم"/"بينهم"/"من بينها" right before a count: a part of the toll before it.
_SUBSET_RE = re.compile(r"(?:^|\s)[و]?(?:من\s+)?(?:بين|من)(?:هم|ها|هن|هما)\s*[:،,]?\s*$")
_SUBSET_REACH = 16


def counts_in(
    doc: Doc,
    start: int,
    end: int,
    nums: SpanIndex,
    cas: SpanIndex,
    persons: SpanIndex | None = None,
) -> Counts:
    """Casualty counts reported in the text range [start, end).

    A number counts for a casualty word when it stands right after it ("مقتل 37",
    "أسفر عن مقتل 5 جنود") or right before it ("37 قتيلا"), with no other number or
    casualty word in between. Several numbers for the same role are summed ("مقتل 11
    من المتمردين و2 من المقاومة").
    """
    out = Counts()
    words = [w for w in cas.within(start, end) if w.attrs.get("role") in _ROLE_FIELDS]
    numbers = [
        n
        for n in nums.within(start, end)
        if n.attrs.get("kind", "count") == "count"
        and n.attrs.get("value") is not None
        and 0 <= int(n.attrs["value"]) <= MAX_COUNT
    ]
    # 1. pair each casualty word with its nearest number, closest pairs first, so that
    #    in "28 قتيلا و66 جريحا" the 66 goes to جريحا and not to قتيلا
    pairs: list[tuple[int, int, int]] = []
    for wi, w in enumerate(words):
        for ni, n in enumerate(numbers):
            if n.start >= w.end:
                gap, between = n.start - w.end, doc.text[w.end : n.start]
            elif n.end <= w.start:
                gap, between = w.start - n.end, doc.text[n.end : w.start]
            else:
                continue
            if gap > COUNT_WINDOW or _other_word(w, n, words):
                continue
            if "," in between or "،" in between or "." in between:
                continue
            if COMPLEMENTISER_RE.search(between):
                continue  # "خمسة جنود قتلوا وإن ستة آخرين أصيبوا": a new clause, a new count
            pairs.append((gap, wi, ni))
    word_num: dict[int, int] = {}
    taken: set[int] = set()
    for _gap, wi, ni in sorted(pairs):
        if wi not in word_num and ni not in taken:
            word_num[wi] = ni
            taken.add(ni)
    implied: dict[str, int] = {}
    for wi, w in enumerate(words):
        fields = _ROLE_FIELDS[w.attrs["role"]]
        if wi not in word_num:
            # "مقتل جندي", "أدى إلى مقتل طفل": one person, named in the singular;
            # "مقتل جنديين": two
            first = _person_after(doc, w, persons) if persons is not None else None
            if first is None:
                # "لقي مصرعه", "مصرعهما": the word's own pronoun tells how many; "قتلت قوات
                # الاحتلال فلاح أبو ماريا (53 عاما)": one named person, given an age
                n_implied = implied_count(doc.text[w.start : w.end])
                if n_implied is None and _AGED_PERSON_RE.match(doc.text, w.end, w.end + 70):
                    n_implied = 1
                if n_implied is not None:
                    for f in fields:
                        implied.setdefault(f, n_implied)
                continue
            assert persons is not None  # a person was found among them
            value, last = first
            # "مقتل ضابط ومجند", "استشهاد ضابط وثلاثة مجندين"
            for _ in range(3):
                nxt = _joined_after(doc, last, persons, numbers, taken)
                if nxt is None:
                    break
                add, last = nxt
                value += add
            for f in fields:
                out.add(f, value)
            out.spans.append((w.start, last.end))
            if "fatalities" in fields:
                out.killed_spans.append((w.start, last.end))
            continue
        best = numbers[word_num[wi]]
        value = int(best.attrs["value"])
        if all(getattr(out, f) is not None for f in fields) and _SUBSET_RE.search(
            doc.text, max(0, min(w.start, best.start) - _SUBSET_REACH), min(w.start, best.start)
        ):
            continue  # "بلغ 70 جثة، منها جثث 30 قائدا": a part of the toll just counted
        if persons is not None and best.start > w.end:
            # "استشهاد ضابط وثلاثة مجندين": a singular person before the number
            one = _singular_after(doc, w, persons)
            if one is not None:
                between = doc.text[one.end : best.start]
                if doc.text[best.start : best.start + 1] == "و":  # the number holds its و
                    between += "و"
                if re.fullmatch(r"\s*و\s*", between):
                    value += 1
        for f in fields:
            if best.attrs.get("vague") and getattr(out, f) is None:
                out.vague.add(f)
            elif not best.attrs.get("vague"):
                out.vague.discard(f)
            out.add(f, value)
        out.spans.append((min(w.start, best.start), max(w.end, best.end)))
        if "fatalities" in fields:
            out.killed_spans.append(out.spans[-1])
        # 2. "مقتل 11 من المتمردين و2 من المقاومة": a further number joined by و that
        #    no casualty word of its own claims
        for ni, n in enumerate(numbers):
            if ni in taken or n.start <= best.end or n.start - best.end > 35:
                continue
            between = doc.text[best.end : n.start]
            if doc.text[n.start : n.start + 1] == "و":  # the number span holds its و
                between += "و"
            if _JOINED_AFTER_RE.search(between) and not _other_word(w, n, words):
                taken.add(ni)
                for f in fields:
                    out.add(f, int(n.attrs["value"]))
                break
        else:
            # "مقتل تسعة من الحوثيين بالإضافة إلى أحد أفراد المقاومة": one more
            tail = doc.text[best.end : best.end + 60]
            plus = _PLUS_ONE_RE.match(tail)
            if plus is not None and not any(
                best.end <= x.start < best.end + plus.end() for x in words if x is not w
            ):
                for f in fields:
                    out.add(f, 1)
        if best.end <= w.start:
            # "12 متشددا وخمسة مدنيين قتلوا": numbers joined by و before the one that
            # stands next to the casualty word
            head = best
            for ni in range(len(numbers) - 1, -1, -1):
                n = numbers[ni]
                if ni in taken or n.end > head.start:
                    continue
                if head.start - n.end > 35 or _other_word(w, n, words):
                    break
                between = doc.text[n.end : head.start + 1]
                if not _JOINED_BEFORE_RE.search(between) or re.search(r"[,،.:؛]", between):
                    break
                taken.add(ni)
                for f in fields:
                    out.add(f, int(n.attrs["value"]))
                head = n
    for f, n_implied in implied.items():
        if getattr(out, f) is None:
            out.add(f, n_implied)
    return out


# a name with an age in brackets after a casualty word: "... فلاح أبو ماريا (53 عاما)"
_AGED_PERSON_RE = re.compile(r"[^،,.()]{3,60}?\(\s*\d{1,3}\s*(?:عاما|عامًا|عاماً|سنة|سنوات|عام)\s*\)")
#: Verbs of launching an attack, with the attack as their object pronoun ("هجوماً شنه
#: مسلحون", "هجمات نفذتها"): the attack happened (a regex alternation).
LAUNCH_VERBS = "شنه|شنته|شنها|شنوه|شنوها|نفذه|نفذته|نفذها"
#: Actor kinds (registry ``kind``) that fight: not protesters, rioters or civilians.
ARMED_KINDS = frozenset(["state", "rebel", "militia", "external", "unknown"])
# what joins a further count to the one before: "و", "بالإضافة إلى", "فضلا عن"
_JOINED_AFTER_RE = re.compile(
    r"(?:(?:^|\s)و|(?:^|\s)(?:بالإضافة|بالاضافة|إضافة|اضافة)\s+(?:إلى|الى)|(?:^|\s)فضلا\s+عن)\s*$"
)
# "... بالإضافة إلى أحد أفراد المقاومة": a further single person, within a few words
_PLUS_ONE_RE = re.compile(
    r"^(?:\s+\S+){0,5}?\s+(?:بالإضافة|بالاضافة|إضافة|اضافة|وكذلك)\s+(?:إلى|الى)?\s*"
    r"(?:أحد|احد|إحدى|احدى)\s"
)
# the text between two joined counts ends in و, which the second number may hold
_JOINED_BEFORE_RE = re.compile(r"(^|\s)و\s*\S?$")


def _person_after(doc: Doc, w: Span, persons: SpanIndex) -> tuple[int, Span] | None:
    """How many people the person noun right after ``w`` names, when its form says so.

    "مقتل جندي" is one, "مقتل جنديين" two; a plural ("جنود") says nothing.
    """
    one = _singular_after(doc, w, persons)
    if one is not None:
        return 1, one
    nxt = persons.within(w.end, w.end + 3)
    if nxt and implied_count(doc.text[nxt[0].start : nxt[0].end]) == 2:
        return 2, nxt[0]
    return None


def implied_count(text: str) -> int | None:
    """The number of people a casualty word or person noun names by its form alone.

    "مصرعه" → 1, "قتيلين" → 2, "قتلى" → None (``implied_counts`` in casualties.yaml).
    """
    words = normalize(text).split()
    if not words:
        return None
    table = _implied_counts()
    for key in match_keys(words[-1]):
        if key in table:
            return table[key]
    return None


@lru_cache(maxsize=1)
def _implied_counts() -> dict[str, int]:
    raw = ires.files("marsad.data").joinpath("casualties.yaml").read_text("utf-8")
    table: dict[str, int] = {}
    for n, forms in (yaml.safe_load(raw).get("implied_counts") or {}).items():
        for form in forms:
            table[name_key(form).split()[-1]] = int(n)
    return table


def reports_no_casualties(text: str) -> bool:
    """The text says nobody was hurt ("دون وقوع إصابات", "لم يصب أحد"): see
    ``no_casualties`` in casualties.yaml."""
    return _no_casualties_re().search(normalize(text)) is not None


def no_casualty_phrases(text: str) -> list[str]:
    """Every phrase of ``text`` that says nobody was hurt, normalised."""
    return [m.group(0).strip() for m in _no_casualties_re().finditer(normalize(text))]


@lru_cache(maxsize=1)
def _no_casualties_re() -> re.Pattern[str]:
    raw = ires.files("marsad.data").joinpath("casualties.yaml").read_text("utf-8")
    data = yaml.safe_load(raw).get("no_casualties") or {}

    def alts(key: str) -> str:
        forms = sorted({normalize(f) for f in data.get(key) or []}, key=len, reverse=True)
        return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)

    partial = alts("partial")
    return re.compile(
        rf"(?:^|\s)[وف]?(?:(?:{alts('openers')})\s+(?:(?:{alts('fillers')})\s+){{0,2}}"
        rf"(?:{alts('nouns')})|(?:{alts('phrases')}))(?!\s+(?:{partial})(?:\s|$))(?=\W|$)"
    )


def victim_sides(doc: Doc, spans: Sequence[tuple[int, int]], actors: SpanIndex) -> set[str]:
    """The sides whose dead the toll spans count, as actor names.

    The side is the first actor named in the toll or right after it, before any
    punctuation: "مقتل 11 متمردا", "اثنين من مقاتلي المقاومة استشهدا", "أربعة قتلى
    سقطوا في صفوف المقاومة". A toll that names no side adds nothing.
    """
    sides: set[str] = set()
    for start, end in spans:
        for a in actors.within(start, end + _SIDE_WINDOW):
            if not a.attrs.get("name"):
                continue
            if a.start >= end and not _SIDE_GLUE_RE.fullmatch(normalize(doc.text[end : a.start])):
                break  # "قتلوا خلال قتال جماعات": an opponent, not the dead
            sides.add(str(a.attrs["name"]))
            break
    return sides


#: How far after a toll its side may be named (characters).
_SIDE_WINDOW = 40
#: What may stand between a toll and the side it counts: "في صفوف", "من عناصر".
_SIDE_GLUE_RE = re.compile(
    r"\s*(?:(?:من|في|بين|ضمن|صفوف|عناصر|مقاتلي|جنود|افراد|قوات|سقطوا|سقط)\s+){0,3}"
)


def _singular_after(doc: Doc, w: Span, persons: SpanIndex) -> Span | None:
    """The person noun right after casualty word ``w`` when it is in the singular."""
    nxt = persons.within(w.end, w.end + 3)
    if not nxt:
        return None
    p = nxt[0]
    singular = _singular_persons()
    for key in match_keys(normalize(doc.text[p.start : p.end])):
        if key in singular or (key.endswith("ا") and key[:-1] in singular):
            return p  # "جنديا" (tanwin alef) too
    return None


@lru_cache(maxsize=1)
def _singular_persons() -> frozenset[str]:
    raw = ires.files("marsad.data").joinpath("event_rules.yaml").read_text("utf-8")
    words = yaml.safe_load(raw).get("singular_persons", [])
    return frozenset(name_key(w) for w in words)


def _joined_after(
    doc: Doc, prev: Span, persons: SpanIndex, numbers: Sequence[Span], taken: set[int]
) -> tuple[int, Span] | None:
    """A person count joined by و right after ``prev``: a singular noun (1) or a number."""
    rest = doc.text[prev.end : prev.end + 4]
    m = re.match(r"\s*و", rest)
    if not m:
        return None
    at = prev.end + m.end()
    for ni, n in enumerate(numbers):
        if ni not in taken and at - 1 <= n.start <= at + 1:
            taken.add(ni)
            noun = persons.within(n.end, n.end + 3)
            return int(n.attrs["value"]), (noun[0] if noun else n)
    probe = Span(at - 2, at - 1, "CASUALTY")  # the person span may hold its و
    one = _singular_after(doc, probe, persons)
    return (1, one) if one is not None else None


def _other_word(w: Span, n: Span, words: Sequence[Span]) -> bool:
    lo, hi = (w.end, n.start) if n.start >= w.end else (n.end, w.start)
    return any(lo <= x.start < hi for x in words if x is not w)


def actor_out(span: Span | None) -> dict[str, Any] | None:
    """The IO.md actor object of an actor mention."""
    if span is None:
        return None
    return {"name": span.attrs.get("name"), "text": span.attrs.get("text")}
