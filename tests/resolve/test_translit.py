"""Towns known to GeoNames only by a Latin name, met by the consonant skeletons of
``resolve/translit.py`` (real names from the news corpora and GeoNames)."""

from __future__ import annotations

import pytest

from marsad.resolve.gazetteer import Gazetteer
from marsad.resolve.translit import arabic_skeleton, latin_skeletons
from tests.resolve.conftest import Locate, one_location


@pytest.mark.parametrize(
    ("arabic", "latin", "country"),
    [
        ("سوروتش", "Suruç", "TR"),  # Turkish ç is تش
        ("جزرة", "Cizre", "TR"),  # Turkish c is ج
        ("شرناق", "Şırnak", "TR"),
        ("يوكسكوفا", "Yüksekova", "TR"),  # v as ف
        ("ويران شهر", "Viranşehir", "TR"),  # v as و, the compound written apart
        ("ذهيبة", "Dehiba", "TN"),  # French dh, a final ة
        ("بن قردان", "Ben Gardane", "TN"),  # Maghrebi g is ق
        ("القصرين", "Kasserine", "TN"),  # the article and a doubled s
        ("سديروت", "Sderot", "IL"),
        ("جدة", "Jeddah", "SA"),  # a final h after a vowel is the ة
    ],
)
def test_arabic_and_latin_spellings_share_a_skeleton(arabic: str, latin: str, country: str) -> None:
    assert arabic_skeleton(arabic) in latin_skeletons(latin, country)


def test_different_towns_have_different_skeletons() -> None:
    assert arabic_skeleton("سوروتش") not in latin_skeletons("Silopi", "TR")
    assert arabic_skeleton("مانيسا") not in latin_skeletons("Mersin", "TR")


def test_gazetteer_finds_a_latin_only_town(gaz: Gazetteer) -> None:
    assert gaz.lookup("سوروتش") == []  # GeoNames gives it no Arabic name
    found = gaz.by_skeleton("سوروتش")
    assert found and (found[0].name_en, found[0].admin1) == ("Suruç", "Sanliurfa")
    assert gaz.by_skeleton("تطاوين") == []  # two consonants ("tn") are too few to tell


def test_framed_unknown_town_resolves_in_the_articles_country(locate: Locate) -> None:
    text = (
        "وقالت وزارة الداخلية التركية إن هجوما إرهابيا وقع في مدينة سوروتش في شانلي أورفة، "
        "وأضافت أن الهجوم في سوروتش أوقع 32 قتيلا."
    )
    locs = locate(text)
    framed = one_location(locs, "سوروتش")
    assert (framed["country"], framed["admin1"], framed["geo_precision"]) == (
        "TR",
        "Sanliurfa",
        1,
    )
    assert abs(framed["lat"] - 36.976) < 0.01
    # the bare mention later in the article is the same town
    assert [loc["id"] for loc in locs if loc["text"] == "سوروتش"] == [framed["id"]] * 2


def test_latin_only_match_needs_a_town_frame_and_the_country(locate: Locate) -> None:
    # a mountain is no populated place ("جبل الهيكل" is not the Israeli village H̱ogla):
    # it keeps the point of the city beside it, at precision 2
    locs = locate("دعت منظمة جبل الهيكل اليهودية إلى اقتحام المسجد الأقصى في القدس.")
    mount = one_location(locs, "الهيكل")
    assert (mount["id"], mount["admin1"], mount["geo_precision"]) == (None, "Jerusalem", 2)
    # a Tunisian town's spelling in an article about Libya is not looked for in Tunisia
    locs = locate("قال مسؤول محلي إن انفجارا وقع في بلدة بوعطني قرب مدينة بنغازي الليبية.")
    loc = one_location(locs, "بوعطني")
    assert loc["country"] == "LY"
