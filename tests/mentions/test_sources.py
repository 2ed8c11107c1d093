"""``sources/v1`` on real Arabic news sentences (SaudiNewsNet and Jawhara FM)."""

from __future__ import annotations

import pytest

from marsad.doc import Doc, DocMeta
from marsad.errors import DataError
from marsad.mentions.sources import SourceLexicon, dateline_agency, sources_for
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(["clean/v1", "normalize/v1", "segment/v1", "actors/v1", "sources/v1"])


def run(pipe: Pipeline, text: str) -> Doc:
    return pipe(Doc(text=text, meta=DocMeta(doc_id="t")))


def found(doc: Doc) -> list[tuple[str, str]]:
    return [(s.attrs["text"], s.attrs["cue"]) for s in doc.spans("SOURCE")]


def test_preposition_after_the_clause_and_verb_in_next_paragraph(pipe: Pipeline) -> None:
    text = (
        "تعرضت قرى درعا الواقعة تحت سيطرة مقاتلي المعارضة لقصف عنيف بالبراميل المتفجرة، "
        "بحسب ناشطين محليين، بعد هجوم شنته المعارضة على مواقعه في درعا، أمس.\n"
        "وقال ناشطون سوريون: إن غالبية قرى ريف درعا الواقعة تحت سيطرة الجيش الحر، تعرضت "
        "لقصف عنيف في الساعات الأخيرة."
    )
    doc = run(pipe, text)
    assert found(doc) == [("ناشطين محليين", "بحسب"), ("ناشطون سوريون", "قال")]
    first, second = doc.spans("SOURCE")
    assert doc.text[first.start : first.end] == "ناشطين محليين"
    # the attribution governs the whole sentence, including the words before the cue
    assert first.attrs["scope"][0] == 0
    assert first.attrs["scope"][1] <= text.index("\n")
    assert second.attrs["scope"][0] == text.index("\n") + 1
    barrels = text.index("لقصف عنيف بالبراميل")
    assert sources_for(doc, barrels, barrels + 10) == ["ناشطين محليين"]
    villages = text.index("غالبية قرى")
    assert sources_for(doc, villages, villages + 10) == ["ناشطون سوريون"]


def test_observatory_after_bihasab_ma_afada_bihi(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وتجددت المعارك العنيفة في مدينة درعا إثر هجوم شنه مقاتلو المعارضة وجبهة النصرة "
        "على أحياء تابعة لقوات النظام، بحسب ما أفاد به المرصد السوري لحقوق الإنسان.",
    )
    assert found(doc) == [("المرصد السوري لحقوق الإنسان", "بحسب")]


def test_naqalat_an_gives_both_sources_and_the_speaker_goes_on(pipe: Pipeline) -> None:
    text = (
        "ونقلت وكالة رويترز عن الناطق باسم الجبهة الجنوبية عصام الريس أن الهجوم الأخير "
        "استهدف المنطقة الأمنية في وسط المدينة. وأشار إلى أن المعارضة تنفذ خطة عسكرية "
        "جديدة تمهد الطريق لتحرير المدينة."
    )
    doc = run(pipe, text)
    spans = doc.spans("SOURCE")
    assert [s.attrs["text"] for s in spans] == [
        "وكالة رويترز",
        "الناطق باسم الجبهة الجنوبية عصام الريس",
        "الناطق باسم الجبهة الجنوبية عصام الريس",
    ]
    assert spans[2].attrs.get("continued") is True
    plan = text.index("خطة عسكرية")
    assert sources_for(doc, plan, plan + 5) == ["الناطق باسم الجبهة الجنوبية عصام الريس"]


def test_source_governs_following_sentences_until_another_source(pipe: Pipeline) -> None:
    text = (
        "قالت مصادر أمنية إن 12 متشدداً وخمسة مدنيين قتلوا أمس في محافظة شمال سيناء. "
        "وتدور اشتباكات بين الجيش ومقاتلي جماعة ولاية سيناء. وقال مصدر إن المتشددين "
        "لقوا حتفهم عندما قصف الجيش ثلاث سيارات."
    )
    doc = run(pipe, text)
    assert found(doc) == [("مصادر أمنية", "قالت"), ("مصدر", "قال")]
    clashes = text.index("وتدور اشتباكات")
    cars = text.index("ثلاث سيارات")
    assert sources_for(doc, clashes, clashes + 5) == ["مصادر أمنية"]
    assert sources_for(doc, cars, cars + 5) == ["مصدر"]


def test_subject_before_the_verb(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وكانت وزارة الدفاع الوطني، قد أفادت يوم السبت بأن القضاء العسكري تعهد بفتح تحقيق.",
    )
    assert found(doc) == [("وزارة الدفاع الوطني", "افادت")]


def test_addressee_and_time_words_are_not_part_of_the_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وأوضح مصدر قبلي في محافظة أبين لـ«عكاظ» أن مقاتلات الأباتشي والبوارج البحرية "
        "تشارك في قصف مواقع الانقلابيين في منطقة الكود. وقال ناصر الحاسي المتحدث باسم "
        "القوات الجوية في ساعة مبكرة من صباح الاثنين إن السفينة أغرقت.",
    )
    assert [t for t, _ in found(doc)] == [
        "مصدر قبلي في محافظة أبين",
        "ناصر الحاسي المتحدث باسم القوات الجوية",
    ]


def test_hasabama_and_wifqan_li(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "تظاهر عشرات من أعضاء منظمة معادية للزنوج الأحد في ولاية كارولينا الجنوبية، "
        "حسبما ذكرت وسائل إعلام محلية. وأفادت صحف محلية بوقوع صدامات محدودة، وفقا للفرنسية.",
    )
    assert found(doc) == [
        ("وسائل إعلام محلية", "حسبما"),
        ("صحف محلية", "افادت"),
        ("الفرنسية", "وفقا"),
    ]


def test_statement_frame_and_photographer_of_an_agency(pipe: Pipeline) -> None:
    doc = run(pipe, "وجاء في بيان الجيش «قتل ثلاثة من عسكريينا الشجعان نتيجة هجوم».")
    assert found(doc) == [("بيان الجيش", "جاء")]
    doc = run(pipe, "وقال مصور من وكالة فرانس برس أن قوات الأمن استخدمت الغاز المسيل للدموع.")
    assert found(doc) == [("مصور من وكالة فرانس برس", "قال")]


def test_claim_of_responsibility_is_not_a_source(pipe: Pipeline) -> None:
    assert found(run(pipe, "أعلن تنظيم داعش مسؤوليته عن التفجير الذي استهدف المسجد.")) == []


def test_adjective_agency_names_need_a_cue(pipe: Pipeline) -> None:
    doc = run(pipe, "وأوقفت الشرطة الألمانية المشتبه به في مدينة ميلانو.")
    assert found(doc) == []


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("الرياض - واس\nقتل ثلاثة أشخاص في انفجار استهدف سوقا شعبية.", "واس"),
        ("بيروت (أ ف ب) - قتل خمسة أشخاص في انفجار سيارة ملغومة.", "أ ف ب"),
        ("رويترز- بنغازي (ليبيا): أغرقت طائرات حربية سفينة قرب بنغازي.", "رويترز"),
    ],
)
def test_dateline_agency_when_nothing_else_is_named(pipe: Pipeline, text: str, agency: str) -> None:
    doc = run(pipe, text)
    [span] = doc.spans("SOURCE")
    assert span.attrs["text"] == agency and span.attrs["dateline"] is True
    assert span.attrs["scope"] == [0, len(text)]
    assert sources_for(doc, len(text) - 5, len(text)) == [agency]


def test_dateline_gives_way_to_named_sources(pipe: Pipeline) -> None:
    text = (
        "رويترز- بنغازي (ليبيا): قال يوم الاثنين متحدثون عسكريون باسم الحكومة الليبية "
        "المعترف بها دولياً إن طائرات حربية أغرقت، يوم الأحد، سفينة."
    )
    doc = run(pipe, text)
    assert found(doc) == [
        ("متحدثون عسكريون باسم الحكومة الليبية المعترف بها دولياً", "قال"),
    ]
    assert dateline_agency(doc, SourceLexicon.load_default()) is not None


def test_one_word_back_reference_takes_the_full_name(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "قال المرصد السوري لحقوق الانسان ان 25 شخصا على الاقل قتلوا في حمص. وقال المرصد "
        '"أصيب أكثر من 100".',
    )
    assert [s.attrs["text"] for s in doc.spans("SOURCE")] == [
        "المرصد السوري لحقوق الانسان",
        "المرصد السوري لحقوق الانسان",
    ]


def test_article_on_its_own_authority_has_no_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "انفجرت سيارة ملغومة أمس الاثنين على مقربة من مدخل مطار العاصمة كابول ما أدى إلى "
        "مقتل خمسة أشخاص.",
    )
    assert found(doc) == []
    assert sources_for(doc, 0, 20) == []


def test_bad_lexicon_is_a_data_error() -> None:
    with pytest.raises(DataError):
        SourceLexicon.from_yaml("verbs: [قال]\n")
    with pytest.raises(DataError):
        SourceLexicon.from_yaml("verbs: [\n")


def test_subjectless_announcement_takes_the_sentence_subject(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وتقدمت المقاومة الشعبية مدعومة بوحدات عسكرية نحو مطار تعز الدولي، وأعلنت أنها "
        "تمكنت من قطع خطوط إمدادات الانقلابيين.",
    )
    assert found(doc) == [("المقاومة الشعبية", "اعلنت")]


def test_kana_subject_wins_over_a_date_after_the_verb(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وكان الحرس الوطني التونسي قد أعلن نهاية أفريل الماضي مقتل مسلحين اثنين أثناء "
        "اشتباكات اندلعت بعد مداهمة منزل في مدينة سيدي بوزيد.",
    )
    assert found(doc) == [("الحرس الوطني التونسي", "اعلن")]


def test_shorter_later_mention_takes_the_earlier_full_name(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وقال محمد رحيم أمين حاكم منطقة بركي براك حيث حصلت الغارة: إن مروحيتين أمريكيتين "
        "شنتا الهجوم. وأوضح محمد رحيم أمين أن متمردين أطلقوا النار.",
    )
    texts = [s.attrs["text"] for s in doc.spans("SOURCE")]
    assert texts == ["محمد رحيم أمين حاكم منطقة بركي براك"] * 2


def test_agency_named_without_a_cue_is_not_a_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وردا على أسئلة وكالة فرانس برس، قال مسؤول عسكري أمريكي: إنه على علم بحادث.",
    )
    assert found(doc) == [("مسؤول عسكري أمريكي", "قال")]


def test_affiliation_after_a_channel_is_cut(pipe: Pipeline) -> None:
    doc = run(pipe, "بدورها، قالت قناة المنار التابعة لحزب الله إن عنصرين قتلا.")
    assert found(doc) == [("قناة المنار", "قالت")]


def test_issuer_of_a_statement_and_same_source(pipe: Pipeline) -> None:
    doc = run(pipe, "وتتكون الخلية، وفق بلاغ صادر عن وزارة الداخلية اليوم، من أربعة عناصر.")
    assert found(doc) == [("وزارة الداخلية", "وفق")]
    doc = run(
        pipe,
        "تمكنت وحدات الحرس الوطني من القبض على عنصرين إرهابيين، وفق ما أكده مصدر أمني "
        "لمراسلة الجوهرة أف أم بالجهة. وأضاف نفس المصدر أن العنصرين كانا يرصدان التحركات.",
    )
    assert found(doc) == [("مصدر أمني", "وفق"), ("مصدر أمني", "اضاف")]
