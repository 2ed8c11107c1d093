"""Queries (filters, Arabic full-text search) and exports on both back-ends."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.readers import Record
from marsad.store import Store
from marsad.store.export import ACLED_COLUMNS, HXL_TAGS, export

from .conftest import GOLD_VERSION

Gold = list[tuple[Record, dict[str, Any]]]


@pytest.fixture
def loaded(store: Store, gold: Gold) -> Store:
    store.store_extracted(gold, pipeline_version=GOLD_VERSION)
    return store


def _gold_events(gold: Gold) -> list[dict[str, Any]]:
    return [ev for _rec, out in gold for ev in out["events"]]


def _ids(rows: list[dict[str, Any]]) -> set[str]:
    return {r["event_id"] for r in rows}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("بالحديدة", {"snn-27142", "snn-15980"}),  # attached ب + article
        ("والمسجد", {"seed-hama-2017", "snn-25752"}),  # و + ال; text has بمسجد / مسجد
        ("مَسْجِد", {"seed-hama-2017", "snn-25752"}),  # diacritics
        ("الرَّقَّة", {"seed-hama-2017"}),  # shadda, ta marbuta
        ("ابها", {"snn-25752"}),  # hamza dropped in the query
        ("حلب", {"snn-13351", "snn-11768", "snn-03215"}),  # not the word محلب
        ("الفلوجة الحديدة", set()),  # every word must occur
    ],
)
def test_arabic_full_text_search(loaded: Store, query: str, expected: set[str]) -> None:
    assert {a["doc_id"] for a in loaded.search_articles(query)} == expected


def test_filters_match_a_direct_computation(loaded: Store, gold: Gold) -> None:
    evs = _gold_events(gold)
    assert _ids(loaded.query(reports=True, country="TR")) == {
        e["event_id"] for e in evs if (e["location"] or {}).get("country") == "TR"
    }
    assert _ids(loaded.query(reports=True, country="Yemen", min_fatalities=10)) == {
        e["event_id"]
        for e in evs
        if (e["location"] or {}).get("country") == "YE" and (e["fatalities"] or 0) >= 10
    }
    assert _ids(loaded.query(reports=True, date_from="2015-08-01", date_to="2015-08-06")) == {
        e["event_id"] for e in evs if e["date"] and "2015-08-01" <= e["date"] <= "2015-08-06"
    }
    assert _ids(loaded.query(reports=True, event_type="battles", sub_event_type="Armed clash")) == {
        e["event_id"] for e in evs if e["sub_event_type"] == "Armed clash"
    }
    box = (42.0, 12.0, 46.0, 16.0)  # south-west Yemen

    def inside(e: dict[str, Any]) -> bool:
        loc = e["location"] or {}
        return (
            loc.get("lat") is not None
            and box[0] <= loc["lon"] <= box[2]
            and box[1] <= loc["lat"] <= box[3]
        )

    in_box = {e["event_id"] for e in evs if inside(e)}
    assert in_box
    assert _ids(loaded.query(reports=True, bbox=box)) == in_box
    assert _ids(loaded.query(reports=True, bbox="42,12,46,16")) == in_box
    admin1 = next(
        e["location"]["admin1"] for e in evs if e["location"] and e["location"].get("admin1")
    )
    assert _ids(loaded.query(reports=True, admin1=admin1.upper())) == {
        e["event_id"] for e in evs if e["location"] and e["location"].get("admin1") == admin1
    }


def test_actor_filter_accepts_aliases(loaded: Store, gold: Gold) -> None:
    expected = {
        e["event_id"]
        for e in _gold_events(gold)
        if "Houthis" in ((e["actor1"] or {}).get("name"), (e["actor2"] or {}).get("name"))
    }
    assert expected
    assert _ids(loaded.query(reports=True, actor="Houthis")) == expected
    assert _ids(loaded.query(reports=True, actor="الحوثيين")) == expected  # Arabic alias
    canon = loaded.query(actor="الحوثي")
    assert canon and all({m["event_id"] for m in c["reports"]} & expected for c in canon)


def test_text_filter_on_events(loaded: Store) -> None:
    rows = loaded.query(reports=True, text="سوروتش")
    assert rows and {r["doc_id"] for r in rows} == {"snn-01426"}
    canon = loaded.query(text="لسوروتش")
    assert canon and all(any(m["doc_id"] == "snn-01426" for m in c["reports"]) for c in canon)


def test_acled_csv_reports(loaded: Store, gold: Gold, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "e.csv"
    n = export(loaded, "acled-csv", str(out), reports=True)
    evs = _gold_events(gold)
    assert n == len(evs)
    df = pd.read_csv(out)
    assert list(df.columns[:31]) == list(ACLED_COLUMNS)
    assert "notes_ar" in df.columns
    assert len(df) == len(evs)
    for col in (
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
        "fatalities",
        "timestamp",
    ):
        assert df[col].dtype.kind == "i", col
    assert df["latitude"].dtype.kind == "f"
    suruc = df[df["doc_ids"] == "snn-01426"]
    turkey = suruc[suruc["country"] == "Turkey"].iloc[0]
    assert turkey["iso"] == 792 and turkey["region"] == "Middle East"
    assert turkey["event_id_cnty"].startswith("TUR")
    assert turkey["fatalities"] == 30
    assert "Turkey" in turkey["notes"] and turkey["notes"].startswith("On 20 July 2015")
    assert "سوروتش" in turkey["notes_ar"]
    houthi = df[(df["actor1"] == "Houthis") | (df["actor2"] == "Houthis")]
    assert not houthi.empty
    for _, row in houthi.iterrows():
        codes = sorted(c for c in (row["inter1"], row["inter2"]) if c)
        assert 2 in codes
        assert row["interaction"] == (
            codes[0] * 10 + codes[1] if len(codes) == 2 else codes[0] * 10
        )


def test_acled_csv_canonical_and_hxl(loaded: Store) -> None:
    buf = io.StringIO()
    from marsad.store.export import acled_rows, write_csv

    rows = acled_rows(loaded)
    write_csv(rows, buf, hxl=True)
    lines = list(csv.reader(io.StringIO(buf.getvalue())))
    assert lines[0][:31] == list(ACLED_COLUMNS)
    assert lines[1][:31] == [HXL_TAGS[c] for c in ACLED_COLUMNS]
    assert all(tag.startswith("#") for tag in lines[1])
    assert {
        "#date",
        "#event+type",
        "#adm1+name",
        "#geo+lat",
        "#geo+lon",
        "#affected+killed",
    } <= set(lines[1])
    assert len(lines) - 2 == loaded.counts()["canonical_events"]
    assert sum(r["n_reports"] for r in rows) == loaded.counts()["events"]


def test_geojson(loaded: Store, gold: Gold, tmp_path: Path) -> None:
    out = tmp_path / "e.geojson"
    err = io.StringIO()
    n = export(loaded, "geojson", str(out), reports=True, stderr=err)
    fc = json.loads(out.read_text(encoding="utf-8"))
    evs = _gold_events(gold)
    with_coords = [e for e in evs if e["location"] and e["location"].get("lat") is not None]
    assert fc["type"] == "FeatureCollection"
    assert n == len(fc["features"]) == len(with_coords)
    skipped = len(evs) - len(with_coords)
    if skipped:
        assert f"{skipped} event(s) without coordinates" in err.getvalue()
    for feat in fc["features"]:
        lon, lat = feat["geometry"]["coordinates"]
        assert feat["type"] == "Feature" and feat["geometry"]["type"] == "Point"
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feat["properties"]["event_type"]
    # RFC 7946: longitude first.
    by_id = {e["event_id"]: e["location"] for e in with_coords}
    for feat in fc["features"]:
        loc = by_id[feat["id"]]
        assert feat["geometry"]["coordinates"] == [round(loc["lon"], 6), round(loc["lat"], 6)]


def test_jsonl_and_parquet(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    n = export(loaded, "jsonl", str(out))
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(lines) == loaded.counts()["canonical_events"]
    assert all(rec["reports"] and "event_type" in rec for rec in lines)
    pq = pytest.importorskip("pyarrow.parquet")
    pout = tmp_path / "e.parquet"
    export(loaded, "parquet", str(pout), reports=True)
    table = pq.read_table(pout)
    assert table.column_names[:31] == list(ACLED_COLUMNS)
    assert str(table.schema.field("fatalities").type) == "int64"
    assert str(table.schema.field("latitude").type) == "double"
    assert table.num_rows == loaded.counts()["events"]


def test_to_dataframe(loaded: Store) -> None:
    pytest.importorskip("pandas")
    df = loaded.to_dataframe(country="SY")
    assert len(df) == len(loaded.query(country="SY"))
    assert set(df["country"]) == {"Syria"}


def test_read_acled_csv_keeps_text_columns_text(loaded: Store, tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from marsad.store.export import read_acled_csv

    out = tmp_path / "e.csv"
    export(loaded, "acled-csv", str(out), reports=True)
    df = read_acled_csv(str(out))
    assert df["admin3"].dtype.kind in ("O", "T") or str(df["admin3"].dtype) == "str"
    assert (df["admin3"] == "").all()
    assert df["fatalities"].dtype.kind == "i" and df["latitude"].dtype.kind == "f"
    assert str(df["injured"].dtype) == "Int64"
    assert (df["timestamp"] > 1_700_000_000).all()  # the time the report was stored
