"""``actors/v1`` on real Arabic news sentences (SaudiNewsNet and Jawhara FM)."""

from __future__ import annotations

import datetime as dt

import pytest

from marsad.doc import Doc, DocMeta, Span
from marsad.mentions.actors import article_country
from marsad.pipeline import Pipeline
from marsad.resolve.actors import ActorRegistry


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline(["clean/v1", "normalize/v1", "segment/v1", "actors/v1"])


def run(pipe: Pipeline, text: str, published: str | None = None) -> Doc:
    date = dt.date.fromisoformat(published) if published else None
    return pipe(Doc(text=text, meta=DocMeta(doc_id="t", published=date)))


def actors(doc: Doc) -> list[tuple[str, str]]:
    return [(s.attrs["text"], s.attrs["name"]) for s in doc.spans("ACTOR")]


def test_spans_are_offsets_into_the_original_text(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وتقدمت المقاومة الشعبية مدعومة بوحدات عسكرية نحو مطار تعز الدولي، وأعلنت أنها "
        "تمكنت من قطع خطوط إمدادات الانقلابيين من ناحية منطقة الحُوبان غرب المدينة.",
        "2015-08-04",
    )
    spans = doc.spans("ACTOR")
    assert spans
    for s in spans:
        assert doc.text[s.start : s.end] == s.attrs["text"]
    assert actors(doc) == [
        ("المقاومة الشعبية", "Popular Resistance (Yemen)"),
        ("وحدات عسكرية", "Military Forces of Yemen (Hadi faction)"),
        ("الانقلابيين", "Houthis"),
    ]


def test_yemen_lead_with_generic_sides(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "حقق ثوار تعز تقدما ملحوظا في مواجهاتهم مع قوات التمرد الحوثي المدعومة من فلول "
        "الرئيس المخلوع علي صالح، وأشارت مصادر وسط الثوار إلى مقتل 22 انقلابيا وإصابة 12 آخرين.",
        "2015-08-04",
    )
    assert actors(doc) == [
        ("ثوار تعز", "Popular Resistance (Yemen)"),
        ("قوات التمرد الحوثي", "Houthis"),
        ("فلول الرئيس المخلوع علي صالح", "Military Forces of Yemen (Saleh faction)"),
        ("الثوار", "Popular Resistance (Yemen)"),
        ("انقلابيا", "Houthis"),
    ]
    generic = [s.attrs["generic"] for s in doc.spans("ACTOR")]
    assert generic == [False, False, False, True, True]
    assert all(s.attrs["country"] == "YE" for s in doc.spans("ACTOR"))


def test_leading_clitics_are_left_out_and_diacritics_kept(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أدت المعارك إلى مقتل ما يقارب 30 مسلحًا حوثيًا ومواليًا لصالح، "
        "وتحدثت مصادر أخرى عن معارك محدودة بين الحوثيين والمقاومة في منطقة الفيوش.",
        "2015-07-27",
    )
    assert ("مسلحًا حوثيًا", "Houthis") in actors(doc)
    assert ("الحوثيين", "Houthis") in actors(doc)
    assert ("المقاومة", "Popular Resistance (Yemen)") in actors(doc)  # from "والمقاومة"


def test_syrian_regime_without_named_country(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "واستمرت الاشتباكات العنيفة في محيط الزبداني، حيث تراجعت قوات النظام والميليشيات "
        "في عدد من المحاور. وقام طيران النظام المروحي بإلقاء براميل متفجرة على المدينة.",
        "2015-07-21",
    )
    assert actors(doc) == [
        ("قوات النظام", "Military Forces of Syria"),
        ("الميليشيات", "Militias"),  # which militias, the text does not say
        ("طيران النظام المروحي", "Military Forces of Syria"),
    ]
    assert [s.attrs["resolved"] for s in doc.spans("ACTOR")] == [True, False, True]
    assert article_country(doc, ActorRegistry.load_default()) == "SY"


def test_quoted_names(pipe: Pipeline) -> None:
    doc = run(pipe, "تبنى تنظيم «ولاية سيناء» الهجوم على الكمين في الشيخ زويد.", "2015-08-06")
    assert actors(doc) == [("تنظيم «ولاية سيناء»", "Islamic State (Sinai Province)")]


@pytest.mark.parametrize(
    "text",
    [
        "تعرض المبنى لهجوم مسلح أمس.",
        "وصلت فرق الدفاع المدني إلى موقع الانفجار.",
        "أكد الوزير أن النظام العام مستقر في البلاد.",
        "يعتمد نظام التعليم الجديد على المهارات.",
        "استقبل الجمهور الفريق بالحماس والتصفيق.",
        "وأدان البيان العملية الإرهابية التي استهدفت المسجد.",
    ],
)
def test_other_senses_are_not_actors(pipe: Pipeline, text: str) -> None:
    assert actors(run(pipe, text)) == []


def test_country_from_named_actor_resolves_generic_sides(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وكان الحرس الوطني التونسي قد أعلن مقتل مسلحين اثنين أثناء اشتباكات اندلعت بعد "
        "مداهمة منزل في مدينة سيدي بوزيد.",
        "2017-05-21",
    )
    assert actors(doc) == [
        ("الحرس الوطني التونسي", "Police Forces of Tunisia"),
        ("مسلحين", "Unidentified Armed Group (Tunisia)"),
    ]
    assert article_country(doc, ActorRegistry.load_default()) == "TN"


def test_turkish_police_and_protesters(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "فرقت الشرطة التركية مساء الجمعة في اسطنبول مئات المتظاهرين الذين كانوا يدينون "
        "تنظيم داعش بعد الهجوم الانتحاري الذي وقع مطلع الأسبوع الجاري في سوروتش.",
        "2015-07-25",
    )
    assert actors(doc) == [
        ("الشرطة التركية", "Police Forces of Turkey"),
        ("المتظاهرين", "Protesters (Turkey)"),
        ("تنظيم داعش", "Islamic State"),
    ]


def test_unresolved_generic_side_can_be_resolved_later(pipe: Pipeline) -> None:
    doc = run(pipe, "وأصيب عدد من المحتجين في مواجهات مع الشرطة وسط المدينة.")
    spans = doc.spans("ACTOR")
    assert [s.attrs["text"] for s in spans] == ["المحتجين", "الشرطة"]
    assert all(s.attrs["generic"] and not s.attrs["resolved"] for s in spans)
    reg = ActorRegistry.load_default()
    resolved = [reg.resolve_mention(s.attrs, "TN") for s in spans]
    assert [a.name for a in resolved if a] == ["Protesters (Tunisia)", "Police Forces of Tunisia"]


def test_era_of_yemeni_army(pipe: Pipeline) -> None:
    text = "سيطرت قوات الجيش على مواقع الحوثيين في مأرب."
    assert actors(run(pipe, text, "2015-08-01"))[0][1] == "Military Forces of Yemen (Hadi faction)"
    assert actors(run(pipe, text, "2019-08-01"))[0][1] == "Military Forces of Yemen"


def test_monitoring_groups_are_not_sides(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "ذكر المرصد السوري لحقوق الانسان ان الزبداني تتعرض لأبادة جماعية من براميل "
        "أسقطها النظام السوري على المدينة.",
    )
    assert actors(doc) == [("النظام السوري", "Military Forces of Syria")]


def test_article_country_ignores_external_forces_when_locals_are_named(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "شنت القوات الأمريكية غارة قرب كابل، وقالت حركة طالبان إن مقاتليها صدوا الهجوم.",
    )
    assert article_country(doc, ActorRegistry.load_default()) == "AF"


def test_article_country_is_none_without_actors() -> None:
    doc = Doc(text="x", meta=DocMeta(doc_id="t"))
    doc.add(Span(0, 1, "PLACE", {}))
    assert article_country(doc, ActorRegistry.load_default()) is None


def test_nationality_adjectives_point_to_the_country(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "ألقت وحدات من الحرس الوطني القبض على مسلحين في جبل السلوم بالقصرين، حسب ما "
        "أفادت به الإذاعة التونسية.",
        "2017-03-01",
    )
    assert actors(doc) == [
        ("الحرس الوطني", "Police Forces of Tunisia"),
        ("مسلحين", "Unidentified Armed Group (Tunisia)"),
    ]
    assert article_country(doc, ActorRegistry.load_default()) == "TN"


def test_speaker_organisation_is_not_a_side(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أكد المتحدث باسم المقاومة في تعز العميد سمير الحاج أن جماعة الحوثي دمرت منشآت "
        "خاصة وحكومية في محافظة تعز.",
        "2015-07-22",
    )
    assert actors(doc) == [("جماعة الحوثي", "Houthis")]


def test_parent_after_affiliation_word_is_one_side(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "قصف الجيش الليبي التابع للحكومة الليبية المعترف بها دوليا سفينة وأغرقها قرب "
        "مدينة بنغازي في شرق ليبيا.",
        "2015-07-21",
    )
    assert actors(doc) == [("الجيش الليبي", "Military Forces of Libya")]


def test_unidentified_group_named_by_its_parent(pipe: Pipeline) -> None:
    doc = run(pipe, "هاجم مسلحون موالون لتنظيم داعش حاجزا للجيش العراقي غرب الرمادي.", "2015-07-21")
    names = [name for _, name in actors(doc)]
    assert names == ["Islamic State", "Military Forces of Iraq"]


def test_suicide_adjective_is_not_a_bomber(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أعلن رئيس الوزراء التركي عن تحديد هوية مشتبه به في هجوم سوروتش الانتحاري.",
        "2015-07-21",
    )
    assert actors(doc) == []
    doc = run(pipe, "وفجر انتحاري نفسه وسط حشد من الشباب في بلدة سوروتش التركية.", "2015-07-21")
    assert [n for _, n in actors(doc)] == ["Unidentified Armed Group (Turkey)"]


def test_people_near_a_protest_word_are_protesters(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "تظاهر نحو مئتي شخص في بروكسل للتنديد بالغارات التي يشنها الجيش التركي.",
        "2015-08-02",
    )
    assert ("شخص", "Protesters (Turkey)") in actors(doc)
    doc = run(pipe, "قتل 6 أشخاص اليوم في غارات شنتها الطائرات التركية.", "2015-08-02")
    assert ("أشخاص", "Civilians (Turkey)") in actors(doc)


def test_intelligence_service_and_riot_police(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "قام جهاز المخابرات الإيرانية في اعتقال العشرات من المواطنين الأحوازيين.",
        "2015-07-22",
    )
    assert actors(doc)[0] == ("جهاز المخابرات الإيرانية", "Military Forces of Iran")
    doc = run(
        pipe,
        "وتدخلت وحدات من مكافحة الشغب لتفريق المتظاهرين في العاصمة الموريتانية نواكشوط.",
        "2015-07-24",
    )
    assert actors(doc)[0] == ("مكافحة الشغب", "Police Forces of Mauritania")


def test_coalition_aircraft_and_saleh_militias_in_yemen(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "استأنف طيران التحالف قصفه لردع المتمردين الحوثيين وميليشيات الرئيس المخلوع علي "
        "عبدالله صالح، فيما تشارك مقاتلات الأباتشي في قصف مواقع الانقلابيين في أبين.",
        "2015-08-08",
    )
    assert actors(doc) == [
        ("طيران التحالف", "Saudi-led Coalition"),
        ("المتمردين الحوثيين", "Houthis"),
        ("ميليشيات الرئيس المخلوع علي عبدالله صالح", "Military Forces of Yemen (Saleh faction)"),
        ("مقاتلات الأباتشي", "Saudi-led Coalition"),
        ("الانقلابيين", "Houthis"),
    ]


def test_office_and_fi_make_an_affiliation(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وأهابت وزارة الصحة في حكومة الوفاق الليبية بالعناصر الطبية الالتحاق فورًا "
        "بمستشفياتهم في طرابلس.",
        "2017-05-27",
    )
    assert actors(doc) == []


def test_number_and_nationality_noun_are_people(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "ويتراوح عدد المختطفين في ليبيا بين 50 و60 تونسيا، وقال إن الحكومة التونسية تتابع الملف.",
        "2015-06-14",
    )
    assert ("تونسيا", "Civilians (Tunisia)") in actors(doc)
    doc = run(
        pipe,
        "أعلن المرصد أن نحو ألف سوري بدأوا اعتصاماً في مدينة اللاذقية الساحلية.",
        "2015-08-09",
    )
    assert ("سوري", "Protesters (Syria)") in actors(doc)


def test_bare_head_noun_refers_back_to_the_group(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "دعا برازاني إلى سلام بين حزب العمال الكردستاني وتركيا. وقتل 6 أشخاص اليوم في "
        "غارات شنتها الطائرات التركية ضد مواقع الحزب.",
        "2015-08-02",
    )
    assert actors(doc)[-1] == ("الحزب", "PKK: Kurdistan Workers Party")
    doc = run(
        pipe,
        "فاز حزب العمال الكردستاني بمقاعد، وقال الحزب الحاكم إن الانتخابات نزيهة.",
        "2015-08-02",
    )
    assert [t for t, _ in actors(doc)] == ["حزب العمال الكردستاني"]


def test_plural_head_noun_is_not_a_back_reference(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "أعلن تنظيم داعش مسؤوليته عن الهجوم، وقال الخبراء إن التنظيمات تتنافس على المقاتلين.",
        "2015-08-02",
    )
    assert "التنظيمات" not in [t for t, _ in actors(doc)]


def test_groups_fighting_abroad_weakly_hint_their_country(pipe: Pipeline) -> None:
    reg = ActorRegistry.load_default()
    doc = run(
        pipe,
        "استمرت الاشتباكات في محيط الزبداني بين فصائل المعارضة من جهة وقوات الأسد "
        "وميليشيات حزب الله من جهة أخرى، وقتل عشرة من مقاتلي حزب الله، فيما شن طيران "
        "النظام غارات على المدينة التي يحاصرها حزب الله.",
        "2015-07-21",
    )
    assert article_country(doc, reg) == "SY"
    assert ("فصائل المعارضة", "Opposition Rebels (Syria)") in actors(doc)


def test_ranks_foreign_troops_and_security_officers(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "بقي في هذا البلد 12500 جندي أجنبي معظمهم من الأمريكيين، واستشهد في الغارة ضباط أمن "
        "إيرانيون، ومنح الوزير وسام جوقة الشرف برتبة ضابط.",
        "2015-07-21",
    )
    assert actors(doc) == [("ضباط أمن إيرانيون", "Police Forces of Iran")]


def test_fighters_and_member_nouns(pipe: Pipeline) -> None:
    # "مقاتلين" (fighters) belong to some side, not to an unidentified group; a member
    # noun in the indefinite names its group
    doc = run(
        pipe,
        "أفاد مصدر من المقاومة الشعبية بمقتل ثمانية عشر حوثياً، وقتل مقاتلين من "
        "المقاومة في الاشتباكات.",
        "2015-07-31",
    )
    names = [name for _text, name in actors(doc)]
    assert "Houthis" in names
    assert not any(n.startswith("Unidentified Armed Group") for n in names)


def test_anti_aircraft_weapons_are_not_the_air_force(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "وقصف الحوثيون عددا من الأحياء باستخدام قذائف الهاون وصواريخ الكاتيوشا ومضادات "
        "الطيران في تعز، بينما شن الطيران غارات على صعدة.",
        "2015-07-23",
    )
    assert [text for text, _ in actors(doc)] == ["الحوثيون", "الطيران"]
    assert doc.text.index("الطيران", doc.text.index("شن")) == doc.spans("ACTOR")[1].start


def test_the_minister_of_national_defence_is_not_the_syrian_militia(pipe: Pipeline) -> None:
    doc = run(
        pipe,
        "توقع وزير الدفاع الوطني فرحات الحرشاني اليوم الثلاثاء سقوط قتلى بين صفوف الارهابيين "
        "في عملية جبل سمامة بالقصرين أمس.",
        "2016-08-30",
    )
    assert "NDF: National Defence Forces" not in [name for _, name in actors(doc)]
