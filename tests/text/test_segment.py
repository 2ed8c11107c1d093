"""Normalisation with an offset map, sentences and clitic-aware tokens."""

from __future__ import annotations

from marsad.doc import Doc, DocMeta
from marsad.pipeline import Pipeline
from marsad.text.arabic import match_keys, name_key, normalize, normalize_with_map, strip_proclitics

SEED_LEAD = (
    "حققت الفصائل السورية المعارضة أمس تقدما إضافيا على حساب قوات الرئيس بشار الأسد "
    "وحلفائه في محافظة حماة وسط البلاد.\n\nAd\n\nووفق المرصد السوري لحقوق الإنسان، "
    "فإن الفصائل تمكنت من السيطرة على 3 قرى جديدة."
)


def _doc(text: str) -> Doc:
    return Pipeline(["clean/v1", "normalize/v1", "segment/v1"])(
        Doc(text=text, meta=DocMeta(doc_id="t"))
    )


def test_normalize_folds_letters_digits_and_drops_diacritics() -> None:
    assert normalize("قُتِلَ ٣٧ مدنياً في إدلب") == "قتل 37 مدنيا في ادلب"
    assert normalize("الرقّة") == "الرقه"
    assert normalize("مستشفى") == "مستشفي"


def test_offset_map_points_back_into_the_original() -> None:
    text = "أُصيبَ ١٠ أشخاصٍ"
    norm, m = normalize_with_map(text)
    assert norm == "اصيب 10 اشخاص"
    i = norm.index("10")
    assert text[m[i] : m[i + 1] + 1] == "١٠"
    assert len(m) == len(norm) + 1 and m[-1] == len(text)


def test_clitics_and_keys() -> None:
    assert strip_proclitics("وبالمدينه") == ("وبال", "مدينه")
    assert strip_proclitics("بغداد")[1] in ("غداد", "بغداد")
    assert "رقه" in match_keys("والرقه")
    assert "بغداد" in match_keys("بغداد")
    assert name_key("كفر نبودة") == "كفر نبوده"
    assert name_key("الرقة") == "رقه"


def test_sentences_tokens_and_boilerplate_skip() -> None:
    doc = _doc(SEED_LEAD)
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    assert len(texts) == 2
    assert texts[0].startswith("حققت") and texts[0].endswith("وسط البلاد.")
    assert texts[1].startswith("ووفق المرصد")
    assert all(doc.text[t.start : t.end] != "Ad" for t in doc.tokens)
    hama = next(t for t in doc.tokens if doc.text[t.start : t.end] == "حماة")
    assert hama.norm == "حماه" and hama.sent == 0
    wafq = next(t for t in doc.tokens if doc.text[t.start : t.end] == "ووفق")
    assert wafq.sent == 1
    # every token's offsets cut exactly its word out of the untouched text
    for t in doc.tokens:
        assert normalize(doc.text[t.start : t.end]) == t.norm


def test_dotted_abbreviations_do_not_end_sentences() -> None:
    doc = _doc(
        "نقلت وكالة أ.ف.ب عن مصدر أمني أن 3.5 أطنان من المتفجرات ضبطت. وقال المصدر إن التحقيق مستمر."
    )
    assert len(doc.sentences) == 2


def test_one_letter_title_abbreviations_do_not_end_sentences() -> None:
    doc = _doc(
        "بدايةً أكد د. عبدالعزيز الساعاتي مدير الجامعة أن ذلك يعد جريمة كبرى. وقال م. عادل "
        "الملحم أمين الأحساء إن الحادث إرهابي. وقتل في الهجوم 3."
    )
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    assert len(texts) == 3
    assert texts[0].startswith("بدايةً أكد د. عبدالعزيز")
