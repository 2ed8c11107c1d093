"""Names shared by a city outside the region and places of the region ("الرباط": Rabat
and Yemeni villages; "داكار": Dakar and a village of Tartus): the article's countries
choose, and the foreign city never wins by its size alone in an article about a country
of the region that has a place of that name."""

from __future__ import annotations

from typing import Any

import pytest

import marsad.mentions.places  # noqa: F401  (registers places/v1)
from marsad.doc import Doc, DocMeta
from marsad.pipeline import Pipeline, Resources
from marsad.resolve.gazetteer import Gazetteer
from marsad.resolve.places import PlaceResolver, resolve_all


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load_default()


@pytest.fixture(scope="module")
def run(gaz: Gazetteer) -> Any:
    pipe = Pipeline(["normalize/v1", "segment/v1", "places/v1"], Resources(gazetteer=gaz))
    resolver = PlaceResolver(gaz)

    def go(text: str) -> list[dict[str, Any]]:
        doc = pipe(Doc(text=text, meta=DocMeta(doc_id="t")))
        return resolve_all(doc, resolver)

    return go


def _one(locs: list[dict[str, Any]], text: str) -> dict[str, Any]:
    got = [loc for loc in locs if loc["text"] == text or text in loc["text"]]
    assert got, f"{text!r} not found in {[loc['text'] for loc in locs]}"
    return got[0]


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
    run: Any, text: str, mention: str, name: str
) -> None:
    loc = _one(run(text), mention)
    assert (loc["name"], loc["country"], loc["geo_precision"]) == (name, "MA", 1)


def test_yemeni_article_takes_the_yemeni_place(run: Any) -> None:
    """SaudiNewsNet snn-00466, with the governorate named: Ar-Ribat north of Aden is not
    Morocco's capital, and Lahij stays in Yemen."""
    locs = run(
        "وقالت مصادر محلية في محافظة لحج إن طائرات التحالف العربي أصابت مستودعا للذخائر "
        "تابعا للمتمردين مما أدى إلى انفجارات استمرت ساعتين في الرباط عند المدخل الشمالي "
        "لمدينة عدن."
    )
    assert _one(locs, "الرباط")["country"] == "YE"
    assert _one(locs, "لحج")["country"] == "YE"
    assert {loc["country"] for loc in locs} == {"YE"}


def test_syrian_village_named_like_a_foreign_capital(run: Any) -> None:
    """ "قرية داكار" in a Syrian report is the village of Tartus, never Senegal's capital."""
    loc = _one(
        run(
            "قصفت قوات النظام السوري بالمدفعية الثقيلة قرية داكار، ما أدى إلى دمار في "
            "منازل المدنيين."
        ),
        "داكار",
    )
    assert (loc["country"], loc["admin1"]) == ("SY", "Tartous")


def test_syrian_article_keeps_its_village(run: Any) -> None:
    locs = run(
        "وقتل مدنيان في قصف مدفعي على بلدة الشيخ بدر في ريف طرطوس. وأفاد ناشطون بسقوط "
        "قذائف في داكار وتالين."
    )
    for name in ("داكار", "تالين"):
        loc = _one(locs, name)
        assert (loc["country"], loc["admin1"]) == ("SY", "Tartous")


def test_foreign_city_when_nothing_else_decides(run: Any) -> None:
    """Prominence is the last resort: a report naming no other place takes the capital."""
    loc = _one(run("افتتحت المحاكمة بالتوقيت المحلي في داكار صباح أمس."), "داكار")
    assert (loc["name"], loc["country"]) == ("Dakar", "SN")
