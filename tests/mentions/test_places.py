"""places/v1: place phrases in real Arabic news sentences."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from marsad.doc import Doc, DocMeta, Span
from marsad.mentions.places import PlaceLexicon, PlaceMentions, PlaceRecognizer
from marsad.pipeline import Pipeline, Resources
from marsad.resolve.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load_default()


@pytest.fixture(scope="module")
def pipe(gaz: Gazetteer) -> Pipeline:
    return Pipeline(["normalize/v1", "segment/v1", "places/v1"], Resources(gazetteer=gaz))


def places(pipe: Pipeline, text: str) -> list[Span]:
    doc = pipe(Doc(text=text, meta=DocMeta(doc_id="t")))
    for s in doc.spans("PLACE"):
        assert doc.text[s.start : s.end] == s.attrs["text"]
        ps, pe = s.attrs["phrase"]
        assert ps <= s.start and s.end <= pe
    return doc.spans("PLACE")


def by_text(spans: list[Span]) -> dict[str, Span]:
    return {s.attrs["text"]: s for s in spans}


def test_stage_contract() -> None:
    assert PlaceMentions.reads == ("tokens",)
    assert PlaceMentions.writes == ("places",)


def test_frames_clitics_and_directions(pipe: Pipeline) -> None:
    got = by_text(
        places(pipe, "قصف الطيران بلدة كفرنبودة وريف إدلب الجنوبي وشمال حي جوبر بمدينة حماة")
    )
    assert set(got) == {"كفرنبودة", "إدلب", "جوبر", "حماة"}
    assert got["كفرنبودة"].attrs["frame"] == "town"
    idlib = got["إدلب"].attrs
    assert (idlib["frame"], idlib["direction"]) == ("countryside", "south")
    jobar = got["جوبر"].attrs
    assert (jobar["frame"], jobar["qualifier"], jobar["direction"]) == (
        "neighbourhood",
        "direction",
        "north",
    )
    assert got["حماة"].attrs["frame"] == "city"
    assert got["حماة"].attrs["candidates"]


def test_distance_phrase(pipe: Pipeline) -> None:
    text = "سيطرت الفصائل على ثلاث قرى على بعد 4 كيلومترات عن مدينة حماة من الجهة الشمالية"
    (span,) = places(pipe, text)
    a = span.attrs
    assert a["qualifier"] == "distance" and a["frame"] == "city"
    assert text[a["phrase"][0] : a["phrase"][1]] == "4 كيلومترات عن مدينة حماة"


def test_compound_direction_and_unknown_framed_name(pipe: Pipeline) -> None:
    got = by_text(places(pipe, "قتل خمسة في بلدة موجرين شمال شرق الفلوجة"))
    assert got["موجرين"].attrs["candidates"] == []
    assert got["موجرين"].attrs["frame"] == "town"
    assert got["الفلوجة"].attrs["direction"] == "north-east"


def test_road_between_two_places(pipe: Pipeline) -> None:
    (span,) = places(pipe, "قطعت الفصائل طريق حمص–السلمية بعد اشتباكات عنيفة")
    a = span.attrs
    assert a["frame"] == "road" and a["text"] == "حمص"
    assert a["via"]["text"] == "السلمية" and a["via"]["candidates"]


def test_near_and_outskirts(pipe: Pipeline) -> None:
    got = by_text(places(pipe, "دارت اشتباكات بالقرب من مدينة الرقة وعلى أطراف مدينة دير الزور"))
    assert got["الرقة"].attrs["qualifier"] == "near"
    assert got["دير الزور"].attrs["qualifier"] == "outskirts"


def test_list_after_plural_frame(pipe: Pipeline) -> None:
    got = by_text(places(pipe, "نزح الآلاف من محافظات الأنبار ونينوى وصلاح الدين"))
    assert {"الأنبار", "نينوى", "صلاح الدين"} <= set(got)
    assert got["صلاح الدين"].attrs["frame"] == "province"


def test_common_words_are_not_places(pipe: Pipeline) -> None:
    for text in [
        "نشرت الصحيفة الخبر في الصفحة الأولى يوم الخميس في آذار",
        "وقال وزير الداخلية إن الطائرات تدمر المنازل",
        "تحدث الأمير نايف بن عبد العزيز عن أهمية التعاون",
        "وأكد أن الطبقة الوسطى تعاني من ارتفاع الأسعار",
        "أعلنت الدولتان وقف إطلاق النار في الشوط الثاني",
        "وقدم خالد مساعدة كبيرة للفريق السوري في البطولة",
    ]:
        assert places(pipe, text) == [], text


def test_ambiguous_town_needs_a_locative(pipe: Pipeline) -> None:
    got = [s.attrs["text"] for s in places(pipe, "الطائرات تدمر المنازل في تدمر")]
    assert got == ["تدمر"]


def test_nationality_adjective_names_the_country(pipe: Pipeline) -> None:
    got = by_text(places(pipe, "قتل 32 شخصا في تفجير في مدينة سروج التركية"))
    assert got["سروج"].attrs.get("country_hint") == "TR"


def test_lexicon_is_well_formed() -> None:
    lex = PlaceLexicon.load_default()
    assert lex.frames[("ريف",)] == "countryside"
    assert lex.directions["شمال"] == "north"
    assert "حول" not in {p[0] for p in lex.near}
    assert lex.common_keys and lex.common_tokens


def test_false_alarms_on_corpus_sentences(shared: Path, gaz: Gazetteer) -> None:
    """On 60 Jawhara FM culture/sport/economy articles (few places), the recogniser
    finds few names that are not in the gazetteer's country of the article."""
    path = shared / "data" / "corpora" / "ant.jsonl.gz"
    if not path.is_file():
        pytest.skip("ANT corpus not available")
    rec = PlaceRecognizer(gaz)
    pipe = Pipeline(["normalize/v1", "segment/v1"])
    n_docs = n_mentions = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if d.get("category") not in ("culture", "sport", "economy"):
                continue
            doc = pipe(Doc(text=d["text"], meta=DocMeta(doc_id=d["doc_id"])))
            n_mentions += len(rec.find(doc))
            n_docs += 1
            if n_docs == 60:
                break
    # these articles mention a few real places (Tunisian towns, countries) each
    assert n_mentions / n_docs < 4.0


def test_peaceful_is_not_salamiyah() -> None:
    from marsad.doc import Doc, DocMeta
    from marsad.pipeline import Pipeline

    pipe = Pipeline(["clean/v1", "normalize/v1", "segment/v1", "places/v1"])
    text = "خرج الآلاف في مظاهرات سلمية في بغداد أمس."
    doc = pipe(Doc(text=text, meta=DocMeta(doc_id="t")))
    assert [text[s.start : s.end] for s in doc.spans("PLACE")] == ["بغداد"]
    towns = "قصفت الطائرات مدينتي حمص والسلمية في ريف حماة."
    doc = pipe(Doc(text=towns, meta=DocMeta(doc_id="t")))
    assert "السلمية" in [towns[s.start : s.end] for s in doc.spans("PLACE")]


def _place_doc(text: str) -> Doc:
    pipe = Pipeline(["clean/v1", "normalize/v1", "segment/v1", "places/v1"])
    return pipe(Doc(text=text, meta=DocMeta(doc_id="t")))


def _places(text: str) -> list[tuple[str, str]]:
    doc = _place_doc(text)
    return [(text[s.start : s.end], str(s.attrs.get("frame"))) for s in doc.spans("PLACE")]


def test_road_linking_two_towns_is_one_road_phrase() -> None:
    text = "قطعت الفصائل الطريق الواصل بين مدينتي حمص والسلمية في ريف حماة الشرقي."
    doc = _place_doc(text)
    road = next(s for s in doc.spans("PLACE") if s.attrs.get("frame") == "road")
    assert text[road.start : road.end] == "حمص"
    assert road.attrs["via"]["text"] == "السلمية"
    ps, pe = road.attrs["phrase"]
    assert text[ps:pe] == "الطريق الواصل بين مدينتي حمص والسلمية"


@pytest.mark.parametrize(
    "text",
    [
        "تجمعوا في منطقة كاديكوي لأكبر مدينة تركية أمس",
        "سقطت القذائف على مدينة سورية حدودية",
        "وصل الوفد إلى مدينة مصرية ساحلية",
    ],
)
def test_nationality_adjective_after_a_frame_is_no_place(text: str) -> None:
    assert not [name for name, _frame in _places(text) if name in ("تركية", "سورية", "مصرية")]


def test_country_written_sourya_is_still_a_place() -> None:
    assert ("سورية", "") in _places("دخلت قوات تركية إلى سورية أمس")


def test_compound_name_after_a_frame_is_not_its_head_alone() -> None:
    # "بيت" alone is a Yemeni village; "قرية بيت فارس" is one (unknown) name
    assert _places("حاولت القوات التقدم نحو قرية بيت فارس") == [("بيت فارس", "village")]


def test_quoted_name_after_a_frame() -> None:
    assert _places('حاولت القوات التقدم نحو قرى "بيت فارس" أمس') == [("بيت فارس", "village")]
    assert ("كفرنبودة", "town") in _places("سيطرت الفصائل على بلدة “كفرنبودة” في ريف حماة")


def test_given_name_faris_is_not_the_iranian_province() -> None:
    assert _places("وقال فارس إن الاشتباكات توقفت") == []
    assert _places("ودان المتظاهرون الهجوم") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "بسلمية المظاهرات": the peacefulness of the protests; the town takes a frame
        ("أشاد رئيس الجمهورية فؤاد معصوم بسلمية المظاهرات", []),
        ("قصفت الطائرات الحربية مدينة سلمية في ريف حماة", ["سلمية", "حماة"]),
        ("سقطت قذائف صاروخية في السلمية", ["السلمية"]),
        # "في الميادين المختلفة": the various fields, not the town on the Euphrates
        ("يعقد اجتماعات مع الخبراء في الميادين المختلفة", []),
        ("سقطت قذائف في الميادين أمس", ["الميادين"]),
        # "جسرين رئيسيين": two main bridges, with their agreeing dual adjective
        (
            "تهدم جزء كبير من جسرين رئيسيين في ريف دير الزور جراء استهدافهما بغارات",
            ["دير الزور"],
        ),
        ("سقطت قذائف على بلدة جسرين في الغوطة الشرقية", ["جسرين", "الغوطة الشرقية"]),
    ],
)
def test_common_words_that_name_towns(pipe: Pipeline, text: str, expected: list[str]) -> None:
    doc_places = places(pipe, text)
    assert [text[p.start : p.end] for p in doc_places] == expected


def test_place_of_origin_is_marked() -> None:
    text = "ألقت دورية للحرس الوطني ببن عروس القبض على شخصين أصيلي ولاية باجة"
    doc = _place_doc(text)
    origin = {text[s.start : s.end]: bool(s.attrs.get("origin")) for s in doc.spans("PLACE")}
    assert origin == {"بن عروس": False, "باجة": True}


def test_quoted_name_keeps_only_namesakes_in_the_articles_countries() -> None:
    # Miyaneh is a town in Iran; a quoted mountain in a Tunisian story is unknown
    doc = _place_doc('غرق شاب في بحيرة بسفح جبل "ميّانة" بولاية صفاقس التونسية قرب مدينة تونس')
    [mountain] = [s for s in doc.spans("PLACE") if s.attrs.get("frame") == "mountain"]
    assert mountain.attrs["candidates"] == []


def test_known_name_framed_once_is_a_place_when_written_alone() -> None:
    text = (
        "قصف داعش ثكنة عسكرية قرب ناحية الصقلاوية شمال غربي الفلوجة، وكانت الصقلاوية "
        "شهدت اشتباكات عنيفة."
    )
    assert [name for name, _frame in _places(text)].count("الصقلاوية") == 2


def test_unknown_names_after_a_dual_frame() -> None:
    assert _places("فرضت القوات سيطرتها على منطقتي الحامضية والبوعيثة لقطع طرق الإمداد")[0] == (
        "الحامضية",
        "region",
    )
    # "بلدتي" with no second name joined by و is "my town"
    assert _places("عدت إلى بلدتي الصغيرة أمس") == []


def test_phrase_saying_where_a_place_lies_is_marked() -> None:
    doc = _place_doc("وفي محافظة الشرقية التي تقع شمال شرقي القاهرة قالت مصادر أمنية إن")
    marks = {doc.text[s.start : s.end]: bool(s.attrs.get("describes")) for s in doc.spans("PLACE")}
    # "الشرقية" after a province frame is the province (Sharqia), not a direction
    assert marks == {"الشرقية": False, "القاهرة": True}
    doc = _place_doc("حذروا من انهيار الوضع في محافظة ديالى (60 كلم شمال شرقي بغداد) بعد المجزرة")
    assert [bool(s.attrs.get("describes")) for s in doc.spans("PLACE")] == [False, True]


def test_transit_traffic_is_not_the_egyptian_city() -> None:
    assert _places("أشعلوا العجلات مما حكم على حركة العبور في الاتجاهين بالتوقف") == []


def test_the_country_a_place_borders_places_nothing() -> None:
    text = (
        "قتل شخصان في اشتباكات جديدة اندلعت ليلة امس في جنوب شرق تركيا، ووقعت الوفيات في "
        "سيلوبي قرب الحدود مع العراق وسورية."
    )
    doc = _place_doc(text)
    marked = {text[s.start : s.end]: bool(s.attrs.get("describes")) for s in doc.spans("PLACE")}
    assert marked["العراق"] and marked["سورية"]  # the border, and the list that goes on
    assert not marked["تركيا"]
    # a district on a province's border is still nearest to that province
    text = "قصف طيران التحالف مواقع في منطقة كوبرات الحدودية مع محافظة كركوك."
    doc = _place_doc(text)
    assert not any(s.attrs.get("describes") for s in doc.spans("PLACE"))
