"""Time expressions and their resolution (marsad.text.dates).

Phrases come from the articles of shared/data/gold-train and gold-dev; expected dates
follow spec/EVENTS.md §3 and the conventions in the gold NOTES.md files.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from marsad.text.arabic import normalize
from marsad.text.dates import PRECISION, TimeMatch, find_time_expressions, resolve

THU = dt.date(2015, 8, 6)  # a Thursday


def times(text: str) -> list[TimeMatch]:
    return find_time_expressions(normalize(text))


def one(text: str) -> TimeMatch:
    found = times(text)
    assert len(found) == 1, found
    return found[0]


def resolved(text: str, published: dt.date | None = THU) -> tuple[str | None, int]:
    d, p = resolve(one(text), published)
    return (d.isoformat() if d else None), p


# --- day words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("قتل 14 جنديا أفغانيا على الأقل أمس في غارة", "yesterday", ("2015-08-05", 1)),
        ("وقال بالأمس", "yesterday", ("2015-08-05", 1)),
        (
            "بعد استعادة قاعدة العند الجوية الاستراتيجية أول من أمس",
            "day_before_yesterday",
            ("2015-08-04", 1),
        ),
        ("سيطرت أول أمس على القاعدة", "day_before_yesterday", ("2015-08-04", 1)),
        ("في وقت متأخر أمس الأول", "day_before_yesterday", ("2015-08-04", 1)),
        (
            "أعلن الأمن المصري استشهاد ضابط وثلاثة مجندين، الليلة قبل الماضية، فى تفجير عبوة",
            "day_before_yesterday",
            ("2015-08-04", 1),
        ),
        ("قوة عسكرية كبيرة اتجهت من عدن اليوم نحو محافظة أبين", "today", ("2015-08-06", 1)),
        ("وشنت الجبهة هجوما في المنطقة الليلة الماضية", "last_night", ("2015-08-05", 1)),
        ("ستعقد الليلة", "tonight", ("2015-08-06", 1)),
        ("يصل غدا", "tomorrow", ("2015-08-07", 1)),
    ],
)
def test_day_words(text: str, kind: str, expected: tuple[str, int]) -> None:
    assert one(text).kind == kind
    assert resolved(text) == expected


def test_today_with_weekday_is_that_weekday() -> None:
    # gold-dev snn-21925: published Thu 2015-08-06, "اليوم الثلاثاء" = 2015-08-04.
    m = one("سيطرت المقاومة اليوم الثلاثاء على الحوطة")
    assert (m.kind, m.weekday) == ("today", 1)
    assert resolved("سيطرت المقاومة اليوم الثلاثاء على الحوطة") == ("2015-08-04", 1)


def test_today_in_parentheses() -> None:
    text = "نفذ الائتلاف الدولي بقيادة اميركية اليوم (الجمعة) غارات جوية"
    assert one(text).weekday == 4
    assert resolved(text, dt.date(2015, 7, 31)) == ("2015-07-31", 1)
    text = "يتزامن ذلك مع توجه أوغلو، اليوم (الثلاثاء)، الى شانلي اورفة"
    assert resolved(text, dt.date(2015, 7, 21)) == ("2015-07-21", 1)


def test_yesterday_with_weekday() -> None:
    # gold-dev snn-05322: published Thu 2015-07-23, "أمس الأربعاء" = 2015-07-22.
    assert resolved("قال أمس الأربعاء", dt.date(2015, 7, 23)) == ("2015-07-22", 1)


def test_today_that_is_not_today() -> None:
    assert times("تجددت الاحتجاجات لليوم الثالث على التوالي") == []
    assert times("في اليوم الثالث من المعارك") == []
    assert times("احتفالات اليوم الوطني") == []
    assert times("وقال مصدر لـ«اليوم» إن") == []
    # a part of "the next day" is not this morning
    assert times("حظر التجوال من السابعة مساء حتى السادسة من صباح اليوم التالي") == []


# --- parts of the day ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قوة عسكرية اتجهت من عدن عصر اليوم نحو أبين", "2015-08-06"),
        ("أطلق فجر أمس المرحلة الثانية", "2015-08-05"),
        ("فرقت الشرطة مساء الجمعة مئات المتظاهرين", "2015-07-31"),
        ("صباح الاثنين", "2015-08-03"),
        ("في ساعة مبكرة من صباح الاثنين", "2015-08-03"),
        ("مساء أمس الأربعاء", "2015-08-05"),
        ("ظهر اليوم", "2015-08-06"),
        ("عشية اليوم", "2015-08-06"),
        ("ليلة امس", "2015-08-05"),
        ("ليل أمس", "2015-08-05"),
        # gold-dev snn-13351: "بعد منتصف ليل أمس" is the small hours of the report day.
        ("بعد منتصف ليل أمس", "2015-08-06"),
    ],
)
def test_parts_of_the_day(text: str, expected: str) -> None:
    assert one(text).kind == "part_of_day"
    assert resolved(text) == (expected, 1)


def test_night_of_a_weekday() -> None:
    sat = dt.date(2015, 8, 1)
    # "ليلة الجمعة" is the eve of Friday (Thursday night).
    assert one("قصف ليلة الجمعة").kind == "eve"
    assert resolved("قصف ليلة الجمعة", THU) == ("2015-07-30", 1)
    assert resolved("قصف ليلة السبت", sat) == ("2015-07-31", 1)
    # The night from Saturday into Sunday; after midnight it is Sunday.
    assert resolved("ليل السبت - الأحد", dt.date(2015, 7, 27)) == ("2015-07-25", 1)
    assert resolved("بعد منتصف ليل السبت- الأحد", dt.date(2015, 7, 27)) == ("2015-07-26", 1)


# --- weekdays ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # gold-dev snn-05322: "يوم الأحد الماضي", published Thu 2015-07-23 → Sun 07-19.
        ("اختطف أربعة إيطاليين يوم الأحد الماضي", dt.date(2015, 7, 23), "2015-07-19"),
        ("قالت الشرطة الخميس", THU, "2015-08-06"),
        ("يوم الخميس", THU, "2015-08-06"),
        ("الخميس الماضي", THU, "2015-07-30"),
        ("الأربعاء", THU, "2015-08-05"),
        ("والسبت", THU, "2015-08-01"),
        ("يوم الإثنين", dt.date(2015, 8, 11), "2015-08-10"),
        ("الجمعة", THU, "2015-07-31"),
    ],
)
def test_weekdays(text: str, published: dt.date, expected: str) -> None:
    assert one(text).kind == "weekday"
    assert resolved(text, published) == (expected, 1)


def test_future_weekday() -> None:
    m = one("يجتمع السبت المقبل")
    assert m.future
    assert resolved("يجتمع السبت المقبل") == ("2015-08-08", 1)
    assert resolved("بداية من يوم غد الجمعة", dt.date(2017, 1, 5)) == ("2017-01-06", 1)


def test_since_a_weekday() -> None:
    m = one("اختطافهم منذ يوم الجمعة")
    assert (m.kind, m.weekday) == ("since", 4)
    assert resolved("اختطافهم منذ يوم الجمعة", dt.date(2015, 6, 14)) == ("2015-06-12", 1)
    assert resolved("منذ صباح اليوم", dt.date(2016, 1, 7)) == ("2016-01-07", 1)


# --- explicit dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("في 27 ديسمبر", dt.date(2016, 1, 2), "2015-12-27"),
        ("في 20 تموز", dt.date(2015, 7, 24), "2015-07-20"),
        ("يوم 7 جانفي", dt.date(2017, 1, 9), "2017-01-07"),
        ("في 3 يونيو/حزيران 2015", None, "2015-06-03"),
        ("في 10 يوليو/تموز في أجواء من التوتر", dt.date(2015, 7, 21), "2015-07-10"),
        ("الأحد 19 يوليو", dt.date(2015, 7, 21), "2015-07-19"),
        ("يوم الجمعة 30 ديسمبر 2016", dt.date(2017, 1, 5), "2016-12-30"),
        ("ليلة 31 ديسمبر الفارط", dt.date(2017, 1, 2), "2016-12-31"),
        ("منذ دخوله الموصل في 10 حزيران/يونيو من العام الماضي", dt.date(2015, 7, 22), "2015-06-10"),
        ("المؤرخ في 7 أوت 2015", dt.date(2017, 1, 2), "2015-08-07"),
        ("في 28 يونيو عام 2014", dt.date(2015, 7, 22), "2014-06-28"),
        ("في العاشر من يوليو (تموز)", dt.date(2015, 7, 22), "2015-07-10"),
        ("في 5 أيار", dt.date(2015, 7, 22), "2015-05-05"),
        ("في 15 آب", dt.date(2015, 8, 20), "2015-08-15"),
        ("في 1 تشرين الأول", dt.date(2015, 10, 20), "2015-10-01"),
        ("في 9 كانون الثاني", dt.date(2015, 1, 20), "2015-01-09"),
        ("7 ماي", dt.date(2016, 5, 20), "2016-05-07"),
        ("27/12/2015", None, "2015-12-27"),
        ("2015-07-20", None, "2015-07-20"),
    ],
)
def test_explicit_dates(text: str, published: dt.date | None, expected: str) -> None:
    m = one(text)
    assert m.kind == "explicit_date"
    assert resolved(text, published) == (expected, 1)


def test_weekday_and_date_are_one_expression() -> None:
    m = one("يشهد مقر ولاية المهدية الإثنين 3 أوت 2015 احتجاجات")
    assert (m.weekday, m.day, m.month, m.year) == (0, 3, 8, 2015)


def test_month_after_publication_month_is_last_year() -> None:
    assert resolved("في 27 ديسمبر", dt.date(2016, 1, 2)) == ("2015-12-27", 1)
    assert resolved("في 27 نوفمبر", dt.date(2016, 11, 30)) == ("2016-11-27", 1)


def test_day_of_the_current_month() -> None:
    assert one("في 15 من الشهر الجاري").kind == "day_this_month"
    assert resolved("في 15 من الشهر الجاري", dt.date(2015, 8, 20)) == ("2015-08-15", 1)
    assert resolved("حتى الخامس من الشهر الجاري", dt.date(2015, 8, 8)) == ("2015-08-05", 1)
    assert resolved("في 28 من الشهر الماضي", dt.date(2015, 8, 8)) == ("2015-07-28", 1)
    text = "منذ الرابع من الشهر الجاري في محاولة للسيطرة على المدينة"
    assert resolved(text, dt.date(2015, 7, 27)) == ("2015-07-04", 1)


def test_explicit_date_without_year_needs_publication() -> None:
    assert resolved("في 27 ديسمبر", None) == (None, 3)
    assert resolved("في 31 حزيران 2015", None) == (None, 3)  # no such day


# --- months and relative spans ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("في أوت 2013", dt.date(2016, 12, 15), ("2013-08-15", 3)),
        ("طالب لجوء في شهر أوت 2015", dt.date(2017, 3, 12), ("2015-08-15", 3)),
        (
            "التي أنهت في ديسمبر (كانون الأول) الماضي مهمتها",
            dt.date(2015, 7, 21),
            ("2014-12-15", 3),
        ),
        ("خلال شهر يوليو", dt.date(2015, 8, 6), ("2015-07-15", 3)),
        ("خلال شهر أغسطس", dt.date(2015, 8, 6), ("2015-08-06", 3)),
    ],
)
def test_months(text: str, published: dt.date, expected: tuple[str, int]) -> None:
    assert one(text).kind == "month"
    assert resolved(text, published) == expected


def test_bare_month_name_is_not_a_date() -> None:
    # "مارس" is also the verb "practised".
    assert times("مارس ضغوطا كبيرة على الحكومة") == []


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("ألقت القبض الشهر الماضي على هذا التونسي", "last_month", ("2015-07-15", 3)),
        ("مطلع الشهر الحالي", "this_month", ("2015-08-06", 3)),
        ("زار إسرائيل الأسبوع الماضي", "last_week", ("2015-07-30", 2)),
        ("خلال الأسبوع الماضي", "last_week", ("2015-07-30", 2)),
        ("مطلع الأسبوع الجاري", "this_week", ("2015-08-06", 2)),
        ("بعد أن استعادتها قبل أيام", "recent", ("2015-08-03", 2)),
        ("فجر التنظيم الملعب مؤخرا", "recent", ("2015-08-03", 2)),
        ("اشتباكات في الأيام القليلة الماضية", "recent", ("2015-08-03", 2)),
        ("خلال الأيام الماضية", "recent", ("2015-08-03", 2)),
        ("قوات روسية تنتشر فيها منذ أيام", "span_days", ("2015-08-06", 2)),
        ("اشتباكات عنيفة يخوضها منذ أسبوع", "span_days", ("2015-08-06", 2)),
        ("خلال الأسبوع", "span_days", ("2015-08-06", 2)),
        ("خلال اليومين الماضيين", "span_days", ("2015-08-05", 2)),
        ("خلال اليومين السابقين", "span_days", ("2015-08-05", 2)),
        ("خلال الـ24 ساعة الماضية", "past_hours", ("2015-08-05", 1)),
        ("هاجمته عناصر مسلحة قبل يومين أثناء عمليات إنشائه", "days_ago", ("2015-08-04", 1)),
        ("قبل ثلاثة أيام", "days_ago", ("2015-08-03", 1)),
        ("قبل 5 أيام", "days_ago", ("2015-08-01", 1)),
        ("قبل ساعات", "hours_ago", ("2015-08-06", 2)),
        ("في الساعات الأخيرة", "hours_ago", ("2015-08-06", 2)),
        ("قبل أسبوعين", "weeks_ago", ("2015-07-23", 2)),
    ],
)
def test_relative(text: str, kind: str, expected: tuple[str, int]) -> None:
    m = one(text)
    assert m.kind == kind
    assert resolved(text) == expected


def test_gold_dev_hama_24_hours() -> None:
    # gold-dev seed-hama-2017: published 2017-03-24, "خلال الـ24 ساعة الماضية" → 03-23 p1.
    text = 'سجلت منظمة "أنقذوا الأطفال" فرار 10 آلاف مدني على الأقل، خلال الـ24 ساعة الماضية'
    assert resolved(text, dt.date(2017, 3, 24)) == ("2017-03-23", 1)


def test_no_publication_date() -> None:
    for text in ("أمس", "الأسبوع الماضي", "قبل أيام", "يوم الأحد", "الشهر الماضي"):
        assert resolved(text, None) == (None, 3), text
    assert resolved("في يونيو 2015", None) == ("2015-06-15", 3)


def test_offsets_and_text() -> None:
    norm = normalize("وقال مصدر أمس إن الاشتباكات اندلعت فجر اليوم الجمعة.")
    found = find_time_expressions(norm)
    assert [norm[t.start : t.end] for t in found] == ["امس", "فجر اليوم الجمعه"]
    assert [t.text for t in found] == ["امس", "فجر اليوم الجمعه"]
    assert found[1].weekday == 4


def test_every_kind_has_a_precision() -> None:
    assert set(PRECISION.values()) == {1, 2, 3}


def test_on_the_corpus(shared: Path) -> None:
    """Runs fast on real articles and every expression resolves without error."""
    path = shared / "data" / "corpora" / "saudinewsnet.jsonl.gz"
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 300:
                break
            d = json.loads(line)
            docs.append((normalize(d["text"]), dt.date.fromisoformat(d["published"][:10])))
    found = [(t, pub) for text, pub in docs for t in find_time_expressions(text)]
    assert len(found) > 300
    for t, pub in found:
        assert t.kind in PRECISION
        date, precision = resolve(t, pub)
        assert precision in (1, 2, 3)
        if date is not None and t.month is None and t.year is None and not t.future:
            # Relative expressions never point more than ~7 weeks from publication.
            assert abs((date - pub).days) <= 50, (t, pub)


# --- the times/v1 stage --------------------------------------------------------


def test_times_stage_resolves_against_publication() -> None:
    import marsad.text.number_stages  # noqa: F401  (registers times/v1)
    from marsad.doc import Doc, DocMeta
    from marsad.pipeline import Pipeline

    text = "أعلن الجيشُ أمسِ الأربعاءَ سيطرته، بعد معارك بدأت قبل أيام، وفي ٢٧ ديسمبر"
    pipe = Pipeline(["normalize/v1", "times/v1"])
    doc = pipe(Doc(text, DocMeta("t1", published=dt.date(2015, 7, 23))))
    spans = doc.spans("TIME")
    assert [s.text_of(doc) for s in spans] == ["أمسِ الأربعاءَ", "قبل أيام", "٢٧ ديسمبر"]
    assert [(s.attrs["kind"], s.attrs["date"], s.attrs["precision"]) for s in spans] == [
        ("yesterday", "2015-07-22", 1),
        ("recent", "2015-07-20", 2),
        ("explicit_date", "2014-12-27", 1),
    ]
    assert spans[0].attrs["text"] == "امس الاربعاء"
    assert spans[0].attrs["weekday"] == 2

    undated = pipe(Doc(text, DocMeta("t2")))
    assert [(s.attrs["date"], s.attrs["precision"]) for s in undated.spans("TIME")] == [
        (None, 3),
        (None, 3),
        (None, 3),
    ]
