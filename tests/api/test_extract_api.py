"""POST /extract and GET /health over real HTTP, on real Arabic articles."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from urllib.parse import quote

from marsad import __version__
from marsad.api.app import MAX_BODY
from marsad.extract import Extractor
from marsad.ingest.readers import read_inputs

from .conftest import Client

SEED = Path(__file__).resolve().parents[2] / "examples" / "hama-2017-03.txt"
#: A short report written for these tests: a shelling on Aleppo with a toll.
ALEPPO = "قتل خمسة مدنيين أمس في قصف لقوات النظام على حي الشعار في مدينة حلب."


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_health_reports_version_pipeline_and_store(client: Client, extractor: Extractor) -> None:
    reply = client.get("/health")
    assert reply.status == 200
    body = reply.json
    assert body["status"] == "ok"
    assert body["marsad_version"] == __version__
    assert body["pipeline"] == list(extractor.pipeline.names)
    assert "events/v1" in body["pipeline"]
    store = body["store"]
    assert store["attached"] is True
    assert store["counts"]["articles"] > 0
    assert store["counts"]["canonical_events"] > 0


def test_health_without_store(bare_client: Client) -> None:
    reply = bare_client.get("/health")
    assert reply.status == 200
    assert reply.json["store"] == {"attached": False}


def test_plain_text_article_gives_exactly_the_cli_record(
    client: Client, extractor: Extractor
) -> None:
    reply = client.request(
        "POST",
        "/extract?published=2017-03-24&doc_id=hama-2017-03",
        _seed_text().encode("utf-8"),
        {"Content-Type": "text/plain; charset=utf-8"},
    )
    assert reply.status == 200
    out = reply.json
    # What `marsad extract examples/hama-2017-03.txt --published 2017-03-24` writes.
    [rec] = read_inputs([str(SEED)], published="2017-03-24")
    assert out == json.loads(json.dumps(extractor.extract_record(rec), ensure_ascii=False))
    tabqa = [
        e
        for e in out["events"]
        if e["sub_event_type"] == "Air/drone strike"
        and e["fatalities"] == 37
        and (e["location"] or {}).get("name") == "Al-Tabqa"
    ]
    assert len(tabqa) == 1
    assert tabqa[0]["date"].startswith("2017-03")


def test_json_object_evidence_indexes_the_text_as_sent(client: Client) -> None:
    reply = client.post_json(
        "/extract", {"text": ALEPPO, "published": "2016-08-10", "doc_id": "aleppo-1"}
    )
    assert reply.status == 200
    out = reply.json
    assert out["doc_id"] == "aleppo-1"
    [event] = out["events"]
    assert event["event_id"] == "aleppo-1/0"
    assert event["fatalities"] == 5
    assert event["date"] == "2016-08-09"  # أمس, the day before publication
    assert event["location"]["country"] == "SY"
    span = event["evidence"][0]
    assert "قصف" in ALEPPO[span["start"] : span["end"]]
    # Arabic travels as UTF-8, not as \\u escapes.
    assert "حلب".encode() in reply.body
    assert b"\\u06" not in reply.body


def test_list_with_bad_items_gives_their_own_error_records(client: Client) -> None:
    items = [
        {"text": ALEPPO, "published": "2016-08-10"},
        {"doc_id": "no-text", "title": "بلا نص"},
        "just a string",
        {"text": "The army shelled the city yesterday.", "doc_id": "english"},
        {"text": ALEPPO, "published": "last week", "doc_id": "bad-date"},
        {"text": _seed_text(), "published": "2017-03-24", "doc_id": "hama"},
    ]
    reply = client.post_json("/extract", items)
    assert reply.status == 200
    out = reply.json
    assert [o["doc_id"] for o in out] == [
        "<request>:1",
        "no-text",
        "<request>:3",
        "english",
        "bad-date",
        "hama",
    ]
    assert out[0]["events"] and "error" not in out[0]
    for bad, words in ((1, "text"), (2, "object"), (3, "Arabic"), (4, "date")):
        assert out[bad]["events"] == []
        assert words in out[bad]["error"]
    assert any(e["fatalities"] == 37 for e in out[5]["events"])


def test_published_query_parameter_is_the_default_date(client: Client) -> None:
    items = [{"text": ALEPPO}, {"text": ALEPPO, "published": "2016-01-02"}]
    out = client.post_json("/extract?published=2016-08-10", items).json
    assert out[0]["events"][0]["date"] == "2016-08-09"
    assert out[1]["events"][0]["date"] == "2016-01-01"


def test_jsonl_format_writes_one_line_per_article(client: Client) -> None:
    reply = client.post_json("/extract?format=jsonl", [{"text": ALEPPO}, {"text": ALEPPO}])
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("application/x-ndjson")
    lines = reply.text.splitlines()
    assert [json.loads(x)["doc_id"] for x in lines] == ["<request>:1", "<request>:2"]


def test_bad_requests_are_json_errors_that_say_what_to_do(client: Client) -> None:
    bad_json = client.request(
        "POST",
        "/extract",
        b'{"text": "\xd9\x82\xd8\xaa\xd9\x84',
        {"Content-Type": "application/json"},
    )
    assert bad_json.status == 400
    assert "not valid JSON" in bad_json.json["error"]
    missing = client.post_json("/extract", {"title": "عنوان"})
    assert missing.status == 400
    assert "text" in missing.json["error"]
    empty = client.request("POST", "/extract", b"", {"Content-Type": "application/json"})
    assert empty.status == 400
    bad_date = client.post_json("/extract", {"text": ALEPPO, "published": "أمس"})
    assert bad_date.status == 400
    assert "YYYY-MM-DD" in bad_date.json["error"]
    bad_default = client.post_json("/extract?published=" + quote("10/08/2016"), {"text": ALEPPO})
    assert bad_default.status == 400
    form = client.request(
        "POST", "/extract", b"text=abc", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form.status == 415


def test_an_unreadable_single_article_is_422_with_its_error_record(client: Client) -> None:
    reply = client.post_json("/extract", {"text": "Nothing but English here.", "doc_id": "en"})
    assert reply.status == 422
    assert reply.json["doc_id"] == "en"
    assert reply.json["events"] == []
    assert "not Arabic" in reply.json["error"]


def test_body_over_the_limit_is_413(client: Client) -> None:
    assert MAX_BODY == 20 * 1024 * 1024
    body = b'{"text": "' + b"x" * MAX_BODY + b'"}'
    reply = client.request("POST", "/extract", body, {"Content-Type": "application/json"})
    assert reply.status == 413
    assert "limit" in reply.json["error"]
    # The server is still fine afterwards.
    assert client.get("/health").status == 200


def test_concurrent_extractions_agree(client: Client) -> None:
    expected = client.post_json("/extract", {"text": ALEPPO, "published": "2016-08-10"}).json
    results: list[object] = []

    def work() -> None:
        results.append(
            client.post_json("/extract", {"text": ALEPPO, "published": "2016-08-10"}).json
        )

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 6
