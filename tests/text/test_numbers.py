"""Numbers in normalised Arabic text (marsad.text.numbers).

Most phrases are taken from the articles of shared/data/gold-train and gold-dev.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from marsad.text.arabic import normalize
from marsad.text.numbers import KINDS, NumberMatch, find_numbers, parse_number_words


def nums(text: str) -> list[tuple[str, int, str]]:
    """(normalised words, value, kind) of every number in ``text``."""
    norm = normalize(text)
    return [(norm[m.start : m.end], m.value, m.kind) for m in find_numbers(norm)]


def one(text: str) -> NumberMatch:
    found = find_numbers(normalize(text))
    assert len(found) == 1, found
    return found[0]


def counts(text: str) -> list[int]:
    return [m.value for m in find_numbers(normalize(text)) if m.kind == "count"]


# --- digits and scale words -------------------------------------------------


def test_ten_thousand_civilians_fled() -> None:
    m = one("فرار 10 آلاف مدني")
    assert (m.value, m.kind, m.vague) == (10000, "count", False)
    norm = normalize("فرار 10 آلاف مدني")
    assert norm[m.start : m.end] == "10 الاف"


def test_gold_dev_displacement_sentence_has_at_least() -> None:
    text = 'سجلت منظمة "أنقذوا الأطفال" فرار 10 آلاف مدني على الأقل، خلال الـ24 ساعة الماضية'
    found = nums(text)
    assert found == [("10 الاف", 10000, "count"), ("ال24", 24, "duration")]
    assert find_numbers(normalize(text))[0].at_least


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("مقتل 3 ملايين", 3_000_000),
        ("نزوح 2.5 مليون شخص", 2_500_000),
        ("أكثر من 10,000 لاجئ", 10_000),
        ("نحو 1.500 مقاتل", 1_500),
        ("بينهم أربعة آلاف تم التعرف", 4_000),
        ("ويستوعب ثلاثة آلاف مصل", 3_000),
        ("مقابل 15 ألفا و615 عضوا", 15_615),
        ("لجنة للتحقيق بأكثر من أربعين ألفا عدد الذين ماتوا", 40_000),
        ("التي قتل فيها ثمانية آلاف رجل وصبي", 8_000),
        ("أكثر من مائتي صاروخ", 200),
        ("ألفين ومئتي شخص", 2_200),
    ],
)
def test_digits_and_scales(text: str, value: int) -> None:
    assert counts(text) == [value]


# --- number words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("قتل واحد من المسلحين", 1),
        ("لأسرة واحدة", 1),
        ("قتل اثنان من الجنود", 2),
        ("فقتلوا اثنين منهم", 2),
        ("اختطاف اثنتين من الممرضات", 2),
        ("نجت اثنتان منهن", 2),
        ("وصول ثلاثة أفواج عسكرية", 3),
        ("ثلاث غارات", 3),
        ("مقتل خمسة أشخاص على الأقل", 5),
        ("بعد تفكيك سبعة ألغام", 7),
        ("لقي عشرة جنود مصرعهم", 10),
        ("خلال سنوات الزواج العشر", 10),
        ("مقتل أحد عشر جنديا", 11),
        ("إحدى عشرة امرأة", 11),
        ("اثنا عشر مسلحا", 12),
        ("اثنتي عشرة قذيفة", 12),
        ("تل ثمانية عشر حوثيا", 18),
        ("عشرون قتيلا", 20),
        ("مقتل خمسة وعشرين شخصا", 25),
        ("وخمسة وعشرين", 25),
        ("تسعين مدنيا", 90),
        ("مئة شخص", 100),
        ("مائة جندي", 100),
        ("مئتان من العناصر", 200),
        ("مئتين من العناصر", 200),
        ("ثلاثمئة مقاتل", 300),
        ("ثلاث مئة مقاتل", 300),
        ("خمسمائة وثلاثة عشر", 513),
        ("ألف شخص", 1_000),
        ("ألفا شخص", 1_000),
        ("نحو ألفين من المحتجين", 2_000),
        ("عشرين ألفا", 20_000),
        ("مليون لاجئ", 1_000_000),
    ],
)
def test_number_words(text: str, value: int) -> None:
    assert counts(text) == [value]


def test_clitics_on_number_words() -> None:
    assert counts("والعشرين، وبخمسة، ولثلاثة، للعشرات") == [20, 5, 3, 10]


def test_verb_and_words_that_only_look_like_numbers() -> None:
    # "أثنى على" (praised), "لست" (I am not), "كمية" (quantity): no numbers.
    assert nums("كما أثنى على نتائج اجتماع وزراء الخارجية") == []
    assert nums("لست أدري") == []
    assert nums("وضع حد أعلى لكمية مجمل الدهون") == []
    # "الاثنين" with the article is Monday; "أحد الجنود" is one soldier.
    assert counts("قال يوم الاثنين إن أحد الجنود قتل") == [1]


def test_parse_number_words() -> None:
    assert parse_number_words(["خمسه", "وعشرين"]) == 25
    assert parse_number_words(["10", "الاف"]) == 10_000
    assert parse_number_words(["ثلاث", "ميه"]) == 300
    assert parse_number_words(["ثلاثه", "الاف", "وخمسميه"]) == 3_500
    assert parse_number_words(["احد", "عشر"]) == 11
    assert parse_number_words(["عشرات"]) == 10
    assert parse_number_words(["عشرات", "الالاف"]) == 10_000
    assert parse_number_words(["خمسه", "سته"]) is None
    assert parse_number_words(["احد"]) is None
    assert parse_number_words(["عده"]) is None
    assert parse_number_words(["قتلي"]) is None
    assert parse_number_words([]) is None


# --- duals ------------------------------------------------------------------


def test_duals_of_people_nouns() -> None:
    m = one("قال مسعفون إن جنديين ليبيين قتلا")
    assert (m.value, m.vague, m.kind) == (2, False, "count")
    assert counts("قال مسعفون إن جنديين ليبيين قتلا وأصيب عشرة بجروح") == [2, 10]
    assert counts("سقط قتيلان") == [2]
    assert counts("وقتيلين") == [2]
    assert counts("التحرش بفتاتين في أحد متنزهات جدة") == [2]
    assert counts("إصابة امرأتين") == [2]


def test_dual_followed_by_two_is_one_number() -> None:
    text = "إن انتحاريين اثنين اخترقا تجمعا وجنديين اثنين"
    assert [(w, v) for w, v, _ in nums(text)] == [("اثنين", 2), ("وجنديين اثنين", 2)]


def test_one_of_a_group() -> None:
    assert counts("وقتل أحد العناصر الإرهابية المشاركة في الهجوم") == [1]
    assert counts("وقامت القوات بالرد الفوري وتصفية أحدهما") == [1]
    assert counts("مقتل إحدى السيدات") == [1]
    # Sunday, "one of the most prominent", and the teen are not "one of".
    assert nums("يوم الأحد الماضي") == []
    assert nums("أحد أبرز القادة") == []
    assert counts("أحد عشر جنديا") == [11]


def test_sound_plurals_are_not_duals() -> None:
    # مدنيين/مسلحين are plurals as often as duals: no number.
    assert nums("قتل مدنيين ومسلحين") == []


# --- vague amounts (EVENTS.md) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("بعد يومين من المعارك أسفرت عن عشرات القتلى والجرحى", 10),
        ("قتل 18 شخصا وأصيب العشرات بجروح", 10),
        ("كما استسلم العشرات من الجنود للثوار", 10),
        ("عدة عشرات من المسلحين", 12),
        ("بضع عشرات من المحتجين", 12),
        ("تسببت المعارك بنزوح مئات العائلات", 100),
        ("دعا إليها المئات من المثقفين", 100),
        ("الذي أوقع آلاف القتلى والمصابين", 1_000),
        ("وتدفق تونسيون بالآلاف الى صفاقس", 1_000),
        ("التي شارك فيها عشرات الآلاف للاحتجاج", 10_000),
        ("نزوح مئات الآلاف", 100_000),
    ],
)
def test_vague_amounts(text: str, value: int) -> None:
    found = [m for m in find_numbers(normalize(text)) if m.vague]
    assert [m.value for m in found] == [value]
    assert found[0].kind == "count"


def test_several_and_a_number_of_are_not_numbers() -> None:
    assert nums("مقتل عدد من عناصر الأمن") == []
    assert nums("وإصابة عدة أشخاص") == []
    assert nums("قتل العديد من المدنيين") == []


# --- qualifiers ---------------------------------------------------------------


def test_at_least_before_and_after() -> None:
    assert one("قتل 14 جنديا أفغانيا على الأقل أمس").at_least
    assert one("أدى إلى مقتل 28 من مسلحي التنظيم على الأقل").at_least
    assert one("أكثر من 200 معلم").at_least
    assert one("ما لا يقل عن 37 شخصا").at_least
    assert not one("مصرع 12 جنديا").at_least
    found = find_numbers(normalize("أوقع أمس 30 قتيلا على الأقل و100 جريح"))
    assert [(m.value, m.at_least) for m in found] == [(30, True), (100, False)]


def test_approximate() -> None:
    for text in (
        "قالت في بيان رسمي إن نحو 150 حوثيا قتلوا",
        "قرابة 70 تونسيا",
        "فإن حوالي 10 آلاف شخص تجمعوا",
        "بلغ عددهم نحو خمسة آلاف",
        "وحوالي 30 قتيلا",
    ):
        found = [m for m in find_numbers(normalize(text)) if m.kind == "count"]
        assert len(found) == 1 and found[0].approx, text
    assert not one("مقتل 37 شخصا").approx


# --- kinds that are not head counts --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("منذ اندلعت المعارك في أكتوبر 2014", [("2014", 2014, "year")]),
        ("في 27 ديسمبر", [("27", 27, "date")]),
        ("في 10 حزيران/يونيو من العام الماضي", [("10", 10, "date")]),
        ("ليلة 31 ديسمبر الفارط", [("31", 31, "date")]),
        ("في 15 من الشهر الجاري", [("15", 15, "date")]),
        ("27/12/2015", [("27", 27, "date"), ("12", 12, "date"), ("2015", 2015, "date")]),
        ("الساعة 3", [("3", 3, "time")]),
        ("المرحلة الثانية", [("الثانيه", 2, "ordinal")]),
        ("الحي الثاني", [("الثاني", 2, "ordinal")]),
        ("القرن التاسع عشر", [("التاسع عشر", 19, "ordinal")]),
        ("خلال الـ24 ساعة الماضية", [("ال24", 24, "duration")]),
        ("منذ قرابة اربعة اشهر", [("اربعه", 4, "duration")]),
        ("ارتفعت بنسبة 20 في المئة", [("20", 20, "percent")]),
        ("بنسبة 15%", [("15", 15, "percent")]),
        ("غرامة مالية 3 آلاف يورو", [("3 الاف", 3000, "money")]),
        ("على بعد نحو 20 كيلومترا من المريسة", [("20", 20, "measure")]),
        ("مقاتلي الفرقة 30", [("30", 30, "id")]),
    ],
)
def test_kinds(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert nums(text) == expected


def test_year_range_number_with_people_noun_is_a_count() -> None:
    assert nums("قتل 2000 شخص") == [("2000", 2000, "count")]
    assert nums("عام 2015") == [("2015", 2015, "year")]


def test_every_kind_is_declared() -> None:
    text = (
        "قتل 5 أشخاص عام 2015 في 27 ديسمبر الساعة 3 في المرحلة الثانية خلال 24 ساعة "
        "بنسبة 20% و5 آلاف دولار على بعد 4 كيلومترات من الفرقة 30"
    )
    kinds = {m.kind for m in find_numbers(normalize(text))}
    assert kinds == set(KINDS)


def test_offsets_point_into_the_normalised_string() -> None:
    norm = normalize("وقتل خمسة وعشرين شخصا، وأصيب 16 آخرين.")
    found = find_numbers(norm)
    assert [norm[m.start : m.end] for m in found] == ["خمسه وعشرين", "16"]


def test_speed_on_the_corpus(shared: Path) -> None:
    path = shared / "data" / "corpora" / "saudinewsnet.jsonl.gz"
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 300:
                break
            texts.append(normalize(json.loads(line)["text"]))
    total = sum(len(find_numbers(t)) for t in texts)
    assert total > 1000


# --- the numbers/v1 stage ------------------------------------------------------


def test_numbers_stage_maps_to_original_offsets() -> None:
    import marsad.text.number_stages  # noqa: F401  (registers numbers/v1)
    from marsad.doc import Doc, DocMeta
    from marsad.pipeline import Pipeline

    text = "سجّلت المنظمة فرار ١٠ آلافٍ مدنيٍّ على الأقل، وقُتِل خمسةٌ وعشرون، في المرحلة الثانيةِ"
    doc = Pipeline(["normalize/v1", "numbers/v1"])(Doc(text, DocMeta("t1")))
    spans = doc.spans("NUM")
    assert [s.text_of(doc) for s in spans] == ["١٠ آلافٍ", "خمسةٌ وعشرون", "الثانيةِ"]
    assert [s.attrs["value"] for s in spans] == [10000, 25, 2]
    assert spans[0].attrs == {
        "value": 10000,
        "approx": False,
        "vague": False,
        "at_least": True,
        "kind": "count",
    }
    assert spans[2].attrs["kind"] == "ordinal"


def test_numbers_stage_skips_boilerplate() -> None:
    from marsad.doc import Doc, DocMeta, Span
    from marsad.pipeline import Resources
    from marsad.text.number_stages import NumberMentions

    text = "قتل 5 أشخاص\nاقرأ أيضا: مقتل 7 جنود"
    doc = Doc(text, DocMeta("t2"), boilerplate=[Span(12, len(text), "BOILER")])
    doc = NumberMentions(Resources())(doc)
    assert [s.attrs["value"] for s in doc.spans("NUM")] == [5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وقتل ضابطا شرطة في هجوم بمدينة شانلي أورفا", [("ضابطا", 2)]),
        ("وأصيب عنصري الأمن بجروح طفيفة", [("عنصري", 2)]),
        # a singular in the accusative, with tanwin alif, is one, not a dual
        ("قتل المسلحون ضابطا أمس", []),
        ("قتل ضابطا في الشرطة", []),
    ],
)
def test_dual_in_a_construct_before_a_force(text: str, expected: list[tuple[str, int]]) -> None:
    norm = normalize(text)
    assert [(norm[m.start : m.end], m.value) for m in find_numbers(norm)] == [
        (normalize(w), v) for w, v in expected
    ]
