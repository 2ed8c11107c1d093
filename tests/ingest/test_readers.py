"""Readers: every input kind of IO.md, and bad input that loses nothing else."""

from __future__ import annotations

import json
from pathlib import Path

from marsad.ingest.readers import read_inputs

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = "قتل خمسة مدنيين أمس في قصف على مدينة حلب، بحسب المرصد السوري لحقوق الإنسان."


def test_txt_file_doc_id_is_stem_and_published_applied(tmp_path: Path) -> None:
    f = tmp_path / "aleppo-01.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    [rec] = list(read_inputs([str(f)], published="2016-04-28"))
    assert rec.doc_id == "aleppo-01"
    assert rec.text == ARTICLE
    assert rec.published == "2016-04-28"
    assert rec.error is None


def test_jsonl_missing_doc_id_gets_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"doc_id": "a", "text": ARTICLE, "published": "2015-07-21T10:00:00"}),
        "",
        json.dumps({"text": ARTICLE, "events": [], "outlet": "alriyadh"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recs = list(read_inputs([str(f)]))
    assert [r.doc_id for r in recs] == ["a", "batch.jsonl:3"]
    assert recs[0].published == "2015-07-21T10:00:00"
    assert recs[1].outlet == "alriyadh"
    assert recs[1].extra == {"events": []}


def test_bad_lines_each_get_an_error_and_the_rest_is_read(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(
        "\n".join(
            [
                '{"doc_id": "ok1", "text": "' + ARTICLE + '"}',
                '{"doc_id": "broken", "text": ',
                '{"doc_id": "notext"}',
                '{"doc_id": "empty", "text": "   "}',
                '{"doc_id": "num", "text": 42}',
                '["a list"]',
                '{"doc_id": "ok2", "text": "' + ARTICLE + '"}',
            ]
        ),
        encoding="utf-8",
    )
    recs = list(read_inputs([str(f)]))
    assert [r.doc_id for r in recs] == [
        "ok1",
        "bad.jsonl:2",
        "notext",
        "empty",
        "num",
        "bad.jsonl:6",
        "ok2",
    ]
    errors = [r.error for r in recs]
    assert errors[0] is None and errors[-1] is None
    assert "broken JSON" in str(errors[1])
    assert "no 'text'" in str(errors[2])
    assert "empty" in str(errors[3])
    assert "must be a string" in str(errors[4])
    assert "not a JSON object" in str(errors[5])


def test_empty_binary_and_huge_files(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "c_latin1.txt").write_bytes("café".encode("latin-1"))
    (tmp_path / "d_huge.txt").write_text("قتل " * 5_300_000, encoding="utf-8")  # ≈ 21 MB
    recs = {r.doc_id: r for r in read_inputs([str(tmp_path)])}
    assert "empty" in str(recs["a_empty"].error)
    assert "binary" in str(recs["b_binary"].error)
    assert "UTF-8" in str(recs["c_latin1"].error)
    assert "too long" in str(recs["d_huge"].error)


def test_directory_reads_txt_jsonl_html_and_feeds_in_order() -> None:
    recs = list(read_inputs([str(FIXTURES)]))
    assert [r.doc_id for r in recs] == ["article", "a1", "a2"]
    page = recs[0]
    assert page.title == "مقتل 5 مدنيين في قصف على حلب"
    assert page.published == "2016-04-28"
    assert page.text is not None and page.text.startswith("قتل خمسة مدنيين أمس")
    assert "الرئيسية" not in page.text and "الحقوق" not in page.text  # nav and footer dropped
    feed_item = recs[1]
    assert feed_item.published == "2015-07-21"
    assert feed_item.url == "https://example.org/a1"
    assert (
        feed_item.text == "اندلعت اشتباكات عنيفة أمس بين المقاومة الشعبية والحوثيين في مدينة تعز."
    )
    assert recs[2].error == "empty text"
