"""Store endpoints over real HTTP: /events, /events.geojson, /events.csv, /articles/search."""

from __future__ import annotations

import csv
import io
import threading
from typing import Any
from urllib.parse import urlencode

import pytest

from marsad.store import Store
from marsad.store.export import ACLED_COLUMNS, EXTRA_COLUMNS

from .conftest import Client


def _get(client: Client, path: str, **params: Any) -> Any:
    reply = client.get(f"{path}?{urlencode(params)}" if params else path)
    assert reply.status == 200, reply.body[:300]
    return reply.json


def test_events_are_the_store_query_with_evidence_text(client: Client, store: Store) -> None:
    body = _get(client, "/events", limit=1000)
    rows = store.query()
    assert body["kind"] == "canonical"
    assert body["count"] == len(rows) > 0
    assert [e["canonical_id"] for e in body["events"]] == [r["id"] for r in rows]
    assert body["has_more"] is False
    texts = store.article_texts(m["article_id"] for r in rows for m in r["reports"])
    quoted = 0
    for ev, row in zip(body["events"], rows, strict=True):
        assert ev["event_type"] == row["event_type"]
        assert len(ev["reports"]) == len(row["reports"])
        for rep, member in zip(ev["reports"], row["reports"], strict=True):
            text = texts[member["article_id"]]
            for span in rep["evidence"]:
                assert span["text"] == text[span["start"] : span["end"]]
                quoted += 1
    assert quoted > 0


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({"country": "SY"}, {"country": "SY"}),
        ({"country": "Iraq"}, {"country": "IQ"}),
        ({"event_type": "battles"}, {"event_type": "Battles"}),
        (
            {"since": "2015-07-25", "until": "2015-08-31"},
            {"date_from": "2015-07-25", "date_to": "2015-08-31"},
        ),
        ({"q": "والمسجد"}, {"text": "والمسجد"}),
        ({"q": "حلب", "country": "SY"}, {"text": "حلب", "country": "SY"}),
        ({"min_fatalities": "5"}, {"min_fatalities": 5}),
        ({"actor": "Islamic State"}, {"actor": "Islamic State"}),
        ({"actor": "الحوثيين"}, {"actor": "الحوثيين"}),
    ],
)
def test_filters_select_what_store_query_selects(
    client: Client, store: Store, params: dict[str, str], filters: dict[str, Any]
) -> None:
    expected = [r["id"] for r in store.query(**filters)]
    assert expected  # the test store has such events, so the filter is exercised
    body = _get(client, "/events", limit=1000, **params)
    assert [e["canonical_id"] for e in body["events"]] == expected


def test_filters_really_filter(client: Client) -> None:
    everything = _get(client, "/events", limit=1000)["events"]
    syria = _get(client, "/events", limit=1000, country="SY")["events"]
    assert 0 < len(syria) < len(everything)
    assert all(e["location"]["country"] == "SY" for e in syria)
    dated = _get(client, "/events", limit=1000, since="2015-07-25", until="2015-07-31")["events"]
    assert dated and all("2015-07-25" <= e["date"] <= "2015-07-31" for e in dated)


def test_reports_lists_every_extracted_event(client: Client, store: Store) -> None:
    body = _get(client, "/events", limit=1000, reports="1")
    assert body["kind"] == "reports"
    assert [e["event_id"] for e in body["events"]] == [
        r["event_id"] for r in store.query(reports=True)
    ]
    assert all(e["doc_id"] and "evidence" in e for e in body["events"])


def test_paging_walks_the_whole_selection(client: Client) -> None:
    everything = [e["canonical_id"] for e in _get(client, "/events", limit=1000)["events"]]
    assert len(everything) > 4
    seen: list[int] = []
    offset = 0
    while True:
        page = _get(client, "/events", limit=4, offset=offset)
        seen += [e["canonical_id"] for e in page["events"]]
        if not page["has_more"]:
            break
        offset += 4
    assert seen == everything


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("country=Atlantis", "country"),
        ("since=2015-13-40", "date_from"),
        ("until=yesterday", "date_to"),
        ("bbox=1,2,3", "bbox"),
        ("min_fatalities=many", "min_fatalities"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("offset=-1", "offset"),
        ("reports=maybe", "reports"),
        ("contry=SY", "unknown parameter"),
        ("country=SY&country=IQ", "once"),
        ("q=%21%21", "no words"),
    ],
)
def test_invalid_filters_are_400(client: Client, query: str, words: str) -> None:
    for path in ("/events", "/events.geojson", "/events.csv"):
        reply = client.get(f"{path}?{query}")
        assert reply.status == 400, (path, query)
        assert words in reply.json["error"]


def test_geojson_is_valid_rfc7946_points(client: Client, store: Store) -> None:
    reply = client.get("/events.geojson")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/geo+json")
    fc = reply.json
    assert fc["type"] == "FeatureCollection"
    rows = store.query()
    located = [r for r in rows if r["lat"] is not None and r["lon"] is not None]
    assert len(fc["features"]) == len(located) > 0
    assert int(reply.headers["x-marsad-without-coordinates"]) == len(rows) - len(located)
    for feature in fc["features"]:
        assert feature["type"] == "Feature"
        geom = feature["geometry"]
        assert geom["type"] == "Point"
        lon, lat = geom["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["event_type"]
    syria = client.get("/events.geojson?country=SY").json
    assert 0 < len(syria["features"]) < len(fc["features"])
    assert all(f["properties"]["location_country"] == "SY" for f in syria["features"])


def test_csv_has_the_acled_header_and_one_row_per_event(client: Client, store: Store) -> None:
    reply = client.get("/events.csv?country=SY")
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/csv")
    assert "attachment" in reply.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(reply.text)))
    assert table[0] == [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    assert table[0][:3] == ["event_id_cnty", "event_date", "year"]
    assert len(table) - 1 == len(store.query(country="SY"))
    assert all(row[ACLED_COLUMNS.index("country")] == "Syria" for row in table[1:])


def test_summary_counts_the_whole_selection(client: Client, store: Store) -> None:
    body = _get(client, "/events/summary")
    rows = store.query()
    assert body["total"] == len(rows)
    assert sum(body["by_event_type"].values()) == len(rows)
    assert body["fatalities"] == sum(r["fatalities"] or 0 for r in rows)
    assert _get(client, "/events/summary", country="SY")["by_country"] == {
        "SY": len(store.query(country="SY"))
    }


def test_article_search_is_arabic_aware(client: Client, store: Store) -> None:
    body = _get(client, "/articles/search", q="والمسجد")
    assert {a["doc_id"] for a in body["articles"]} == {
        a["doc_id"] for a in store.search_articles("والمسجد")
    }
    assert body["count"] >= 1
    reply = client.get("/articles/search")
    assert reply.status == 400
    assert "q=" in reply.json["error"]


@pytest.mark.parametrize(
    "path",
    ["/events", "/events.geojson", "/events.csv", "/events/summary", "/articles/search?q=حلب"],
)
def test_store_endpoints_without_a_store_are_503(bare_client: Client, path: str) -> None:
    reply = bare_client.get(path.replace("حلب", "%D8%AD%D9%84%D8%A8"))
    assert reply.status == 503
    assert "--db" in reply.json["error"]


def test_unknown_paths_and_wrong_methods_are_json(client: Client) -> None:
    missing = client.get("/nowhere")
    assert missing.status == 404
    assert "/events" in missing.json["error"]
    wrong = client.request("DELETE", "/events")
    assert wrong.status == 405
    assert wrong.headers["allow"] == "GET, HEAD"
    assert "GET" in wrong.json["error"]
    get_extract = client.get("/extract")
    assert get_extract.status == 405
    assert get_extract.headers["allow"] == "POST"
    head = client.request("HEAD", "/health")
    assert head.status == 200
    assert head.body == b""
    assert int(head.headers["content-length"]) > 0


def test_concurrent_store_reads_agree(client: Client) -> None:
    expected = _get(client, "/events", limit=1000, country="SY")
    results: list[Any] = []

    def work() -> None:
        for _ in range(3):
            results.append(_get(client, "/events", limit=1000, country="SY"))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 18
