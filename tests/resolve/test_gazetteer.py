"""The packaged gazetteer: loading, name variants, same-name places, overlays."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from marsad.errors import DataError
from marsad.pipeline import Resources
from marsad.resolve.gazetteer import (
    COLUMNS,
    EXTRA_ENV,
    Gazetteer,
    Place,
    format_row,
    place_keys,
)
from marsad.text.arabic import match_keys, name_key, normalize


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_files([])


def test_loads_fast_and_is_large() -> None:
    g = Gazetteer.from_files([])  # load time is measured by scripts/bench_gazetteer.py
    assert len(g) > 50_000
    assert g.max_words >= 4


def test_default_loader_is_registered_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXTRA_ENV, raising=False)
    g = Resources().get("gazetteer")
    assert isinstance(g, Gazetteer)
    assert Gazetteer.load_default() is Gazetteer.load_default()


def test_spelling_variants_share_candidates(gaz: Gazetteer) -> None:
    # joined and spaced compound, hamza/alef, ta marbuta/ha, alef maqsura/ya, article
    pairs = [
        ("كفرنبودة", "كفر نبودة"),
        ("إدلب", "ادلب"),
        ("حماة", "حماه"),
        ("ديالى", "ديالي"),
        ("الرقة", "رقة"),
        ("عين العرب", "عين عرب"),
    ]
    for a, b in pairs:
        ca, cb = gaz.lookup(a), gaz.lookup(b)
        assert ca, a
        assert [p.id for p in ca] == [p.id for p in cb], (a, b)


def test_article_token_keys_line_up_with_index(gaz: Gazetteer) -> None:
    # A token with clitics finds the place through match_keys, as the recogniser does.
    keys = match_keys(normalize("وبالرقة"))
    assert any(p.admin1 == "Ar-Raqqa" and p.type == "city" for k in keys for p in gaz.candidates(k))


def test_same_name_places_in_two_governorates(gaz: Gazetteer) -> None:
    suran = {p.admin1 for p in gaz.lookup("صوران") if p.country == "SY"}
    assert {"Hama", "Aleppo"} <= suran
    jobar = {p.admin1 for p in gaz.lookup("جوبر") if p.country == "SY"}
    assert "Homs" in jobar
    assert jobar & {"Damascus", "Rural Damascus"}


def test_admin1_units_use_acled_spelling_and_have_capitals(gaz: Gazetteer) -> None:
    for cc, adm, capital_ar in [
        ("SY", "Dar'a", "درعا"),
        ("SY", "Lattakia", "اللاذقية"),
        ("IQ", "Ninewa", "الموصل"),
        ("IQ", "Salah al-Din", "تكريت"),
        ("YE", "Taizz", "تعز"),
        ("YE", "Ad Dali'", "الضالع"),
        ("LY", "Sirt", "سرت"),
        ("TN", "Sidi Bouzid", "سيدي بوزيد"),
        ("TR", "Sanliurfa", "شانلي أورفة"),
    ]:
        unit = gaz.admin1(cc, adm)
        assert unit is not None and unit.type == "admin1", adm
        cap = gaz.admin1_capital(cc, adm)
        assert cap is not None and cap.has_point, adm
        assert name_key(capital_ar) in gaz.keys_of(cap.id) or cap.admin1 == adm, (adm, cap)


def test_province_name_finds_the_admin1_unit(gaz: Gazetteer) -> None:
    got = gaz.lookup("محافظة حماة")
    assert got and got[0].type == "admin1" and got[0].admin1 == "Hama"


def test_country_points_at_its_capital(gaz: Gazetteer) -> None:
    sy = gaz.country("SY")
    assert sy is not None and sy.name_ar
    assert sy.lat is not None and abs(sy.lat - 33.5) < 0.2  # Damascus
    assert any(p.country == "SY" for p in gaz.lookup("سورية"))
    assert gaz.country("KW") is not None


def test_neighbourhoods_and_landmarks(gaz: Gazetteer) -> None:
    aleppo_nb = [p for p in gaz.lookup("الشيخ مقصود") if p.type == "neighbourhood"]
    assert aleppo_nb and aleppo_nb[0].admin1 == "Aleppo"
    airports = gaz.lookup("مطار القامشلي")
    assert airports and airports[0].type == "landmark"


def test_yemen_hierarchy_names_without_point(gaz: Gazetteer) -> None:
    no_point = [p for p in gaz if p.country == "YE" and p.type == "admin3"]
    assert len(no_point) > 1000
    assert all(p.admin1 for p in no_point[:200])


def test_stored_keys_match_key_function(gaz: Gazetteer) -> None:
    # Keys are precomputed at build time; a change to name_key must trigger a rebuild.
    checked = 0
    for i, p in enumerate(gaz):
        if i % 997:
            continue
        if not p.name_ar:  # a GeoNames town known only by its Latin name: no keys
            assert gaz.keys_of(p.id) == [] and p.name_en, p
            continue
        assert place_keys(p.name_ar, p.type)[0] in gaz.keys_of(p.id), p
        checked += 1
    assert checked > 50


def test_place_keys_variants() -> None:
    assert place_keys("كفر نبودة") == ["كفر نبوده", "كفرنبوده"]
    assert "كفر نبوده" in place_keys("كفرنبودة")
    assert place_keys("محافظة حماة", "admin1")[:2] == ["محافظه حماه", "حماه"]


def _write(path: Path, places: list[Place]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for p in places:
            fh.write(format_row(p, place_keys(p.name_ar, p.type)) + "\n")


def test_user_overlay_adds_and_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "user.tsv.gz"
    new = Place("user:1", "Mawjarin", "موجرين", "village", "YE", "Taizz", "", 13.49, 43.95, 0)
    _write(extra, [new])
    monkeypatch.setenv(EXTRA_ENV, str(extra))
    g = Gazetteer.load_default()
    assert g.get("user:1") == new
    assert new in g.lookup("موجرين")
    assert g.lookup("حماة")  # packaged data still there


def test_bad_overlay_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\tlat\nx\t1\n", encoding="utf-8")
    with pytest.raises(DataError):
        Gazetteer.from_files([bad], packaged=False)
    with pytest.raises(DataError):
        Gazetteer.from_files([tmp_path / "missing.tsv"], packaged=False)


def test_from_places_builds_small_gazetteer() -> None:
    p = Place("t:1", "Jobar", "جوبر", "neighbourhood", "SY", "Damascus", "", 33.53, 36.33, 0)
    g = Gazetteer.from_places([p])
    assert g.candidates("جوبر") == [p]
    assert g.candidates("غير") == []
    assert not g.is_prefix("جوبر")


FIXTURES = Path(__file__).parent / "fixtures"


def test_import_geonames_dump_into_overlay(tmp_path: Path) -> None:
    from marsad.cli.main import main

    out = tmp_path / "user.tsv.gz"
    rc = main(
        [
            "gazetteer",
            "import",
            "geonames",
            str(FIXTURES / "geonames_SY_sample.txt"),
            "--out",
            str(out),
        ]
    )
    assert rc == 0
    g = Gazetteer.from_files([out])
    tal = [p for p in g.lookup("تل معاز") if p.id == "gn:9000001"]
    assert tal and tal[0].admin1 == "As-Sweida" and tal[0].type == "village"
    airport = g.lookup("مطار حماة العسكري")
    assert airport and airport[0].type == "landmark" and airport[0].admin1 == "Hama"
    # rows without an Arabic name, and streams (H class), are skipped
    assert g.get("gn:9000003") is None and g.get("gn:9000004") is None
    # a packaged place re-imported keeps its other names and its seat link
    assert g.admin1_capital("SY", "Hama") is not None
    assert any(p.id == "gn:170015" for p in g.lookup("محافظة حماة"))


def test_import_csv_with_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from marsad.cli.main import main

    out = tmp_path / "user.tsv"
    monkeypatch.setenv(EXTRA_ENV, str(out))  # default --out is the first overlay file
    spec = (
        "id=admin4Pcode,name_ar=admin4Name_ar,alt_ar=admin4AltName_ar,name_en=admin4Name_en,"
        "admin1=admin1Name_ar,admin2=admin2Name_en,lat=latitude,lon=longitude,"
        "country:=SY,type:=village"
    )
    rc = main(
        [
            "gazetteer",
            "import",
            "csv",
            str(FIXTURES / "ocha_cod_sample.csv"),
            "--map",
            spec,
            "--id-prefix",
            "ocha",
        ]
    )
    assert rc == 0
    g = Gazetteer.load_default()
    beit = g.get("ocha:C4471")
    assert beit is not None and beit.admin1 == "Lattakia" and beit.admin2 == "Jableh"
    assert beit in g.lookup("بيت فارس")
    assert g.get("ocha:C5120") in g.lookup("تل المعاز")  # the alternative name column
    assert g.get("ocha:C0000") is None  # no Arabic name


def test_bad_csv_map_is_reported() -> None:
    from marsad.errors import DataError
    from marsad.resolve.gazetteer import parse_csv_map

    with pytest.raises(DataError):
        parse_csv_map("lat=Lat")  # no name_ar
    with pytest.raises(DataError):
        parse_csv_map("name_ar=A,height=H")


def test_final_hamza_spelling_finds_the_town(gaz: Gazetteer) -> None:
    # GeoNames writes the Red Sea port "المخا"; the news write "المخاء"
    assert "gn:78751" in [p.id for p in gaz.lookup("المخاء")]
    assert "gn:78751" in [p.id for p in gaz.lookup("المخا")]
    # but a common word with that ending does not pick up villages ("أجزاء" parts)
    assert all(p.type in ("country", "admin1", "city", "town") for p in gaz.lookup("أجزاء"))
