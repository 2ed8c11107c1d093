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
        "وكالة رويترز",
    ]
    assert spans[2].attrs.get("continued") is True
    assert spans[3].attrs.get("relay") is True
    plan = text.index("خطة عسكرية")
    # the agency still relays what the spokesman goes on to say
    assert sources_for(doc, plan, plan + 5) == [
        "الناطق باسم الجبهة الجنوبية عصام الريس",
        "وكالة رويترز",
    ]


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


def texts(doc: Doc) -> list[str]:
    return [str(s.attrs["text"]) for s in doc.spans("SOURCE")]


def test_name_after_a_title_and_comma(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "خاضت قوات الجيش والمقاومة الشعبية معارك عنيفة داخل قاعدة العند الجوية، حسبما أفاد "
        "مساعد وزير الدفاع، اللواء عبد القادر العمودي.",
    )
    assert texts(doc) == ["مساعد وزير الدفاع، اللواء عبد القادر العمودي"]


def test_comma_before_a_time_word_still_ends_the_source(pipe: Pipeline) -> None:
    doc = run(pipe, "وقال المتحدث باسم الجيش، أمس، إن الطائرات قصفت مواقع المسلحين.")
    assert texts(doc) == ["المتحدث باسم الجيش"]


def test_place_then_rank_goes_on_and_addressee_is_left_out(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أكد المتحدث باسم المقاومة في تعز العميد سمير الحاج لـ «عكاظ» أن جماعة الحوثي "
        "دمرت منشآت خاصة وحكومية.",
    )
    assert texts(doc) == ["المتحدث باسم المقاومة في تعز العميد سمير الحاج"]


def test_place_without_rank_ends_the_source(pipe: Pipeline) -> None:
    doc = run(pipe, "وقال مسؤول أمني في المكان إن الهجوم استهدف سيارتين مصفحتين.")
    assert texts(doc) == ["مسؤول أمني"]


def test_name_in_brackets(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أكد مساء اليوم الأحد، مواطن تونسي (فهمي طاهري) أن شقيقه من بين تونسيين مختطفين في ليبيا.",
    )
    assert texts(doc) == ["مواطن تونسي (فهمي طاهري)"]


def test_negated_verb_names_no_source(pipe: Pipeline) -> None:
    doc = run(pipe, "ولم تعلن أي مجموعة حتى الآن مسؤوليتها عن الاعتداء الانتحاري.")
    assert texts(doc) == []


def test_plural_verb_takes_no_subject_after_it(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "تجمع نحو ألف شخص في شارع تايمز سكوير للتنديد بالاتفاق الذي يهدد، كما قالوا، الأمن "
        "العالمي وأمن إسرائيل.",
    )
    assert "الأمن العالمي وأمن إسرائيل" not in texts(doc)


def test_tabi_li_is_belonging_not_a_verb(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وهي المرة الأولى التي يحدث فيها تفجير داخل مسجد تابع لسلطات الأمن في المملكة.",
    )
    assert texts(doc) == []


def test_declaration_is_no_source_and_ends_the_previous_scope(pipe: Pipeline) -> None:
    text = (
        "وقال ذبيح الله مجاهد المتحدث باسم طالبان إن ركاب السيارتين قتلوا. "
        "وسبق أن أعلنت السلطات في كابول حالة التأهب القصوى على اثر هجمات الأسبوع الماضي."
    )
    doc = run(pipe, text)
    assert texts(doc) == ["ذبيح الله مجاهد المتحدث باسم طالبان"]
    alert = text.index("حالة التأهب")
    assert sources_for(doc, alert, alert + 5) == []


def test_the_statement_stands_for_its_author(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وقال المرصد العراقي للحريات الصحفية في بيان له إن صحفية قتلت في الموصل. "
        "ونقل البيان عن صحفيين قولهم إن عبوة ناسفة انفجرت بها.",
    )
    assert texts(doc) == [
        "المرصد العراقي للحريات الصحفية",
        "المرصد العراقي للحريات الصحفية",
        "صحفيين",
    ]


def test_publisher_of_a_statement(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        'نشر موقع موال لتنظيم "القاعدة في بلاد المغرب الإسلامي"، أول أمس الجمعة، على حسابه '
        'في موقع "تيليغرام"، بيانا جديدا أكد فيه مقتل أمير الكتيبة.\n'
        "وأوضح البيان أن قياديا آخر قتل في العملية ذاتها.",
    )
    assert set(texts(doc)) == {'موقع موال لتنظيم "القاعدة في بلاد المغرب الإسلامي"'}


def test_title_after_a_verb_that_goes_on_is_the_last_speaker(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "ونقلت المصادر عن المستشار الأمني في حكومة الوفاق الليبية، هاشم بشر، ارتفاع حصيلة "
        "الاشتباكات إلى 52 قتيلا. وأوضح المسؤول الليبي إن قائمة الضحايا شملت تسعة أفراد.",
    )
    full = "المستشار الأمني في حكومة الوفاق الليبية، هاشم بشر"
    # the title is the adviser again, and the sources that relayed him relay him still
    assert texts(doc) == ["المصادر", full, full, "المصادر"]
    toll = doc.text.index("قائمة الضحايا")
    assert sources_for(doc, toll, toll + 5) == [full, "المصادر"]


def test_declaration_noun_inside_the_reported_clause_is_not_a_declaration(
    pipe: Pipeline,
) -> None:
    doc = run(
        pipe,
        "وأفادت مصادر أن حالة من التململ بدأت تظهر في صفوف المقاتلين بعد ازدياد أعداد القتلى.",
    )
    assert texts(doc) == ["مصادر"]


def test_side_announcing_the_start_of_its_battle_is_no_source(pipe: Pipeline) -> None:
    text = (
        "وقال مصدر ميداني إن الاشتباكات تجددت في ريف اللاذقية. من جهة أخرى، أعلنت جبهة "
        "النصرة، وأحرار الشام، والجيش الحر، عن بدء معارك بريف اللاذقية نصرة لمدينة الزبداني."
    )
    doc = run(pipe, text)
    assert texts(doc) == ["مصدر ميداني"]
    battles = text.index("بدء معارك")
    assert sources_for(doc, battles, battles + 5) == []
    doc = run(pipe, "وأعلنت فصائل الجبهة الجنوبية استئناف معركة تحرير درعا.")
    assert texts(doc) == []


def test_bare_generic_noun_refers_to_the_source_named_last(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وأفادت مصادر أن عدد القتلى وصل إلى 120 قتيلا. وأضاف المصدر أن الميليشيا نفذت "
        "عمليات اعتقال ضد 175 عنصرا من مقاتليها.",
    )
    assert texts(doc) == ["مصادر", "مصادر"]


def test_negated_report_names_no_source_unless_it_is_the_speaker_again(
    pipe: Pipeline,
) -> None:
    text = (
        "وقال الناطق الرسمي بالوزارة طارق الخراز اليوم إن عناصر الأمن اعتقلت الشخص.\n"
        "ولم يفصح الناطق باسم الداخلية عن هوية الشخص المقبوض عليه كما لم تعلن السلطات "
        "التونسية حتى الآن أية معلومات عن هذه الحادثة."
    )
    doc = run(pipe, text)
    spokesman = "الناطق الرسمي بالوزارة طارق الخراز"
    assert texts(doc) == [spokesman, spokesman]
    held = text.index("المقبوض عليه")
    assert sources_for(doc, held, held + 5) == [spokesman]


def test_verb_without_subject_goes_on_with_the_speaker_of_its_sentence(
    pipe: Pipeline,
) -> None:
    doc = run(
        pipe,
        "من جانبه قال السيد حبيب الأسيود إن هذه الاعتقالات تكشف زيف ادعاءات النظام "
        "الإيراني في طهران، وأفاد بأن الاعتقالات طالت العشرات.",
    )
    assert texts(doc) == ["السيد حبيب الأسيود", "السيد حبيب الأسيود"]
    assert doc.spans("SOURCE")[1].attrs.get("continued") is True


def test_scope_ends_at_a_sentence_that_turns_to_another_report(pipe: Pipeline) -> None:
    text = (
        "خاضت قوات الجيش معارك عنيفة داخل قاعدة العند الجوية، حسبما أفاد مصدر عسكري. "
        "وفي الوقت نفسه، سعت قوات أخرى من المقاومة لتمشيط الجيوب المتبقية في المدينة."
    )
    doc = run(pipe, text)
    sweep = text.index("لتمشيط")
    assert sources_for(doc, sweep, sweep + 5) == []


def test_possessed_noun_is_not_a_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "واحتشد أعضاء من المنظمة عند مبنى البرلمان، وقال أعضاؤها إنهم فخورون بالعلم.",
    )
    assert texts(doc) == []


def test_kana_subject_without_qad(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وكان وحد الله مايار المتحدث باسم وزارة الصحة قال في وقت سابق إن امرأة وطفلا من "
        "بين القتلى.",
    )
    assert texts(doc) == ["وحد الله مايار المتحدث باسم وزارة الصحة"]
    # a relative clause: "آخر مرة" is when, not who
    doc = run(pipe, "وكانت آخر مرة أعلن فيها الجيش عن عملية مماثلة قبل عامين.")
    assert "آخر مرة" not in texts(doc)


def test_outlet_in_a_relative_clause_relays_the_speaker(pipe: Pipeline) -> None:
    text = (
        "وقال مدير مكتب الصحة إن المنشآت الطبية تعرضت للتدمير، وأضاف في تصريح نشرته "
        "وكالة الأنباء اليمنية أن القصف استهدف المستشفى. وأشار إلى أن عدد الجرحى ارتفع."
    )
    doc = run(pipe, text)
    assert texts(doc)[:3] == ["مدير مكتب الصحة", "مدير مكتب الصحة", "وكالة الأنباء اليمنية"]
    wounded = text.index("عدد الجرحى")
    assert sources_for(doc, wounded, wounded + 5) == ["مدير مكتب الصحة", "وكالة الأنباء اليمنية"]
    # "جولة نقلته الى الصين": the trip took him; nobody reports
    doc = run(pipe, "وقال أردوغان في الطائرة عائدا من جولة نقلته الى الصين إن الحدود ستغلق.")
    assert texts(doc) == ["أردوغان"]


def test_name_in_quotes_after_the_verb_but_not_a_quotation(pipe: Pipeline) -> None:
    doc = run(pipe, "في هذا الوقت، أكد «المرصد السوري لحقوق الإنسان»، أن الفصائل تقدمت.")
    assert texts(doc) == ["المرصد السوري لحقوق الإنسان"]
    doc = run(pipe, "وقال مسؤول محلي إن الطريق أغلق. وأضاف «علاقات المدينة مع جيرانها جيدة».")
    assert texts(doc) == ["مسؤول محلي", "مسؤول محلي"]


def test_speaker_goes_on_into_the_next_paragraph(pipe: Pipeline) -> None:
    text = (
        "أكد مساء اليوم الأحد، مواطن تونسي (فهمي طاهري) أن شقيقه من بين المختطفين في ليبيا.\n"
        "وأوضح أن عملية الاختطاف تمت فجر أمس في طريق عودتهما إلى تونس."
    )
    doc = run(pipe, text)
    kidnap = text.index("عملية الاختطاف")
    assert sources_for(doc, kidnap, kidnap + 5) == ["مواطن تونسي (فهمي طاهري)"]


def test_istarsala_bil_qawl_is_a_report(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وقالت مصادر ميدانية إن غارات استهدفت صعدة. واسترسلت المصادر بالقول إن بعض الأسر "
        "رفضت تسلم جثث أبنائها.",
    )
    assert texts(doc) == ["مصادر ميدانية", "مصادر ميدانية"]


def test_attribution_standing_alone_governs_its_paragraph(pipe: Pipeline) -> None:
    text = (
        "واحتشد أعضاء من منظمة كو كلوكس كلان عند الجانب الجنوبي من إدارة الولاية، وتبادلوا "
        "الشتائم مع متظاهرين مناهضين. وفقا للفرنسية.\nوأزيل العلم من أمام البرلمان في 10 يوليو."
    )
    doc = run(pipe, text)
    rally = text.index("واحتشد")
    assert sources_for(doc, rally, rally + 5) == ["الفرنسية"]
    removed = text.index("وأزيل")
    assert sources_for(doc, removed, removed + 5) == []


def test_no_scope_runs_into_the_link_footer(pipe: Pipeline) -> None:
    text = (
        "وأفادت مصادر أن عدد القتلى وصل إلى 120 قتيلا بينهم قيادات. "
        "رابط الخبر بصحيفة الوئام: سوريا .. 500 برميل متفجر على الزبداني خلال أسبوع"
    )
    doc = run(pipe, text)
    footer = text.index("رابط الخبر")
    assert sources_for(doc, footer, len(text)) == []


def test_possessed_noun_is_an_object_or_ends_the_source(pipe: Pipeline) -> None:
    doc = run(pipe, "وقاتلت المجموعة التي أعلنت ولاءها لتنظيم داعش قوات الجيش في المدينة.")
    assert texts(doc) == []
    doc = run(
        pipe,
        "وأكدت مصادر ميدانية وقوعه في أيدي المقاتلين، وأعلنت المقاومة الشعبية سيطرتها على المعسكر.",
    )
    assert texts(doc)[0] == "مصادر ميدانية"
    assert "المقاومة الشعبية سيطرتها" not in texts(doc)


def test_person_named_by_kinship_keeps_the_pronoun(pipe: Pipeline) -> None:
    doc = run(pipe, "تقول والدته وضحة إنه يموت ببطء أمام أعينها.")
    assert texts(doc) == ["والدته وضحة"]
    doc = run(pipe, "وأكد سموه أن المملكة تعتز بأبنائها.")
    assert texts(doc) == ["سموه"]


def test_prepositional_phrase_after_the_verb_is_not_a_subject(pipe: Pipeline) -> None:
    doc = run(pipe, "وقالت بهذا الخصوص إن الاتفاق سيء. وهي كلها تفيد بالواقع.")
    assert texts(doc) == []


def test_scope_ends_at_a_sentence_set_in_an_earlier_period(pipe: Pipeline) -> None:
    text = (
        "وتحدثت مصادر أخرى عن معارك محدودة بين الحوثيين والمقاومة في منطقتي الفيوش وجعولا. "
        "وتمكنت المقاومة والجيش الأسبوع الماضي من تحرير مدينة عدن بعد معارك عنيفة."
    )
    doc = run(pipe, text)
    aden = text.index("تحرير مدينة عدن")
    assert sources_for(doc, aden, aden + 5) == []


def test_second_speaker_of_a_sentence_governs_from_their_clause(pipe: Pipeline) -> None:
    text = (
        "وفي محافظة الشرقية قالت مصادر أمنية إن مسلحين أطلقا النار على أمين شرطة فقتلاه، "
        "وقال مصدر إنه يرجح أن يكون المسلحان عضوين في خلايا صغيرة."
    )
    doc = run(pipe, text)
    second = text.index("وقال مصدر")
    assert sources_for(doc, 0, second) == ["مصادر أمنية"]
    assert sources_for(doc, second, len(text)) == ["مصدر"]
    # the whole sentence still has both
    assert sources_for(doc, 0, len(text)) == ["مصادر أمنية", "مصدر"]
    # "كما أكدت" confirms the same report: no split
    text = (
        "قال المرصد السوري لحقوق الانسان ان 25 شخصا قتلوا جراء تفجير سيارتين ملغومتين "
        "بمدينة حمص كما أكدت وسائل اعلام حكومية وقوع التفجير."
    )
    doc = run(pipe, text)
    assert sources_for(doc, 0, 20) == ["المرصد السوري لحقوق الانسان", "وسائل اعلام حكومية"]


def test_known_phrase_after_a_verb_of_stance_is_no_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "قام جهاز المخابرات باعتقال العشرات من المواطنين، فيما حذر ناشطون حقوقيون من "
        "خطورة الأحداث التي تشهدها المدن.",
    )
    assert texts(doc) == []
    # an appeal is a stand, too
    doc = run(
        pipe,
        "من جهة ثانية، وجه ناشطون فلسطينيون في لبنان نداء إلى الأمم المتحدة ومؤسسات حقوق "
        "الإنسان في العالم طالبوا فيه بالتدخل العاجل.",
    )
    assert texts(doc) == []


def test_source_noun_keeps_the_side_it_speaks_for(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أفاد مصدر من المقاومة الشعبية أن المقاتلين تقدموا نحو قاعدة العند. وقال المصدر إن "
        "طيران التحالف قصف مواقع الحوثيين.",
    )
    assert texts(doc) == ["مصدر من المقاومة الشعبية"] * 2
    doc = run(pipe, "حيث أكد مصدر في المعارضة السورية المسلحة أن الهجوم فشل.")
    assert texts(doc) == ["مصدر في المعارضة السورية المسلحة"]
    # "من" and a deed, not a side
    doc = run(pipe, "وقال مسؤول أمني من جهته إن الوضع هادئ.")
    assert texts(doc) == ["مسؤول أمني"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "وقال المصدر لوكالة الأنباء الألمانية، إن مواجهات عنيفة اندلعت مساء الخميس.",
            ["المصدر", "وكالة الأنباء الألمانية"],
        ),
        (
            "وأفاد مصدر من المقاومة الشعبية اليمنية، امس الأربعاء لوكالة الأنباء الألمانية "
            "بأن المقاومة سيطرت على وادي عقان.",
            ["مصدر من المقاومة الشعبية اليمنية", "وكالة الأنباء الألمانية"],
        ),
        ("وقال مسؤول أمني لرويترز إن الهجوم أسفر عن مقتل خمسة جنود.", ["مسؤول أمني", "رويترز"]),
        # a newspaper told is the article's own outlet, not a further source
        ("وقال مسؤول أمني لـ«عكاظ» إن الهجوم أسفر عن مقتل خمسة جنود.", ["مسؤول أمني"]),
    ],
)
def test_the_agency_a_speaker_told_relays_the_report(
    pipe: Pipeline, text: str, expected: list[str]
) -> None:
    assert [t for t, _cue in found(run(pipe, text))] == expected


def test_speaker_after_a_contrast_conjunction_speaks_for_their_clause(pipe: Pipeline) -> None:
    text = (
        "وسيطرت القوات العراقية قبل أيام على مبنى جامعة الأنبار، وبينما تقول بغداد: إن "
        "الجيش يتقدم، يقول التنظيم إنه صامد."
    )
    doc = run(pipe, text)
    capture = text.index("وسيطرت")
    assert sources_for(doc, capture, capture + 10) == []
    advance = text.index("الجيش يتقدم")
    assert sources_for(doc, advance, advance + 5) == ["بغداد"]


def test_subject_after_in_which(pipe: Pipeline) -> None:
    text = (
        "سقط مزيد من القتلى في المعارك الجارية بأطراف مدينة الرمادي، في وقت قال فيه متحدث "
        "رسمي عراقي إن الجيش يتقدم."
    )
    doc = run(pipe, text)
    assert [t for t, _cue in found(doc)] == ["متحدث رسمي عراقي"]
    assert sources_for(doc, 0, 10) == []


def test_what_a_report_indicates_is_not_its_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وأشارت مصادر إلى أن القوات السعودية تلقت بلاغاً من خلال أبراج مراقبتها، يفيد بتحركات "
        "مركبات تتجه نحو منفذ الطوال.",
    )
    assert {t for t, _cue in found(doc)} == {"مصادر"}
    assert [t for t, _cue in found(run(pipe, "وأفادت مصادر محلية بمقتل ثلاثة أشخاص."))] == [
        "مصادر محلية"
    ]


def test_a_titled_speaker_brings_the_organisation_named_before(pipe: Pipeline) -> None:
    text = (
        "قال المرصد السوري لحقوق الإنسان إن طائرات حربية قصفت مواقع للجبهة. "
        "إذ قال مدير المرصد رامي عبد الرحمن إن جسرين تهدما جراء الغارات."
    )
    doc = run(pipe, text)
    bridges = text.index("جسرين")
    assert sources_for(doc, bridges, bridges + 5) == [
        "مدير المرصد رامي عبد الرحمن",
        "المرصد السوري لحقوق الإنسان",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ووثق المرصد السوري لحقوق الإنسان مقتل 20 مدنيا في القصف.", "المرصد السوري لحقوق الإنسان"),
        ("رصدت الشبكة السورية لحقوق الإنسان مقتل 10 أشخاص.", "الشبكة السورية لحقوق الإنسان"),
    ],
)
def test_monitors_document_and_record(pipe: Pipeline, text: str, expected: str) -> None:
    assert [t for t, _cue in found(run(pipe, text))] == [expected]


def test_announced_verbal_noun_is_the_content_not_part_of_the_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أعلن المرصد السوري لحقوق الإنسان قصف الطيران المروحي بثلاثة براميل متفجرة مناطق "
        "في بلدة النعيمة الواقعة في شرق مدينة درعا.",
    )
    assert [name for name, _ in found(doc)] == ["المرصد السوري لحقوق الإنسان"]


def test_the_agency_a_source_told_relays_it_from_its_first_mention(pipe: Pipeline) -> None:
    text = (
        "أفاد مصدر من المقاومة الشعبية، أمس، بمقتل ثمانية عشر حوثياً، خلال الاشتباكات التي "
        "اندلعت بين الطرفين، في مدينة الضالع جنوبي اليمن. وقال المصدر لوكالة الأنباء "
        "الألمانية، إن مواجهات عنيفة اندلعت، مساء الخميس، بين الطرفين في منطقة سناح."
    )
    doc = run(pipe, text)
    assert sources_for(doc, 0, 40) == ["مصدر من المقاومة الشعبية", "وكالة الأنباء الألمانية"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "قتل 40 شخصا في ليبيا، بحسب ما أفاد أمس الأربعاء مسؤول محلي وكالة فرانس برس.",
            ["مسؤول محلي", "وكالة فرانس برس"],
        ),
        (
            "وأفاد مصدر أمني وكالة الأنباء الألمانية بأن خمسة جنود قتلوا.",
            ["مصدر أمني", "وكالة الأنباء الألمانية"],
        ),
        # an agency inside a title is part of the speaker's name
        ("وقال مدير وكالة الأنباء السورية إن خمسة جنود قتلوا.", ["مدير وكالة الأنباء السورية"]),
    ],
)
def test_an_agency_after_the_speaker_without_lam_is_the_one_told(
    pipe: Pipeline, text: str, expected: list[str]
) -> None:
    assert [name for name, _ in found(run(pipe, text))] == expected


def test_an_outlet_right_before_a_speaker_relays_the_speaker(pipe: Pipeline) -> None:
    text = (
        'ووفقا لوكالة الأنباء الفرنسية، قال رامي عبدالرحمن مدير المرصد: "سقط الصاروخ على حي '
        'المغاير الشعبي في حلب القديمة".'
    )
    doc = run(pipe, text)
    start = text.index("سقط")
    assert sources_for(doc, start, start + 10) == [
        "وكالة الأنباء الفرنسية",
        "رامي عبدالرحمن مدير المرصد",
    ]


def test_an_outlet_before_fa_qad_and_a_speaker_relays_the_speaker(pipe: Pipeline) -> None:
    text = (
        'وحسب موقع "سكاي نيوز عربية"؛ فقد أعلنت المقاومة الشعبية، عن مقتل 42 حوثياً على '
        "الأقل، و9 مقاتلين من المقاومة، في مواجهات اندلعت في قرى بجبل صبر المطل على مدينة "
        "تعز."
    )
    doc = run(pipe, text)
    start = text.index("مواجهات")
    assert sources_for(doc, start, start + 10) == ['موقع "سكاي نيوز عربية"', "المقاومة الشعبية"]


def test_a_relay_of_a_relay_shares_the_first_speakers_scope(pipe: Pipeline) -> None:
    # SaudiNewsNet snn-10094: "نقلت X عن Y" then "وأضاف المتحدث" chains two relays
    text = (
        "أعلن صندوق النقد الدولي، أمس السبت، أن الحكومة اليونانية طلبت منه الحصول على قرض "
        "جديد. في وقت أكدت فيه أثينا أنها ستبدأ محادثات مع دائنيها بشأن حزمة إنقاذ جديدة غدا "
        "الاثنين. وأكد الصندوق، في بيان صادر عنه أمس، تلقيه خطابا من السلطات اليونانية، طلبت "
        "فيه إمكانية الحصول على القرض الجديد، مشيرًا إلى أنه سيبحث مع الشركاء الأوروبيين "
        "والحكومة اليونانية توقيت المفاوضات المتعلقة بالقرض، وطبيعته. ونقلت وكالة الأنباء "
        "الألمانية عن متحدث باسم الصندوق ومقره واشنطن قوله: «لقد تلقينا خطابا من السلطات "
        "اليونانية يشير إلى مساعيها للحصول على قرض جديد من صندوق النقد الدولي». وأضاف "
        "المتحدث: «سنبحث مع السلطات اليونانية ومع شركائنا الأوروبيين توقيت وطرق المناقشات "
        "الخاصة بالطلب اليوناني»."
    )
    doc = run(pipe, text)
    spans = doc.spans("SOURCE")
    assert spans
    for s in spans:
        lo, hi = s.attrs["scope"]
        assert 0 <= lo < hi <= len(text)
    last = text.rindex("سنبحث")
    assert "وكالة الأنباء الألمانية" in sources_for(doc, last, last + 5)


@pytest.fixture(scope="module")
def placed() -> Pipeline:
    return Pipeline(
        ["clean/v1", "normalize/v1", "segment/v1", "places/v1", "actors/v1", "sources/v1"]
    )


def test_source_qualified_by_its_place_and_the_agency_it_told(placed: Pipeline) -> None:
    text = (
        "وقالت مصادر صحفية من مأرب لوكالة الأنباء الألمانية إن الحوثيين وقوات صالح شنوا "
        "هجوماً مسلحاً على مواقع المقاومة في جبهة الجفينة جنوب مأرب."
    )
    doc = run(placed, text)
    assert found(doc) == [
        ("مصادر صحفية من مأرب", "قالت"),
        ("وكالة الأنباء الألمانية", "قالت"),
    ]
    doc = run(placed, "وقال ناشطون في ريف إدلب إن الطيران الحربي قصف بلدة سراقب.")
    assert found(doc) == [("ناشطون في ريف إدلب", "قال")]
    # a place after "في" that is not a source's qualifier still ends it
    doc = run(placed, "وقال مسؤول أمني في المكان إن الانفجار وقع قرب السوق.")
    assert found(doc) == [("مسؤول أمني", "قال")]


def test_a_quotation_bounds_what_the_speaker_said(pipe: Pipeline) -> None:
    text = (
        "اعيد امس فتح مطار عدن مع هبوط طائرة عسكرية وقال وزير النقل بدر محمد باسلمه "
        'للصحافيين في المطار "انها بداية العمليات في المطار" الذي استعادته الاسبوع الماضي '
        "القوات الموالية للحكومة بعد معارك عنيفة مع المتمردين الحوثيين"
    )
    doc = run(pipe, text)
    assert found(doc) == [("وزير النقل بدر محمد باسلمه", "قال")]
    quoted = text.index("بداية العمليات")
    assert sources_for(doc, quoted, quoted + 5) == ["وزير النقل بدر محمد باسلمه"]
    retaken = text.index("استعادته")
    assert sources_for(doc, retaken, retaken + 5) == []
    # a name in quotes ('لـ«الشرق الأوسط»') is no quotation: the report goes on
    text = (
        "وأكد شهود عيان لـ«الشرق الأوسط»، أمس، أن طيران التحالف نفذ سلسلة من الغارات "
        "الجوية على القاعدة العسكرية والمناطق المجاورة لها."
    )
    doc = run(pipe, text)
    raids = text.index("الغارات")
    assert sources_for(doc, raids, raids + 5) == ["شهود عيان"]


def test_a_verb_without_subject_before_that_goes_on_with_the_speaker(pipe: Pipeline) -> None:
    text = (
        "وتحدث المرصد السوري لحقوق الإنسان عن «تجدد الاشتباكات بين قوات النظام والفصائل "
        "المعارضة، في محيط مطار الثعلة». وقال إن «هذه الاشتباكات ترافقت مع قصف متبادل بين "
        "الطرفين، بينما قصفت قوات النظام مناطق في ريف بلدة عرى»."
    )
    doc = run(pipe, text)
    observatory = "المرصد السوري لحقوق الإنسان"
    assert found(doc) == [(observatory, "تحدث"), (observatory, "قال")]
    shelled = text.index("قصفت قوات النظام")
    assert sources_for(doc, shelled, shelled + 5) == [observatory]
    text = (
        'وقال الحذيفي في تصريح صحافي "إنه سيعاد فتح مطار عدن". وأشاد بمقاتلي المقاومة '
        "الشعبية، مبينا أن 750 شخصا قتلوا في معارك عدن خلال ثلاثة أشهر من الاشتباكات."
    )
    doc = run(pipe, text)
    assert found(doc) == [("الحذيفي", "قال"), ("الحذيفي", "مبينا")]
    killed = text.index("750 شخصا")
    assert sources_for(doc, killed, killed + 5) == ["الحذيفي"]
    # with no speaker named just before, "أن" after a verb attributes nothing
    doc = run(pipe, "سقطت قذائف على الحي أمس. وأكدت أن الوضع مستقر.")
    assert found(doc) == []


def test_a_quoted_verse_has_no_source(pipe: Pipeline) -> None:
    doc = run(pipe, "وقال تعالى: إن الله لا يحب المعتدين.")
    assert found(doc) == []


def test_an_organisation_that_records_is_a_source(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        'وسجلت منظمة "أنقذوا الأطفال" فرار 10 آلاف مدني على الأقل، خلال الـ24 ساعة الماضية '
        "بعيدا عن مناطق الاشتباكات.",
    )
    assert found(doc) == [('منظمة "أنقذوا الأطفال"', "سجلت")]
    # forces that record a gain are its actor, not a source
    assert found(run(pipe, "وسجلت القوات تقدما جديدا في ريف حماة.")) == []


@pytest.fixture(scope="module")
def with_places() -> Pipeline:
    return Pipeline(
        ["clean/v1", "normalize/v1", "segment/v1", "places/v1", "actors/v1", "sources/v1"]
    )


def test_source_keeps_its_quoted_place(with_places: Pipeline) -> None:
    doc = run(
        with_places,
        'وذكرت مصادر في بلدة "بيت امر" ان قوة من جيش الاحتلال شنت حملة دهم لمنازل المواطنين.',
    )
    assert [s.attrs["text"] for s in doc.spans("SOURCE")] == ['مصادر في بلدة "بيت امر"']


def test_agency_a_speaker_told_relays_what_they_go_on_to_say(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "قتل 40 شخصا على الأقل في اشتباكات عنيفة في جنوب ليبيا، بحسب ما أفاد أمس مسؤول "
        "محلي وكالة فرانس برس. وقال المسؤول في مدينة سبها: «سقط 40 قتيلا على الأقل». "
        "وأضاف «تسببت المعارك بنزوح مئات العائلات».",
    )
    last = doc.text.index("وأضاف")
    assert sources_for(doc, last, len(doc.text)) == ["مسؤول محلي", "وكالة فرانس برس"]


def test_carried_to_hospital_is_no_source(pipe: Pipeline) -> None:
    doc = run(pipe, "واندلعت مواجهات عنيفة. ونقل المصابون الى المشفى الاهلي بالخليل لتلقي العلاج.")
    assert found(doc) == []
    # "نقلت X عن Y" still relays
    doc = run(pipe, "ونقلت وكالة الأنباء الكويتية عن الداخلية أن المتهمين اعترفوا.")
    assert [t for t, _cue in found(doc)] == ["وكالة الأنباء الكويتية", "الداخلية"]


def test_a_quoted_outlet_after_ila_is_whom_the_source_told(pipe: Pipeline) -> None:
    text = (
        'وأكدت مصادر مطلعة إلى "الوطن" أن مواجهات عنيفة دارت داخل المدينة بين الثوار '
        "وبعض جيوب العمالة، حيث أصر عناصر المقاومة على خروج كافة الانقلابيين من مدينتهم."
    )
    doc = run(pipe, text)
    assert found(doc) == [("مصادر مطلعة", "اكدت")]
    clash = text.index("مواجهات عنيفة")
    # the speaker's words run on past the outlet's quoted name
    assert sources_for(doc, clash, clash + 12) == ["مصادر مطلعة"]


def test_the_sources_went_on_saying(pipe: Pipeline) -> None:
    text = (
        "وأكدت مصادر مطلعة أن مواجهات عنيفة دارت داخل المدينة.\n"
        "ومضت المصادر بالقول إن الانقلابيين فروا باتجاه محافظة البيضاء. كما لقي العشرات "
        "مصرعهم في قصف عنيف شنته طائرات التحالف على معسكر اللواء 15 في زنجبار.\n"
        "ومضت ثلاثة أيام على سقوط المدينة."
    )
    doc = run(pipe, text)
    assert found(doc) == [("مصادر مطلعة", "اكدت"), ("مصادر مطلعة", "مضت")]
    strike = text.index("قصف عنيف")
    assert sources_for(doc, strike, strike + 8) == ["مصادر مطلعة"]


def test_a_group_of_people_after_a_partitive_is_the_speaker(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        'وقال عدد من السكان لـ"سبق" إنه لم يصب أحد من الأهالي، وإن الأضرار والتلفيات '
        "اقتصرت فقط على بعض المنازل والممتلكات.",
    )
    assert found(doc) == [("عدد من السكان", "قال")]
    # without "من" the number is what was announced, not who announced it
    doc = run(pipe, "وأعلنت وزارة الصحة عدد القتلى في الهجوم.")
    assert found(doc) == [("وزارة الصحة", "اعلنت")]


def test_an_outlet_that_published_a_stance_relays_no_earlier_speaker(pipe: Pipeline) -> None:
    text = (
        'وذكر محمد عياد عوض الناطق باسم اللجنة الشعبية لمقاومة الاستيطان في "بيت امر" أن '
        "أبو ماريا أصيب بثلاث رصاصات في الصدر. وكانت قوات الاحتلال قتلت الشاب محمد أحمد "
        "علاونة خلال مواجهات شهدتها قرية برقين غرب جنين فجر الاربعاء. وطالب أبو ردينة في "
        "تصريح نشرته الوكالة الرسمية إسرائيل بالتوقف فورا عن خلق هذه المناخات المدمرة."
    )
    doc = run(pipe, text)
    assert [t for t, _ in found(doc)] == [
        "محمد عياد عوض الناطق باسم اللجنة الشعبية لمقاومة الاستيطان"
    ]
    clashes = text.index("مواجهات شهدتها")
    assert sources_for(doc, clashes, clashes + 10) == []


def test_a_report_that_tells_something_is_not_a_speaker_going_on(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وأشارت مصادر إلى أن القوات السعودية المشتركة تلقت بلاغاً من خلال أبراج مراقبتها "
        "والعمليات الاستطلاعية، يفيد بتحركات مركبات تتجه نحو منفذ الطوال.",
    )
    assert found(doc) == [("مصادر", "اشارت")]
    # a past-tense verb with no subject is the speaker going on
    doc = run(pipe, "وقال مصدر أمني إن الهجوم فشل، وأفاد بمقتل ثلاثة من المهاجمين.")
    assert found(doc) == [("مصدر أمني", "قال"), ("مصدر أمني", "افاد")]


def test_an_attribution_cut_off_by_a_semicolon_leads_into_what_follows(pipe: Pipeline) -> None:
    text = (
        "تصاعدت حدة المعارك، ليلة السبت، بين المقاومة الشعبية والمتمردين الحوثيين في "
        "محافظة تعز، وسط تقدم للمقاومة في محافظتي أبين ولحج. "
        'وحسب موقع "سكاي نيوز عربية"؛ فقد أعلنت المقاومة الشعبية عن مقتل 42 حوثياً.'
    )
    doc = run(pipe, text)
    lead = text.index("تقدم للمقاومة")
    # "وحسب X؛" opens the next clause; it does not reach back over the lead
    assert sources_for(doc, lead, lead + 10) == []
    toll = text.index("مقتل 42")
    assert sources_for(doc, toll, toll + 8) == ['موقع "سكاي نيوز عربية"', "المقاومة الشعبية"]


def test_a_count_after_the_verb_is_what_was_reported_not_who(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "يشار أن مجموعة العمل وثقت 214 ضحية من أبناء مخيم درعا قضى معظمهم في القصف "
        "بالبراميل المتفجرة والصواريخ.",
    )
    assert "214 ضحية" not in texts(doc)


@pytest.mark.parametrize(
    "text",
    [
        "قال الله تعالى: إن الله لا يحب المفسدين.",
        "وتم توزيع المساعدات على النازحين وفق الخطط المعتمدة لذلك.",
        "وبحسب المادة العاشرة من القانون فإن المتهم يعاقب بالسجن.",
        "وتنطلق الحملة حسب التواريخ الآتية في جميع المحافظات.",
    ],
)
def test_a_verse_a_plan_or_a_law_is_no_source(pipe: Pipeline, text: str) -> None:
    assert texts(run(pipe, text)) == []


def test_the_regime_still_speaks(pipe: Pipeline) -> None:
    assert texts(run(pipe, "وقال النظام السوري إن الطائرات قصفت المدينة.")) == ["النظام السوري"]


def test_wafqan_lima_dhakarathu_keeps_the_whole_name(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        'ووفقا لما ذكرته وكالة أنباء "الأناضول" فجر اليوم الأربعاء، فقد قام المواطنون أمس '
        "بإبلاغ الشرطة عقب اشتباههم في صندوق.",
    )
    assert texts(doc)[0].startswith("وكالة أنباء")


def test_an_arrest_announced_is_the_object_not_part_of_the_speaker(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وأعلنت وزارة الداخلية الإسبانية توقيف رجل يشتبه بتجنيده عناصر لحساب تنظيم داعش.",
    )
    assert texts(doc) == ["وزارة الداخلية الإسبانية"]
    doc = run(pipe, "وأكدت مصادر أمنية قيام التنظيم بنهب طقم عسكري في مديرية دوعن.")
    assert texts(doc) == ["مصادر أمنية"]


def test_wafqan_lima_alanahu_skips_the_verb(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وقتل 241 من العناصر الإرهابية وفقا لما أعلنه المتحدث العسكري العميد محمد سمير.",
    )
    assert texts(doc) == ["المتحدث العسكري العميد محمد سمير"]


def test_pointing_out_that_goes_on_and_the_title_names_the_speaker_not_the_relay(
    pipe: Pipeline,
) -> None:
    text = (
        "ونقلت وكالة الأناضول عن صالح شيخ يوسف أحد قادة الفرقة الثانية الساحلية، أن عددا "
        "من فصائل المعارضة تمكنت من بسط سيطرتها على التلة، مشيرا إلى أنهم استهدفوا قوات "
        "النظام بالصواريخ.\n"
        "وأضاف القائد الميداني في المعارضة، أن قوات النظام حاولت قبل يومين التقدم نحو قرى "
        '"بيت فارس".'
    )
    doc = run(pipe, text)
    speaker = "صالح شيخ يوسف أحد قادة الفرقة الثانية الساحلية"
    assert (speaker, "مشيرا") in found(doc)
    advance = text.index("حاولت قبل يومين")
    assert speaker in sources_for(doc, advance, advance + 10)


def test_an_outlet_that_opens_the_sentence_is_the_subject_of_its_verb(pipe: Pipeline) -> None:
    text = (
        "واهتمت قناة سي إن إن بتغطية التفجير، مسترجعة ما حدث عندما أعلنت المملكة عن القبض "
        "على نحو 431 شخصا.\n"
        "صحيفة الإندبندنت البريطانية قالت إن الإرهاب استهدف المساجد في المملكة.\n"
        'صحيفة "نيويورك تايمز" الأميركية من جانبها قالت إنها المرة الأولى التي يحدث فيها '
        "تفجير داخل مسجد تابع لسلطات الأمن."
    )
    doc = run(pipe, text)
    assert [t for t, _ in found(doc)] == [
        "المملكة",
        "صحيفة الإندبندنت البريطانية",
        'صحيفة "نيويورك تايمز" الأميركية',
    ]
