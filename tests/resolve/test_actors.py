"""The actor registry: schema, real Arabic aliases and resolution of generic sides."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from marsad.errors import DataError
from marsad.pipeline import Resources
from marsad.resolve.actors import (
    ActorRegistry,
    alias_key,
    default_schema,
    fold_word,
    validate,
)
from marsad.text.arabic import name_key
from tests.conftest import load_script


@pytest.fixture(scope="module")
def reg() -> ActorRegistry:
    return ActorRegistry.load_default()


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("marsad").joinpath("data/actors.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def names(reg: ActorRegistry, alias: str) -> list[str]:
    return [a.name for a in reg.candidates(name_key(alias))]


def test_packaged_registry_matches_schema(data: dict[str, Any]) -> None:
    assert validate(data, default_schema()) == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("actors", 0, "inter"), 9, "> 8"),
        (("actors", 0, "kind"), "army", "not one of"),
        (("actors", 0, "country"), "Syria", "does not match"),
        (("actors", 0, "aliases"), [], "fewer than 1"),
        (("generic", 0, "by_country"), {"syria": "Houthis"}, "does not match"),
        (("actors", 0, "colour"), "red", "unexpected property"),
    ],
)
def test_schema_rejects_bad_entries(
    data: dict[str, Any], path: tuple[Any, ...], value: Any, message: str
) -> None:
    bad = copy.deepcopy(data)
    node: Any = bad
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    errors = validate(bad, default_schema())
    assert any(message in e for e in errors), errors
    with pytest.raises(DataError):
        ActorRegistry.from_yaml(yaml.safe_dump(bad, allow_unicode=True))


def test_missing_required_field_is_reported(data: dict[str, Any]) -> None:
    bad = copy.deepcopy(data)
    del bad["actors"][3]["inter"]
    assert any("missing 'inter'" in e for e in validate(bad, default_schema()))


def test_unknown_by_country_target_is_an_error(data: dict[str, Any]) -> None:
    bad = copy.deepcopy(data)
    bad["generic"][0]["by_country"] = {"SY": "No Such Actor"}
    with pytest.raises(DataError, match="No Such Actor"):
        ActorRegistry.from_yaml(yaml.safe_dump(bad, allow_unicode=True))


def test_broken_yaml_is_a_data_error() -> None:
    with pytest.raises(DataError):
        ActorRegistry.from_yaml("actors: [\n")


def test_fold_word_joins_number_and_gender_forms() -> None:
    forms = ["حوثي", "حوثيين", "حوثيون", "حوثيه", "حوثيا"]
    assert {fold_word(f) for f in forms} == {"حوثي"}
    assert fold_word("مسلحين") == fold_word("مسلحون") == fold_word("مسلحا") == "مسلح"
    assert fold_word("ميليشيات") == fold_word("مليشيا") == fold_word("ميليشيا")
    # short words are left alone, so "الشرطة" does not meet "شرط" (condition)
    assert fold_word("شرطه") == "شرطه"
    assert alias_key("ميليشيات الحوثي") == alias_key("مليشيا الحوثي")


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        # forms as written in SaudiNewsNet / Jawhara FM articles
        ("الحوثيين", "Houthis"),
        ("الحوثيون", "Houthis"),
        ("ميليشيات الحوثي", "Houthis"),
        ("مليشيا الحوثي", "Houthis"),
        ("الميليشيات الحوثية", "Houthis"),
        ("المتمردين الحوثيين", "Houthis"),
        ("قوات التمرد الحوثي", "Houthis"),
        ("جماعة أنصار الله", "Houthis"),
        ("العناصر الحوثية", "Houthis"),
        ("المقاومة الشعبية", "Popular Resistance (Yemen)"),
        ("ثوار تعز", "Popular Resistance (Yemen)"),
        ("قوات الرئيس المخلوع علي عبد الله صالح", "Military Forces of Yemen (Saleh faction)"),
        ("التحالف العربي", "Saudi-led Coalition"),
        ("نظام بشار الأسد", "Military Forces of Syria"),
        ("الجيش السوري", "Military Forces of Syria"),
        ("قوات الدفاع الوطني", "NDF: National Defence Forces"),
        ("جبهة النصرة", "Jabhat al-Nusra"),
        ("هيئة تحرير الشام", "Hayat Tahrir al-Sham"),
        ("فيلق الرحمن", "Faylaq al-Rahman"),
        ("أحرار الشام", "Ahrar al-Sham"),
        ("الجيش الحر", "Free Syrian Army"),
        ("الفرقة الثانية الساحلية", "2nd Coastal Division"),
        ("قوات سوريا الديمقراطية", "SDF: Syrian Democratic Forces"),
        ("وحدات حماية الشعب الكردية", "YPG: People's Protection Units"),
        ("تنظيم داعش", "Islamic State"),
        ("تنظيم الدولة الإسلامية", "Islamic State"),
        ("الدولة الإسلامية في العراق والشام", "Islamic State"),
        ("جماعة ولاية سيناء", "Islamic State (Sinai Province)"),
        ("أنصار بيت المقدس", "Ansar Bayt al-Maqdis"),
        ("حزب الله اللبناني", "Hezbollah"),
        ("ميليشيا حزب الله", "Hezbollah"),
        ("كتائب حزب الله", "Kataib Hezbollah"),
        ("الحشد الشعبي", "Popular Mobilization Forces"),
        ("قوات البيشمركة", "Peshmerga"),
        ("قوات الصحوة", "Sahwa Militia"),
        ("حزب العمال الكردستاني", "PKK: Kurdistan Workers Party"),
        ("المنظمة الانفصالية الإرهابية", "PKK: Kurdistan Workers Party"),
        ("الجيش التركي", "Military Forces of Turkey"),
        ("قوات الأمن التركية", "Police Forces of Turkey"),
        ("قوات الدرك التركية", "Military Forces of Turkey (2002-) Gendarmerie"),
        ("جيش الاحتلال الإسرائيلي", "Military Forces of Israel"),
        ("الطيران الحربي الإسرائيلي", "Military Forces of Israel"),
        ("مستوطنون إسرائيليون", "Settlers (Israel)"),
        ("حركة طالبان", "Taliban"),
        ("الجيش الأفغاني", "Military Forces of Afghanistan"),
        ("الحرس الوطني التونسي", "Police Forces of Tunisia"),
        ("كتيبة عقبة بن نافع", "Okba Ibn Nafaa Brigade"),
        ("الجيش الليبي", "Military Forces of Libya"),
        ("حكومة الوفاق الليبية", "Military Forces of Libya (2016-) Government of National Accord"),
        ("الجيش المصري", "Military Forces of Egypt"),
        ("الشرطة الموريتانية", "Police Forces of Mauritania"),
        ("القوات الأمريكية", "Military Forces of the United States"),
        ("القوات الأميركية", "Military Forces of the United States"),
        ("التحالف الدولي", "Global Coalition Against Daesh"),
        ("الشرطة الإيطالية", "Police Forces of Italy"),
        ("وزارة الداخلية الكويتية", "Police Forces of Kuwait"),
    ],
)
def test_real_aliases_name_their_actor(reg: ActorRegistry, alias: str, expected: str) -> None:
    assert expected in names(reg, alias)


def test_multiword_alias_prefixes_are_known(reg: ActorRegistry) -> None:
    assert reg.is_prefix(name_key("حزب العمال"))
    assert reg.is_prefix(name_key("المرصد السوري"))
    assert not reg.is_prefix(name_key("حزب العمال الكردستاني"))
    assert reg.max_words >= 5


@pytest.mark.parametrize(
    ("alias", "country", "year", "expected"),
    [
        ("قوات النظام", "SY", None, "Military Forces of Syria"),
        ("قوات النظام", None, None, "Military Forces of Syria"),
        ("الجيش", "EG", 2015, "Military Forces of Egypt"),
        ("الجيش", "YE", 2015, "Military Forces of Yemen (Hadi faction)"),
        ("الجيش", "YE", 2020, "Military Forces of Yemen"),
        ("الطيران الحربي", "SY", 2015, "Military Forces of Syria"),
        ("الطيران الحربي", "YE", 2015, "Saudi-led Coalition"),
        ("الشرطة", "EG", None, "Police Forces of Egypt"),
        ("قوات الأمن", "TR", None, "Police Forces of Turkey"),
        ("مسلحون مجهولون", "IQ", None, "Unidentified Armed Group (Iraq)"),
        ("مسلحين", "TN", None, "Unidentified Armed Group (Tunisia)"),
        ("مدنيين", "YE", None, "Civilians (Yemen)"),
        ("المتظاهرين", "TN", None, "Protesters (Tunisia)"),
        ("المحتجون", "US", None, "Protesters (United States)"),
        ("مثيري الشغب", "TN", None, "Rioters (Tunisia)"),
        ("التحالف", "YE", None, "Saudi-led Coalition"),
        ("التحالف", "IQ", None, "Global Coalition Against Daesh"),
        ("الانقلابيين", "YE", None, "Houthis"),
        ("المتمردين", "YE", None, "Houthis"),
        ("الثوار", "SY", None, "Opposition Rebels (Syria)"),
        ("الثوار", "YE", None, "Popular Resistance (Yemen)"),
        ("فصائل المعارضة", "SY", None, "Opposition Rebels (Syria)"),
        ("الحرس الوطني", "TN", None, "Police Forces of Tunisia"),
        ("قوات الدرك", "TR", None, "Military Forces of Turkey (2002-) Gendarmerie"),
        ("السلطات", "US", None, "Government of the United States"),
        ("جهاز المخابرات", "IR", None, "Military Forces of Iran"),
        ("مكافحة الشغب", "MR", None, "Police Forces of Mauritania"),
        ("قبيلة التبو", "LY", None, "Tebu Ethnic Militia (Libya)"),
        ("الطوارق", "LY", None, "Tuareg Ethnic Militia (Libya)"),
        ("مقاتلات الأباتشي", "YE", 2015, "Saudi-led Coalition"),
        ("ميليشيات الرئيس المخلوع", "YE", 2015, "Military Forces of Yemen (Saleh faction)"),
        ("المسيحيين", "LY", None, "Civilians (Libya)"),
        ("الانتحاري", "TR", None, "Unidentified Armed Group (Turkey)"),
    ],
)
def test_generic_sides_resolve_by_country(
    reg: ActorRegistry, alias: str, country: str | None, year: int | None, expected: str
) -> None:
    generic = [a for a in reg.candidates(name_key(alias)) if a.generic]
    assert generic, alias
    assert reg.resolve_generic(generic[0], country, year).name == expected


def test_unresolvable_generic_stays_generic(reg: ActorRegistry) -> None:
    [coalition] = reg.candidates(name_key("التحالف"))
    assert reg.resolve_generic(coalition, None) is coalition
    assert reg.resolve_generic(coalition, "EG").generic


def test_by_name_and_mention_attrs(reg: ActorRegistry) -> None:
    houthis = reg.by_name("Houthis")
    assert houthis is not None
    assert (houthis.inter, houthis.country, houthis.kind) == (2, "YE", "rebel")
    rahman = reg.by_name("Faylaq al-Rahman")
    assert rahman is not None and rahman.affiliation == "Opposition Rebels (Syria)"
    assert reg.by_name("No Such Group") is None
    template = reg.by_name("Unidentified Armed Group ({name})")
    assert template is not None and template.generic
    assert reg.resolve_generic(template, "LY").name == "Unidentified Armed Group (Libya)"
    resolved = reg.resolve_mention({"generic": True, "rule": "civilians"}, "SY")
    assert resolved is not None and resolved.name == "Civilians (Syria)"
    assert resolved.inter == 7


def test_external_state_forces_are_inter_8(reg: ActorRegistry) -> None:
    turkey = reg.by_name("Military Forces of Turkey")
    assert turkey is not None
    assert reg.inter_in(turkey, "TR") == 1
    assert reg.inter_in(turkey, "SY") == 8


def test_every_actor_is_well_formed(reg: ActorRegistry) -> None:
    for actor in reg:
        assert 0 <= actor.inter <= 8
        if not actor.generic:
            assert "{" not in actor.name, actor
        if actor.affiliation and not actor.affiliation.startswith("Kurdistan"):
            assert reg.by_name(actor.affiliation) is not None, actor


def test_years_active(reg: ActorRegistry) -> None:
    hts = reg.by_name("Hayat Tahrir al-Sham")
    assert hts is not None
    assert hts.active_in(2018) and not hts.active_in(2015) and hts.active_in(None)


def test_resources_provide_the_registry() -> None:
    assert isinstance(Resources().get("actors"), ActorRegistry)


def test_load_from_path(tmp_path: Any, data: dict[str, Any]) -> None:
    small = copy.deepcopy(data)
    small["actors"] = [a for a in small["actors"] if a["country"] != "LB"]
    p = tmp_path / "actors.yaml"
    p.write_text(yaml.safe_dump(small, allow_unicode=True), "utf-8")
    reg = ActorRegistry.from_path(p)
    assert reg.by_name("Houthis") is not None
    assert reg.by_name("Hezbollah") is None
    with pytest.raises(DataError):
        ActorRegistry.from_path(tmp_path / "missing.yaml")


def test_validate_registry_script(tmp_path: Any, data: dict[str, Any]) -> None:
    module = load_script("validate_registry")
    assert module.main([]) == 0
    bad = copy.deepcopy(data)
    bad["actors"][0]["inter"] = 12
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(bad, allow_unicode=True), "utf-8")
    assert module.main([str(p)]) == 1


def test_context_cues_are_folded_like_article_words(reg: ActorRegistry) -> None:
    assert fold_word(name_key("التابعة")) in reg.affiliation_before
    assert fold_word(name_key("احتجاجات")) in reg.protest_words
    assert fold_word(name_key("باسم")) in reg.speaker_before
    assert fold_word(name_key("وزارة")) in reg.office_words
    assert alias_key("الحزب") in reg.back_reference_heads
    assert alias_key("الأحزاب") not in reg.back_reference_heads


def test_suicide_adjective_is_blocked_after_an_attack(reg: ActorRegistry) -> None:
    [bomber] = [a for a in reg.candidates(name_key("الانتحاري")) if a.generic]
    near = [name_key("هجوم"), name_key("سوروتش")]
    assert reg.blocked(bomber, [name_key("سوروتش")], [], near)
    assert not reg.blocked(bomber, [name_key("فجر")], [name_key("نفسه")], [name_key("فجر")])


def test_country_weight_is_read(reg: ActorRegistry, data: dict[str, Any]) -> None:
    hezbollah = reg.by_name("Hezbollah")
    assert hezbollah is not None and hezbollah.country_weight == 0.25
    houthis = reg.by_name("Houthis")
    assert houthis is not None and houthis.country_weight is None
    bad = copy.deepcopy(data)
    bad["actors"][0]["country_weight"] = 5
    assert any("> 2" in e for e in validate(bad, default_schema()))
