"""Time expressions in normalised Arabic text and their resolution to calendar dates.

:func:`find_time_expressions` finds day words ("امس", "اول من امس", "اليوم (الجمعه)"),
parts of the day ("مساء امس", "فجر الاثنين"), weekdays, explicit dates in every Arab
month-naming system ("27 ديسمبر", "20 تموز", "7 جانفي", "3 يونيو/حزيران 2015"),
months, and relative spans ("قبل ايام", "الاسبوع الماضي", "خلال اليومين الماضيين").
:func:`resolve` turns one of them into ``(date, time_precision)`` against the
publication date, following spec/EVENTS.md §3 and the gold annotation conventions:

* precision 1 = the day is known, 2 = within a week or a stated span of a few days,
  3 = only the month or less;
* a weekday is the nearest such day on or before publication (strictly before with
  "الماضي"); "اليوم الثلاثاء" is that weekday; "ليله الجمعه" is the eve of Friday
  (the day before the nearest Friday), "ليل السبت - الاحد" is Saturday (Sunday after "بعد منتصف");
* "قبل ايام", "مؤخرا", "في الايام القليله الماضيه" → publication − 3, precision 2;
  "الاسبوع الماضي" → publication − 7, precision 2; a span ending now ("منذ ايام",
  "خلال الاسبوع") → publication, precision 2; "خلال اليومين الماضيين" → − 1, precision 2;
  "خلال ال24 ساعه الماضيه" → − 1, precision 1; "قبل ساعات", "في الساعات الاخيره" →
  publication, precision 2 (the hours may reach back into the day before);
* a month without a day → the 15th (or the publication date if earlier), precision 3;
  a month after the publication month belongs to the previous year.

Input is text already passed through :func:`marsad.text.arabic.normalize`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import re._parser as sre_parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from marsad.text.arabic import normalize
from marsad.text.numbers import parse_number_words

__all__ = ["PRECISION", "TimeMatch", "find_time_expressions", "resolve"]


@dataclass(frozen=True, slots=True)
class TimeMatch:
    """One time expression in a normalised string.

    ``kind`` is one of the keys of :data:`PRECISION`. ``weekday`` uses Python's
    numbering (Monday = 0). ``offset_days`` is relative to the publication date.
    ``future`` marks "المقبل", "غدا" and the like.
    """

    start: int
    end: int
    kind: str
    text: str
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    offset_days: int | None = None
    future: bool = False


#: time_precision of each kind of expression.
PRECISION: dict[str, int] = {
    "explicit_date": 1,
    "day_this_month": 1,
    "day_last_month": 1,
    "today": 1,
    "yesterday": 1,
    "day_before_yesterday": 1,
    "tomorrow": 1,
    "tonight": 1,
    "last_night": 1,
    "part_of_day": 1,
    "eve": 1,
    "weekday": 1,
    "since": 1,
    "days_ago": 1,
    "hours_ago": 2,
    "past_hours": 1,
    "weeks_ago": 2,
    "recent": 2,
    "span_days": 2,
    "last_week": 2,
    "this_week": 2,
    "month": 3,
    "last_month": 3,
    "this_month": 3,
}


# ---------------------------------------------------------------------------
# Vocabulary


@dataclass(frozen=True, slots=True)
class _Vocab:
    months_safe: dict[str, int]
    months_day: dict[str, int]  # every month name, including those that need a day
    weekdays: dict[str, int]
    day_ordinals: dict[str, int]
    parts: tuple[str, ...]
    not_today_after: tuple[str, ...]


def _n(x: Any) -> str:
    return re.sub(r"\s+", " ", normalize(str(x)).strip())


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    with resources.files("marsad.data").joinpath("months.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    safe: dict[str, int] = {}
    every: dict[str, int] = {}
    for month, forms in data["months"].items():
        for w in forms["safe"]:
            safe[_n(w)] = int(month)
            every[_n(w)] = int(month)
        for w in forms["needs_day"]:
            every[_n(w)] = int(month)
    weekdays = {_n(w): int(d) for d, ws in data["weekdays"].items() for w in ws}
    ords = {_n(w): int(d) for d, ws in data["day_ordinals"].items() for w in ws}
    return _Vocab(
        months_safe=safe,
        months_day=every,
        weekdays=weekdays,
        day_ordinals=ords,
        parts=tuple(_n(w) for w in data["parts_of_day"]),
        not_today_after=tuple(_n(w) for w in data["not_today_after"]),
    )


def _alt(words: Any) -> str:
    uniq = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s)


_PAST = r"(?:الماضي|المنصرم|الفايت|الفارط|المنقضي|السابق)"
_THIS = r"(?:الجاري|الحالي)"
_NEXT = r"(?:المقبل|القادم)"
_B = r"(?<!\w)"
_E = r"(?!\w)"


def _needed_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains (None when unknown).

    Read off the parsed pattern: a run of literal characters, a group, a repeat of at
    least one, or a branch whose every alternative needs one of some strings. Used to
    skip a rule whose regex cannot match a text at all, which is much cheaper than
    scanning the text with it.
    """
    return _needed(sre_parse.parse(pattern).data)


def _needed(items: Any) -> frozenset[str] | None:
    best: frozenset[str] | None = None

    def better(cand: frozenset[str] | None) -> None:
        nonlocal best
        if not cand or not all(cand):
            return
        if best is None or min(map(len, cand)) > min(map(len, best)):
            best = cand

    run: list[str] = []
    for op, av in items:
        if op is sre_parse.LITERAL:
            run.append(chr(av))
            continue
        better(frozenset(["".join(run)]) if run else None)
        run = []
        if op is sre_parse.SUBPATTERN:
            better(_needed(av[3].data))
        elif op is sre_parse.BRANCH:
            alts = [_needed(b.data) for b in av[1]]
            if all(a is not None for a in alts):
                better(frozenset().union(*(a for a in alts if a is not None)))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and av[0] >= 1:
            better(_needed(av[2].data))
    better(frozenset(["".join(run)]) if run else None)
    return best


@dataclass(frozen=True, slots=True)
class _Rule:
    """One time-expression regex and a quick test of whether it can match a text."""

    kind: str
    pattern: re.Pattern[str]
    #: Matches a string every match of ``pattern`` contains (None: always scan).
    needed: re.Pattern[str] | None


def _rule(kind: str, pattern: str) -> _Rule:
    lits = _needed_literals(pattern)
    needed = None
    if lits is not None:
        needed = re.compile("|".join(re.escape(w) for w in sorted(lits, key=len, reverse=True)))
    return _Rule(kind, re.compile(pattern), needed)


@dataclass(frozen=True, slots=True)
class _Regexes:
    rules: tuple[_Rule, ...]
    since_before: re.Pattern[str]
    not_today_after: re.Pattern[str]


@lru_cache(maxsize=1)
def _regexes() -> _Regexes:
    v = _vocab()
    wd = r"[وفبل]?(?:" + _alt(v.weekdays) + r")"
    mon_all = _alt(v.months_day)
    mon_safe = _alt(v.months_safe)
    day = r"(?:[وفب]?(?:ال)?(?P<day>\d{1,2})(?!\d)|[وفب]?(?P<dayw>" + _alt(v.day_ordinals) + r"))"
    year = r"(?:\s*,?\s*(?:من\s+)?(?:عام\s+|العام\s+|سنه\s+)?(?P<year>\d{4})(?!\d))"
    mon2 = r"(?:\s*[/(\-]\s*(?:" + mon_all + r")\s*\)?)"
    rel = r"(?:\s+(?P<rel>" + _PAST + "|" + _THIS + "|" + _NEXT + r"))"
    # A weekday after اليوم / امس / a part of the day, not followed by a day number.
    wd_tail = r"(?:\s*[(\-,]?\s*(?:يوم\s+)?(?P<wd>" + _alt(v.weekdays) + r")\s*\)?(?!\s*\d))?"
    part = r"[وفب]?(?:في\s+)?(?P<part>" + _alt(v.parts) + r")"
    rules: list[tuple[str, str]] = [
        (
            "explicit_date",
            _B
            + r"(?:يوم\s+)?"
            + day
            + r"\s*(?:من\s+)?(?:شهر\s+)?(?P<mon>"
            + mon_all
            + r")"
            + mon2
            + "?"
            + rel
            + "?"
            + year
            + "?"
            + _E,
        ),
        (
            "numeric_date",
            _B + r"(?P<day>\d{1,2})\s*([/.\-])\s*(?P<mon>\d{1,2})\s*\2\s*(?P<year>\d{4})(?!\d)",
        ),
        ("iso_date", _B + r"(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
        (
            "day_rel_month",
            _B
            + day
            + r"\s*(?:من\s+)?(?:هذا\s+)?(?:ال)?شهر\s+(?P<rel>"
            + _PAST
            + "|"
            + _THIS
            + r")"
            + _E,
        ),
        (
            "month",
            _B
            + r"(?:[وفب]?(?P<cue>شهر|في|خلال|منذ|مطلع|اواخر|اوايل|منتصف|نهايه|بدايه|اوسط|حتي)\s+)?"
            + r"(?P<mon>"
            + mon_safe
            + r")"
            + mon2
            + "?"
            + rel
            + "?"
            + year
            + "?"
            + _E,
        ),
        ("month_year", _B + r"(?P<mon>" + mon_all + r")" + year + _E),
        (
            "day_before_yesterday",
            _B
            + r"[وفب]?(?:اول\s+(?:من\s+)?امس|(?:ال)?امس\s+الاول"
            # "الليلة قبل الماضية": the night before last
            + r"|(?:الليله|ليله|ليل)\s+(?:ما\s+)?قبل\s+(?:الماضيه|البارحه))"
            + _E,
        ),
        (
            "part_of_day",
            _B
            + part
            + r"\s+(?:يوم\s+)?(?P<target>[وفب]?(?:ال)?امس|اليوم|"
            + wd
            + r")"
            + r"(?:\s*(?:-|/|الي|و)\s*(?P<wd2>"
            + _alt(v.weekdays)
            + r"))?"
            + wd_tail
            + _E,
        ),
        ("yesterday", _B + r"[وفب]?(?:ال)?امس" + wd_tail + _E),
        ("today", _B + r"[وفبل]?اليوم" + wd_tail + _E),
        ("tomorrow", _B + r"[وفب]?(?:غدا|(?:يوم\s+)?(?:ال)?غد)" + wd_tail + _E),
        ("last_night", _B + r"[وفب]?(?:الليله|ليله|ليل)\s+(?:الماضيه|المنصرمه|البارحه)" + _E),
        ("tonight", _B + r"[وفب]?(?:هذه\s+)?الليله(?!\s+(?:ال|من))" + _E),
        (
            "weekday",
            _B
            + r"(?:[وفبل]?(?:يوم|نهار)\s+)?(?P<wd>"
            + wd
            + r")(?:\s+(?P<rel>"
            + _PAST
            + "|"
            + _NEXT
            + r"))?"
            + _E,
        ),
        ("last_month", _B + r"[وفبل]?(?:ال)?شهر\s+" + _PAST + _E),
        ("this_month", _B + r"(?:[وفبل]?(?:ال)?شهر\s+" + _THIS + r"|هذا\s+الشهر)" + _E),
        (
            "last_week",
            _B + r"(?:خلال\s+)?[وفبل]?(?:ال)?(?:اسبوع|اسبوع)\s+(?:" + _PAST + r"|المنصرم)" + _E,
        ),
        (
            "this_week",
            _B
            + r"(?:(?:مطلع|بدايه|خلال)\s+)?(?:[وفبل]?(?:ال)?اسبوع\s+"
            + _THIS
            + r"|هذا\s+الاسبوع)"
            + _E,
        ),
        (
            "recent",
            _B
            + r"(?:[وف]?قبل\s+(?:بضعه\s+|عده\s+)?ايام|[وف]?مؤخرا|[وف]?موخرا"
            + r"|(?:[وف]?(?:في|خلال)\s+)?(?:ال)?ايام\s+(?:(?:القليله\s+)?(?:الماضيه|الاخيره|المنصرمه)|القليله\s+الماضيه))"
            + _E,
        ),
        (
            "span_days",
            _B
            + r"(?:[وف]?منذ\s+(?:بضعه\s+|عده\s+)?(?:ايام|اسبوع|يومين|اسبوعين)"
            + r"|[وف]?خلال\s+(?:ال)?اسبوع(?!\s+(?:ال|الماضي))"
            + r"|[وف]?(?:خلال|في)\s+(?:ال)?يومين\s+(?:الماضيين|الاخيرين|السابقين|المنصرمين))"
            + _E,
        ),
        (
            "past_hours",
            _B
            + r"(?:[وف]?(?:خلال|في)\s+)?(?:ال)?(?:(?P<hours>24|48|(?:ال)?اربع\s+وعشرين)\s+ساعه"
            + r"|ساعات\s+(?:ال)?(?P<hours2>24|48))\s+(?:الماضيه|الاخيره|المنصرمه)"
            + _E,
        ),
        (
            "hours_ago",
            _B
            + r"(?:[وف]?قبل\s+(?:ساعات|ساعه|ساعتين|قليل)|(?:[وف]?(?:خلال|في)\s+)?(?:ال)?ساعات\s+(?:الماضيه|الاخيره|القليله\s+الماضيه))"
            + _E,
        ),
        (
            "days_ago",
            _B
            + r"[وف]?قبل\s+(?:(?P<n>\d{1,2}|[^\s\d]+)\s+(?:ايام|يوما)|(?P<dual>يومين)|(?P<one>يوم)(?!\s+من))"
            + _E,
        ),
        ("weeks_ago", _B + r"[وف]?قبل\s+(?:(?P<wdual>اسبوعين)|(?P<wone>اسبوع))" + _E),
    ]
    return _Regexes(
        rules=tuple(_rule(k, p) for k, p in rules),
        since_before=re.compile(r"(?<!\w)[وف]?منذ\s+$"),
        not_today_after=re.compile(r"\s+(?:" + _alt(v.not_today_after) + r")" + _E),
    )


# ---------------------------------------------------------------------------
# Finding


def _g(m: re.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _month_of(name: str | None) -> int | None:
    if name is None:
        return None
    if name.isdigit():
        return int(name)
    return _vocab().months_day.get(_key(name))


def _weekday_of(name: str | None) -> int | None:
    if name is None:
        return None
    name = _key(name)
    wds = _vocab().weekdays
    if name in wds:
        return wds[name]
    return wds.get(name[1:])  # clitic و/ف/ب/ل


def _day_of(m: re.Match[str]) -> int | None:
    d = _g(m, "day")
    if d is not None:
        return int(d)
    w = _g(m, "dayw")
    return None if w is None else _vocab().day_ordinals.get(_key(w))


def _build(kind: str, m: re.Match[str], norm: str) -> TimeMatch | None:
    """Turn one regex match into a TimeMatch (None when the match is a false alarm)."""
    s, e, text = m.start(), m.end(), m.group(0)
    rel = _g(m, "rel")
    future = bool(rel and re.fullmatch(_NEXT, rel))
    wd = _weekday_of(_g(m, "wd"))
    if kind in ("explicit_date", "numeric_date", "iso_date"):
        day, month = _day_of(m), _month_of(_g(m, "mon"))
        year = int(m.group("year")) if _g(m, "year") else None
        if not (day and month and 1 <= month <= 12 and 1 <= day <= 31):
            return None
        return TimeMatch(s, e, "explicit_date", text, None, day, month, year, None, future)
    if kind == "day_rel_month":
        day = _day_of(m)
        if not day or day > 31:
            return None
        k = "day_last_month" if rel and re.fullmatch(_PAST, rel) else "day_this_month"
        return TimeMatch(s, e, k, text, None, day, None, None, None)
    if kind in ("month", "month_year"):
        year = int(m.group("year")) if _g(m, "year") else None
        if kind == "month" and not (_g(m, "cue") or rel or year):
            return None  # "مارس" alone is usually the verb
        return TimeMatch(
            s, e, "month", text, None, None, _month_of(m.group("mon")), year, None, future
        )
    if kind == "today":
        if m.group(0).startswith("ل") or _regexes().not_today_after.match(norm, e):
            return None  # "لليوم الثالث", "اليوم الوطني"
        if norm[max(0, s - 1) : s] == "«" and norm[e : e + 1] == "»":
            return None  # the newspaper «اليوم»
        return TimeMatch(s, e, "today", text, wd, offset_days=0)
    if kind == "yesterday":
        return TimeMatch(s, e, "yesterday", text, wd, offset_days=-1)
    if kind == "day_before_yesterday":
        return TimeMatch(s, e, kind, text, offset_days=-2)
    if kind == "tomorrow":
        return TimeMatch(s, e, kind, text, wd, offset_days=1, future=True)
    if kind == "part_of_day":
        target = _key(m.group("target"))
        part = _key(m.group("part"))
        if target.endswith("امس"):
            # After midnight "of yesterday" is the small hours of the report day.
            off = 0 if part.startswith("بعد منتصف") else -1
            return TimeMatch(s, e, kind, text, wd, offset_days=off)
        if target.endswith("اليوم"):
            if _regexes().not_today_after.match(norm, e):
                return None  # "صباح اليوم التالي": the morning of the next day
            return TimeMatch(s, e, kind, text, wd, offset_days=0)
        day = _weekday_of(target)
        second = _weekday_of(_g(m, "wd2"))
        if day is not None and second is not None:
            # "ليل السبت - الاحد": the night from Saturday into Sunday.
            return TimeMatch(s, e, kind, text, second if part.startswith("بعد منتصف") else day)
        if day is not None and part == "ليله":
            # "ليله الجمعه" is the eve of Friday, i.e. Thursday night.
            return TimeMatch(s, e, "eve", text, day, offset_days=-1)
        return TimeMatch(s, e, kind, text, day)
    if kind == "last_night":
        return TimeMatch(s, e, kind, text, offset_days=-1)
    if kind == "tonight":
        return TimeMatch(s, e, kind, text, offset_days=0)
    if kind == "weekday":
        if rel and re.fullmatch(_PAST, rel):
            return TimeMatch(s, e, kind, text, wd, offset_days=None, future=False, day=None)
        return TimeMatch(s, e, kind, text, wd, future=future)
    if kind == "last_month":
        return TimeMatch(s, e, kind, text)
    if kind == "this_month":
        return TimeMatch(s, e, kind, text)
    if kind == "last_week":
        return TimeMatch(s, e, kind, text, offset_days=-7)
    if kind == "this_week":
        return TimeMatch(s, e, kind, text, offset_days=0)
    if kind == "recent":
        return TimeMatch(s, e, kind, text, offset_days=-3)
    if kind == "span_days":
        off = -1 if "يومين" in text and not text.lstrip("وف").startswith("منذ") else 0
        return TimeMatch(s, e, kind, text, offset_days=off)
    if kind == "past_hours":
        return TimeMatch(s, e, kind, text, offset_days=-1)
    if kind == "hours_ago":
        return TimeMatch(s, e, kind, text, offset_days=0)
    if kind == "days_ago":
        if _g(m, "dual"):
            n: int | None = 2
        elif _g(m, "one"):
            n = 1
        else:
            n = parse_number_words([m.group("n")])
        if n is None or n > 31:
            return None
        return TimeMatch(s, e, kind, text, offset_days=-n)
    if kind == "weeks_ago":
        return TimeMatch(s, e, kind, text, offset_days=-14 if _g(m, "wdual") else -7)
    raise AssertionError(kind)  # pragma: no cover


_JOIN_RE = re.compile(r"[\s,(\-]*")
_EXPLICIT = frozenset({"explicit_date", "day_this_month", "day_last_month"})


def find_time_expressions(norm: str) -> list[TimeMatch]:
    """Every time expression in a normalised string, in text order, without overlaps.

    Explicit dates win over anything they overlap; otherwise the longest expression
    wins. An expression right after "منذ" ("منذ يوم الجمعه", "منذ صباح اليوم") is
    returned with kind ``"since"`` and the fields of the day it names.
    """
    rx = _regexes()
    cands: list[TimeMatch] = []
    for rule in rx.rules:
        if rule.needed is not None and rule.needed.search(norm) is None:
            continue
        kind = rule.kind
        for m in rule.pattern.finditer(norm):
            tm = _build(kind, m, norm)
            if tm is not None:
                cands.append(tm)
    cands.sort(key=lambda t: (t.kind not in _EXPLICIT, -(t.end - t.start), t.start))
    kept: list[TimeMatch] = []
    for t in cands:
        if all(t.end <= k.start or k.end <= t.start for k in kept):
            kept.append(t)
    out: list[TimeMatch] = []
    for t in sorted(kept, key=lambda t: t.start):
        prev = out[-1] if out else None
        if (
            prev is not None
            and t.kind == "explicit_date"
            and prev.kind == "weekday"
            and _JOIN_RE.fullmatch(norm, prev.end, t.start)
        ):
            # "الاحد 19 يوليو": one date; the weekday only confirms it.
            out[-1] = TimeMatch(
                prev.start,
                t.end,
                t.kind,
                norm[prev.start : t.end],
                prev.weekday,
                t.day,
                t.month,
                t.year,
                None,
                t.future,
            )
            continue
        sm = rx.since_before.search(norm, max(0, t.start - 16), t.start)
        if sm and PRECISION[t.kind] == 1 and t.kind not in ("days_ago", "hours_ago"):
            t = TimeMatch(
                sm.start(),
                t.end,
                "since",
                norm[sm.start() : t.end],
                t.weekday,
                t.day,
                t.month,
                t.year,
                t.offset_days,
                t.future,
            )
        out.append(t)
    return out


# ---------------------------------------------------------------------------
# Resolving


def _weekday_on_or_before(ref: dt.date, weekday: int, strictly: bool = False) -> dt.date:
    back = (ref.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return ref - dt.timedelta(days=back)


def _weekday_after(ref: dt.date, weekday: int) -> dt.date:
    ahead = (weekday - ref.weekday()) % 7 or 7
    return ref + dt.timedelta(days=ahead)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not (1 <= month <= 12):
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return dt.date(year, month, day)


def _infer_year(month: int, published: dt.date, future: bool) -> int:
    """A month after the publication month is last year's (unless said to be coming)."""
    if future:
        return published.year + 1 if month < published.month else published.year
    return published.year - 1 if month > published.month else published.year


def _prev_month(d: dt.date) -> tuple[int, int]:
    return (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)


_Resolver = Callable[[TimeMatch, dt.date], "dt.date | None"]


def _resolve_explicit(t: TimeMatch, pub: dt.date | None) -> dt.date | None:
    assert t.day is not None and t.month is not None
    if t.year is not None:
        return _safe_date(t.year, t.month, t.day)
    if pub is None:
        return None
    return _safe_date(_infer_year(t.month, pub, t.future), t.month, t.day)


def resolve(match: TimeMatch, published: dt.date | None) -> tuple[dt.date | None, int]:
    """The calendar day ``match`` refers to and its time_precision (1, 2 or 3).

    Relative expressions need ``published``; without it they give ``(None, 3)``.
    A full explicit date ("3 يونيو 2015") resolves without it. A date that does not
    exist (31 June) gives ``(None, 3)``.
    """
    prec = PRECISION.get(match.kind, 3)
    t = match
    if t.day is not None and t.month is not None:
        d = _resolve_explicit(t, published)
        return (d, prec) if d else (None, 3)
    if published is None:
        if t.kind == "month" and t.month and t.year:
            return dt.date(t.year, t.month, 15), 3
        return None, 3
    pub = published
    if t.kind in ("day_this_month", "day_last_month", "since") and t.day is not None:
        y, mo = (pub.year, pub.month) if t.kind != "day_last_month" else _prev_month(pub)
        d = _safe_date(y, mo, t.day)
        return (d, prec) if d else (None, 3)
    if t.kind == "month" and t.month:
        year = t.year if t.year is not None else _infer_year(t.month, pub, t.future)
        d = dt.date(year, t.month, 15)
        return (min(d, pub) if (year, t.month) == (pub.year, pub.month) else d), 3
    if t.kind == "last_month":
        y, mo = _prev_month(pub)
        return dt.date(y, mo, 15), 3
    if t.kind == "this_month":
        return min(dt.date(pub.year, pub.month, 15), pub), 3
    if t.kind == "eve" and t.weekday is not None:
        return _weekday_on_or_before(pub, t.weekday) - dt.timedelta(days=1), prec
    if t.weekday is not None and not t.future and t.kind != "tomorrow":
        strictly = t.kind == "weekday" and bool(re.search(_PAST + _E, t.text))
        return _weekday_on_or_before(pub, t.weekday, strictly), prec
    if t.weekday is not None and t.future and t.offset_days is None:
        return _weekday_after(pub, t.weekday), prec
    if t.offset_days is not None:
        return pub + dt.timedelta(days=t.offset_days), prec
    return None, 3
