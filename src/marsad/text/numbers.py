"""Numbers in normalised Arabic text: digits, number words, vague amounts and duals.

Every function works on text already passed through :func:`marsad.text.arabic.normalize`
(ASCII digits, ة→ه, أ/إ/آ→ا, ى→ي, ئ→ي, no diacritics or tatweel). Offsets are into that
normalised string.

Candidate number tokens are found with one compiled regex; adjacent tokens are chained
("ثلاثه الاف وخمسميه", "2.5 مليون") and the chain is parsed with a small state machine.
Each match gets a ``kind`` so that callers can keep casualty counts and drop years,
dates, times, durations, ordinals, percentages, money and measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from marsad.text.arabic import normalize

__all__ = ["KINDS", "NumberMatch", "find_numbers", "parse_number_words"]

#: Every value of :attr:`NumberMatch.kind`.
KINDS = (
    "count",
    "year",
    "date",
    "time",
    "ordinal",
    "duration",
    "percent",
    "money",
    "measure",
    "id",
)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One number found in a normalised string.

    ``start``/``end`` are offsets into the normalised string. ``approx`` is set by
    "نحو", "قرابه", "حوالي"...; ``at_least`` by "على الاقل", "اكثر من", "ما لا يقل عن"...;
    ``vague`` for conventional values of vague amounts ("عشرات" = 10). ``kind`` says
    what the number counts (see :data:`KINDS`); only ``"count"`` is a head count.
    """

    start: int
    end: int
    value: int
    approx: bool = False
    vague: bool = False
    at_least: bool = False
    kind: str = "count"


# ---------------------------------------------------------------------------
# Lexicon


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, tuple[str, int]]  # normalised word -> (class, value)
    dual_stems: tuple[str, ...]
    construct_dual_heads: tuple[str, ...]
    several_tens: int
    approx_before: tuple[str, ...]
    at_least_before: tuple[str, ...]
    approx_after: tuple[str, ...]
    at_least_after: tuple[str, ...]
    kind_after: dict[str, tuple[str, ...]]
    id_before: tuple[str, ...]
    time_before: tuple[str, ...]
    year_before: tuple[str, ...]
    count_nouns: tuple[str, ...]
    months: tuple[str, ...]


def _load_yaml(name: str) -> Any:
    with resources.files("marsad.data").joinpath(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _norm_list(items: list[Any]) -> tuple[str, ...]:
    return tuple(normalize(str(x)).strip() for x in items)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = _load_yaml("numbers.yaml")
    words: dict[str, tuple[str, int]] = {}

    def put(cls: str, value: int, items: list[Any]) -> None:
        for w in _norm_list(items):
            words.setdefault(w, (cls, value))

    for value, items in data["units"].items():
        put("ten" if value == 10 else "unit", int(value), items)
    for value, items in data["tens"].items():
        put("tens", int(value), items)
    for value, items in data["hundreds"].items():
        put("hundred", int(value), items)
    for value, forms in data["scales"].items():
        put("scale1", int(value), forms["one"])
        put("scale2", int(value), forms["two"])
        put("scalep", int(value), forms["plural"])
    put("teen1", 1, data["teen_one"])
    put("teen2", 2, data["teen_two"])
    for value, items in data["vague"].items():
        put("vague", int(value), items)
    put("several", 0, data["several"])
    for value, items in data["ordinals"].items():
        put("ordinal", int(value), items)

    months_data = _load_yaml("months.yaml")["months"]
    months: list[str] = []
    for forms in months_data.values():
        months.extend(_norm_list(forms["safe"]))
        months.extend(_norm_list(forms["needs_day"]))

    duals = []
    for w in _norm_list(data["dual_nouns"]):
        duals.append(w[:-1] + "ت" if w.endswith("ه") else w)

    return _Lexicon(
        words=words,
        dual_stems=tuple(duals),
        construct_dual_heads=_norm_list(data.get("construct_dual_heads", [])),
        several_tens=int(data["several_tens"]),
        approx_before=_norm_list(data["approx_before"]),
        at_least_before=_norm_list(data["at_least_before"]),
        approx_after=_norm_list(data["approx_after"]),
        at_least_after=_norm_list(data["at_least_after"]),
        kind_after={k: _norm_list(v) for k, v in data["kind_after"].items()},
        id_before=_norm_list(data["id_before"]),
        time_before=_norm_list(data["time_before"]),
        year_before=_norm_list(data["year_before"]),
        count_nouns=_norm_list(data["count_nouns"]),
        months=tuple(months),
    )


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """Regex alternation of literal words, longest first, spaces matching any blank run."""
    uniq = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)


# Proclitics allowed before a number or counted noun: و/ف, then ب/ك/ل, then the article.
# (ك is left out: "كميه" is "quantity", not ك + ميه.)
_PREFIX = r"(?:[وف]?(?:ب?ال|لل|[بل])?)"
_DIGITS = r"\d+(?:[.,]\d+)*"


@dataclass(frozen=True, slots=True)
class _Regexes:
    token: re.Pattern[str]
    dual: re.Pattern[str]
    approx_before: re.Pattern[str]
    at_least_before: re.Pattern[str]
    approx_after: re.Pattern[str]
    at_least_after: re.Pattern[str]
    kind_after: tuple[tuple[str, re.Pattern[str]], ...]
    id_before: re.Pattern[str]
    time_before: re.Pattern[str]
    year_before: re.Pattern[str]
    count_after: re.Pattern[str]
    date_after: re.Pattern[str]


@lru_cache(maxsize=1)
def _regexes() -> _Regexes:
    lex = _lexicon()
    kinds = []
    for kind, words in lex.kind_after.items():
        if kind == "percent":
            pat = r"\s*(?:%|(?:" + _alt([w for w in words if w != "%"]) + r")(?!\w))"
        else:
            # No article on the noun: "الساعه 3" after a number is a clock time.
            pat = r"\s*[وب]?(?:" + _alt(words) + r")(?!\w)"
        kinds.append((kind, re.compile(pat)))
    return _Regexes(
        token=re.compile(
            r"(?<!\w)(?P<pre>"
            + _PREFIX
            + r")(?P<tok>"
            + _DIGITS
            + "|"
            + _alt(list(lex.words))
            + r")(?!\w)"
        ),
        dual=re.compile(
            r"(?<!\w)"
            + _PREFIX
            + r"(?:"
            + _alt(lex.dual_stems)
            + r")(?:ين|ان|[اي](?=\s+(?:"
            + _alt(lex.construct_dual_heads)
            + r")(?!\w)))(?!\w)"
        ),
        approx_before=re.compile(r"(?<!\w)[وف]?(?:" + _alt(lex.approx_before) + r")\s*$"),
        at_least_before=re.compile(r"(?<!\w)[وف]?(?:" + _alt(lex.at_least_before) + r")\s*$"),
        count_after=re.compile(r"\s*" + _PREFIX + r"(?:" + _alt(lex.count_nouns) + r")(?!\w)"),
        approx_after=re.compile(r"^\s*(?:\S+\s+){0,2}?(?:" + _alt(lex.approx_after) + r")(?!\w)"),
        at_least_after=re.compile(
            r"^\s*(?:[^\s\d.,;:!?()]+\s+){0,3}?(?:" + _alt(lex.at_least_after) + r")(?!\w)"
        ),
        kind_after=tuple(kinds),
        id_before=re.compile(r"(?<!\w)" + _PREFIX + r"(?:" + _alt(lex.id_before) + r")\s*$"),
        time_before=re.compile(r"(?<!\w)" + _PREFIX + r"(?:" + _alt(lex.time_before) + r")\s*$"),
        year_before=re.compile(r"(?<!\w)" + _PREFIX + r"(?:" + _alt(lex.year_before) + r")\s*$"),
        date_after=re.compile(
            r"\s*(?:من\s+)?(?:(?:شهر\s+)?(?:"
            + _alt(lex.months)
            + r")|(?:ال)?شهر\s+(?:الجاري|الحالي|الماضي|المنصرم|الفايت|المقبل))(?!\w)"
        ),
    )


# Surface forms that look like number words but are something else.
_NOT_NUMBERS = frozenset({"لست", "الاثنين", "والاثنين", "بالاثنين", "للاثنين", "الاثنان"})
_TIME_DIGITS_RE = re.compile(r"\d{1,2}:\d{2}")
_DATE_DIGITS_RE = re.compile(r"\d{1,4}\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{1,4})?")
_CLOCK_TAIL_RE = re.compile(r"\d:$")
_DATE_TAIL_RE = re.compile(r"^\s*[/-]\s*\d")
_DATE_HEAD_RE = re.compile(r"\d\s*[/-]\s*$")
_PERCENT_BEFORE_RE = re.compile(r"%$")  # "%20" written right to left
_MONEY_BEFORE_RE = re.compile(r"[$€£]\s*$")
# Blank space (optionally a detached و) allowed between the words of one number.
_CHAIN_GAP_RE = re.compile(r"\s*(?:و\s+)?")


# ---------------------------------------------------------------------------
# Parsing


@dataclass(frozen=True, slots=True)
class _Item:
    start: int
    end: int
    cls: str
    value: float
    conj: bool  # joined to the previous word with و


def _digit_value(tok: str) -> float:
    """ "10,000" / "10.000" → 10000; "2.5" / "2,5" → 2.5."""
    parts = re.split(r"[.,]", tok)
    if len(parts) == 1:
        return float(tok)
    if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
        return float("".join(parts))
    if len(parts) == 2:
        return float(parts[0] + "." + parts[1])
    return float(parts[0])


@dataclass(slots=True)
class _Parsed:
    value: int
    vague: bool
    ordinal: bool


def _parse(items: list[_Item]) -> _Parsed | None:
    """Parse a whole chain of number tokens, or None when it is not one number."""
    total = 0.0
    group = 0.0
    has: set[str] = set()
    vague = False
    ordinal = False
    last_scale = float("inf")
    prev: _Item | None = None
    for i, it in enumerate(items):
        cls, v = it.cls, it.value
        if cls == "digit":
            if i and not (total and not has and it.conj and v < last_scale):
                return None  # "15 الفا و615" = 15615
            group, has = v, {"d"}
        elif cls == "ordinal":
            if i:
                return None
            ordinal = True
            group, has = v, {"o"}
        elif cls == "several":
            if i:
                return None
            has = {"several"}
        elif cls == "vague":
            if has - {"several"}:
                return None
            several = "several" in has and v == 10
            group = float(_lexicon().several_tens) if several else v
            vague = True
            has = {"vague"}
        elif (
            cls == "ten"
            and prev is not None
            and not it.conj
            and prev.cls in ("unit", "teen1", "teen2")
        ):
            if prev.cls == "unit" and prev.value > 9:
                return None
            group += 10
            has = (has - {"u1"}) | {"teen"}
        elif cls == "ten" and prev is not None and not it.conj and prev.cls == "ordinal":
            group += 10
            has.add("teen")
        elif cls in ("unit", "ten", "teen1", "teen2"):
            if has & {"u", "u1", "teen", "d", "o", "vague", "several"}:
                return None
            group += v
            has.add("u1" if cls in ("teen1", "teen2") else "u")
        elif cls == "tens":
            if has & {"t", "teen", "d", "vague", "several"} or "u1" in has:
                return None
            if "o" in has and not it.conj:
                return None
            group += v
            has.add("t")
        elif cls == "hundred":
            if v == 100 and has == {"u"} and not it.conj and 3 <= group <= 9:
                group *= 100  # "ثلاث ميه"
                has = {"h"}
            elif has:
                return None
            else:
                group, has = v, {"h"}
        elif cls in ("scale1", "scale2", "scalep"):
            if v >= last_scale or "u1" in has or "o" in has or "several" in has:
                return None
            if cls == "scale2":
                if has:
                    return None
                group = 2
            elif cls == "scalep":
                if not has:
                    group, vague = 1, True
                elif has == {"u"} and not 3 <= group <= 10:
                    return None
            elif not has:
                group = 1
            total += group * v
            group, has, last_scale = 0, set(), v
        else:  # pragma: no cover - every class is handled above
            return None
        prev = it
    if "u1" in has or has == {"several"}:
        return None
    value = total + group
    if value <= 0 and not ordinal:
        return None
    return _Parsed(round(value), vague, ordinal)


def _classify(pre: str, tok: str) -> tuple[str, float] | None:
    if tok[0].isdigit():
        return "digit", _digit_value(tok)
    hit = _lexicon().words.get(tok)
    if hit is None or pre + tok in _NOT_NUMBERS:
        return None
    return hit[0], float(hit[1])


def parse_number_words(words: list[str]) -> int | None:
    """Value of a sequence of normalised number words, or None if they are not one number.

    Clitics are allowed ("وعشرين"). ``["خمسه", "وعشرين"]`` → 25; ``["10", "الاف"]`` →
    10000; ``["ثلاث", "ميه"]`` → 300; ``["عشرات"]`` → 10 (the conventional value).
    """
    items: list[_Item] = []
    for w in words:
        m = _regexes().token.fullmatch(w.strip())
        if m is None:
            return None
        c = _classify(m.group("pre"), m.group("tok"))
        if c is None:
            return None
        items.append(_Item(0, 0, c[0], c[1], m.group("pre").startswith("و")))
    if not items:
        return None
    parsed = _parse(items)
    return None if parsed is None else parsed.value


def _chains(norm: str) -> list[list[_Item]]:
    """Candidate number tokens of ``norm``, grouped into runs of adjacent tokens."""
    chains: list[list[_Item]] = []
    for m in _regexes().token.finditer(norm):
        pre, tok = m.group("pre"), m.group("tok")
        if pre and pre + tok in _lexicon().words:
            pre, tok = "", pre + tok  # "واحد" is one word, not و + احد
        c = _classify(pre, tok)
        if c is None or (c == ("hundred", 100.0) and pre.endswith("ال")):
            continue  # "في المئه" is a percent sign, not a hundred
        item = _Item(m.start(), m.end(), c[0], c[1], pre.startswith("و"))
        if chains:
            last = chains[-1][-1]
            gap = norm[last.end : item.start]
            if _CHAIN_GAP_RE.fullmatch(gap) and (gap.strip() == "" or not pre):
                conj = item.conj or "و" in gap
                chains[-1].append(_Item(item.start, item.end, item.cls, item.value, conj))
                continue
        chains.append([item])
    return chains


def _split_chain(chain: list[_Item]) -> list[tuple[list[_Item], _Parsed]]:
    """Greedy longest-first split of a run of tokens into numbers."""
    out: list[tuple[list[_Item], _Parsed]] = []
    i = 0
    while i < len(chain):
        for j in range(len(chain), i, -1):
            parsed = _parse(chain[i:j])
            if parsed is not None:
                out.append((chain[i:j], parsed))
                i = j
                break
        else:
            i += 1
    return out


def _kind(norm: str, start: int, end: int, items: list[_Item], value: int) -> str:
    rx = _regexes()
    before = norm[max(0, start - 40) : start]
    after = norm[end : end + 60]
    first = norm[items[0].start : items[0].end]
    only_digits = len(items) == 1 and items[0].cls == "digit"
    if only_digits and (
        _TIME_DIGITS_RE.match(norm, items[0].start) or _CLOCK_TAIL_RE.search(before)
    ):
        return "time"
    if only_digits and (
        _DATE_TAIL_RE.match(after) or _DATE_HEAD_RE.search(before) or rx.date_after.match(after)
    ):
        return "date"
    if rx.date_after.match(after) and value <= 31 and not first[0].isdigit():
        return "date"
    if _PERCENT_BEFORE_RE.search(before):
        return "percent"
    if _MONEY_BEFORE_RE.search(before):
        return "money"
    for kind, pat in rx.kind_after:
        if pat.match(after):
            return kind
    if only_digits and rx.time_before.search(before):
        return "time"
    if only_digits and rx.id_before.search(before):
        return "id"
    digits = norm[items[0].start : items[0].end].lstrip("وفبكل").removeprefix("ال")
    if (
        only_digits
        and digits.isdigit()
        and len(digits) == 4
        and 1900 <= value <= 2100
        and not rx.count_after.match(after)
    ):
        return "year"
    return "count"


def find_numbers(norm: str) -> list[NumberMatch]:
    """Every number in a normalised string, in text order.

    Finds digits (with thousands separators and decimals, "10 الاف", "2.5 مليون"),
    number words with clitics ("وخمسه وعشرين", "ثلاث ميه"), vague amounts ("عشرات" = 10,
    "عده عشرات" = 12, "ميات" = 100, "الاف" = 1000, "عشرات الالاف" = 10000) and duals of
    nouns for people ("جنديين" = 2); "احد الجنود" / "احدهم" is 1. "عدد من" and a bare
    "عده" give nothing.
    """
    rx = _regexes()
    out: list[NumberMatch] = []
    prev_end = 0
    for chain in _chains(norm):
        for items, parsed in _split_chain(chain):
            start, end = items[0].start, items[-1].end
            # The words before this number, but not those of the previous number's phrase:
            # in "30 قتيلا على الاقل و100 جريح" the qualifier belongs to 30.
            before = norm[max(0, start - 40, prev_end) : start]
            prev_end = end
            after = norm[end : end + 60]
            kind = "ordinal" if parsed.ordinal else _kind(norm, start, end, items, parsed.value)
            approx = bool(rx.approx_before.search(before) or rx.approx_after.match(after))
            tail = rx.at_least_after.match(after)
            at_least = bool(rx.at_least_before.search(before) or tail)
            if tail:
                prev_end = end + tail.end()
            if kind == "year" and (approx or at_least) and not rx.year_before.search(before):
                kind = "count"
            out.append(NumberMatch(start, end, parsed.value, approx, parsed.vague, at_least, kind))
    out.extend(_duals(norm, out))
    out.extend(_ones(norm, out))
    out.sort(key=lambda m: (m.start, m.end))
    return _drop_dual_echo(norm, out)


def _duals(norm: str, found: list[NumberMatch]) -> list[NumberMatch]:
    rx = _regexes()
    res = []
    for m in rx.dual.finditer(norm):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        after = norm[m.end() : m.end() + 60]
        before = norm[max(0, m.start() - 40) : m.start()]
        at_least = bool(rx.at_least_before.search(before) or rx.at_least_after.match(after))
        res.append(NumberMatch(m.start(), m.end(), 2, False, False, at_least, "count"))
    return res


# "احد الجنود", "احدي السيدات", "احدهم": one of a group (one person).
_ONE_OF_RE = re.compile(
    r"(?<!\w)[وف]?[بل]?(?:(?:احد|احدي)(?=\s+[وفبل]?ال\w)|(?:احدهم|احدهما|احداهما|احداهن|احدهن)(?!\w))"
)


def _ones(norm: str, found: list[NumberMatch]) -> list[NumberMatch]:
    res: list[NumberMatch] = []
    if "احد" not in norm:
        return res  # every form _ONE_OF_RE matches contains it; a scan costs more
    for m in _ONE_OF_RE.finditer(norm):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        res.append(NumberMatch(m.start(), m.end(), 1, False, False, False, "count"))
    return res


def _drop_dual_echo(norm: str, matches: list[NumberMatch]) -> list[NumberMatch]:
    """ "جنديين اثنين": one number 2 spanning both words, not two."""
    out: list[NumberMatch] = []
    for m in matches:
        if (
            out
            and m.value == 2
            and m.kind == "count"
            and out[-1].value == 2
            and out[-1].kind == "count"
            and norm[out[-1].end : m.start].isspace()
            and _regexes().dual.fullmatch(norm, out[-1].start, out[-1].end)
        ):
            prev = out.pop()
            m = NumberMatch(
                prev.start, m.end, 2, m.approx, False, m.at_least or prev.at_least, "count"
            )
        out.append(m)
    return out
