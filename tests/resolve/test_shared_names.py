"""Names shared by a city outside the region and places of the region ("الرباط": Rabat
and Yemeni villages; "داكار": Dakar and a village of Tartus): the article's countries
choose, and the foreign city never wins by its size alone in an article about a country
of the region that has a place of that name."""

from __future__ import annotations

import pytest

from marsad.resolve.gazetteer import Gazetteer
from tests.resolve.conftest import Locate, one_location


def test_names_are_shared(gaz: Gazetteer) -> None:
    assert {"MA", "YE"} <= {p.country for p in gaz.lookup("الرباط")}
    assert {"SN", "SY"} <= {p.country for p in gaz.lookup("داكار")}
    assert gaz.in_region("YE") and not gaz.in_region("MA")


@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        # Jawhara FM, a festival in Morocco
        (
            "ويعود مهرجان موازين إيقاعات العالم في المغرب، ويجعل من مدينتي الرباط وسلا "
            "مسرحا لملتقيات متميزة بين الجمهور وتشكيلة من الفنانين.",
            "الرباط",
            "Rabat",
        ),
        # SaudiNewsNet snn-00337
        (
            "وهي التي دخلت المغرب بشراء حصص الحكومة في شركة «صوماكا» بالدار البيضاء.",
            "الدار البيضاء",
            "Casablanca",
        ),
        ("وصل وزير الخارجية إلى الرباط المغربية في زيارة رسمية.", "الرباط", "Rabat"),
        ("وصل الوفد إلى العاصمة المغربية الرباط أمس.", "الرباط", "Rabat"),
        (
            "أعلنت وزارة الداخلية المغربية تفكيك خلية إرهابية في الرباط كانت تنشط أيضا "
            "في الدار البيضاء وطنجة.",
            "الدار البيضاء",
            "Casablanca",
        ),
    ],
)
def test_moroccan_article_takes_the_moroccan_city(
    locate: Locate, text: str, mention: str, name: str
) -> None:
    loc = one_location(locate(text), mention)
    assert (loc["name"], loc["country"], loc["geo_precision"]) == (name, "MA", 1)


def test_yemeni_article_takes_the_yemeni_place(locate: Locate) -> None:
    """SaudiNewsNet snn-00466, with the governorate named: Ar-Ribat north of Aden is not
    Morocco's capital, and Lahij stays in Yemen."""
    locs = locate(
        "وقالت مصادر محلية في محافظة لحج إن طائرات التحالف العربي أصابت مستودعا للذخائر "
        "تابعا للمتمردين مما أدى إلى انفجارات استمرت ساعتين في الرباط عند المدخل الشمالي "
        "لمدينة عدن."
    )
    assert one_location(locs, "الرباط")["country"] == "YE"
    assert one_location(locs, "لحج")["country"] == "YE"
    assert {loc["country"] for loc in locs} == {"YE"}


def test_syrian_village_named_like_a_foreign_capital(locate: Locate) -> None:
    """ "قرية داكار" in a Syrian report is the village of Tartus, never Senegal's capital."""
    loc = one_location(
        locate(
            "قصفت قوات النظام السوري بالمدفعية الثقيلة قرية داكار، ما أدى إلى دمار في "
            "منازل المدنيين."
        ),
        "داكار",
    )
    assert (loc["country"], loc["admin1"]) == ("SY", "Tartous")


def test_syrian_article_keeps_its_village(locate: Locate) -> None:
    locs = locate(
        "وقتل مدنيان في قصف مدفعي على بلدة الشيخ بدر في ريف طرطوس. وأفاد ناشطون بسقوط "
        "قذائف في داكار وتالين."
    )
    for name in ("داكار", "تالين"):
        loc = one_location(locs, name)
        assert (loc["country"], loc["admin1"]) == ("SY", "Tartous")


def test_foreign_city_when_nothing_else_decides(locate: Locate) -> None:
    """Prominence is the last resort: a report naming no other place takes the capital."""
    loc = one_location(locate("افتتحت المحاكمة بالتوقيت المحلي في داكار صباح أمس."), "داكار")
    assert (loc["name"], loc["country"]) == ("Dakar", "SN")
