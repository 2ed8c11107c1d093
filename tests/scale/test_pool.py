"""The process pool against the serial Extractor on real articles (2 workers at most)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from marsad.ingest.readers import Record, read_inputs
from marsad.pipeline import DEFAULT_PIPELINE
from marsad.scale.base import SerialRunner, WorkerStartError, chunked
from marsad.scale.pool import ProcessPoolRunner, describe_exit

from .conftest import PUBLISHED, dumps
from .crash_stage import NAME as CRASH_STAGE

CHUNK, WINDOW = 2, 3


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolRunner]:
    """Two workers kept across the tests of this module (small chunks: many reorderings)."""
    with ProcessPoolRunner(2, chunk_size=CHUNK, window=WINDOW, freeze_gc=True) as runner:
        yield runner


def test_pool_output_is_byte_identical_to_serial_and_in_order(
    pool: ProcessPoolRunner, inputs: list[str], serial_lines: list[str]
) -> None:
    pids = pool.pids
    lines = dumps(pool.run(read_inputs(inputs, published=PUBLISHED)))
    assert len(lines) == len(serial_lines) >= 20
    assert lines == serial_lines
    ids = [json.loads(x)["doc_id"] for x in lines]
    assert ids == [r.doc_id for r in read_inputs(inputs)]
    assert ids[-1] == "hama-2017-03"
    assert sum(len(json.loads(x)["events"]) for x in lines) > 50
    # the same two processes served every chunk: each loaded its pipeline once
    assert pool.pids == pids and len(set(pids)) == 2
    assert pool.restarts == 0 and pool.lost == []


def test_bad_lines_get_their_error_line_in_place(
    pool: ProcessPoolRunner, serial: SerialRunner, gold_dev: Path, tmp_path: Path
) -> None:
    good = gold_dev.read_text(encoding="utf-8").splitlines()[:6]
    bad = [
        '{"doc_id": "broken", "text": "قتل ثلاثة',
        '["not", "an", "object"]',
        json.dumps({"doc_id": "no-text", "title": "عنوان"}),
        json.dumps({"doc_id": "english", "text": "Three people were killed in Aleppo."}),
        json.dumps({"doc_id": "bad-date", "text": "قتل ثلاثة أشخاص", "published": "أمس"}),
    ]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([good[0], *bad[:3], *good[1:4], *bad[3:], *good[4:]]) + "\n")
    lines = [json.loads(x) for x in dumps(pool.run(read_inputs([str(mixed)])))]
    assert dumps(lines) == dumps(serial.run(read_inputs([str(mixed)])))
    errors = {x["doc_id"]: x["error"] for x in lines if "error" in x}
    assert list(errors) == ["mixed.jsonl:2", "mixed.jsonl:3", "no-text", "english", "bad-date"]
    assert errors["mixed.jsonl:2"].startswith("broken JSON")
    assert errors["english"].startswith("not Arabic text")
    assert "published" in errors["bad-date"]
    assert [x["doc_id"] for x in lines][1:4] == ["mixed.jsonl:2", "mixed.jsonl:3", "no-text"]
    assert all(x["events"] for x in lines if "error" not in x)  # gold articles have events
    assert pool.lost == []


def test_the_input_is_read_lazily_within_the_window(
    pool: ProcessPoolRunner, gold_dev: Path
) -> None:
    base = list(read_inputs([str(gold_dev)]))
    consumed = 0

    def source() -> Iterator[Record]:
        nonlocal consumed
        for i in range(40):
            consumed += 1
            yield replace(base[i % len(base)], doc_id=f"copy-{i}")

    seen_at_first: int | None = None
    ids = []
    for line in pool.run(source()):
        if seen_at_first is None:
            seen_at_first = consumed
        ids.append(line["doc_id"])
    assert ids == [f"copy-{i}" for i in range(40)]
    # never more than the window of chunks read ahead (plus the one being read)
    assert seen_at_first is not None and seen_at_first <= (WINDOW + 1) * CHUNK


def test_a_killed_worker_loses_only_its_article_and_the_batch_goes_on(
    gold_dev: Path, serial: SerialRunner, caplog: pytest.LogCaptureFixture
) -> None:
    records = list(read_inputs([str(gold_dev)]))[:9]
    victim = records[5].doc_id
    marked = [
        replace(r, extra={**r.extra, "crash_worker": True}) if r.doc_id == victim else r
        for r in records
    ]
    runner = ProcessPoolRunner(
        2,
        pipeline_names=[CRASH_STAGE, *DEFAULT_PIPELINE],
        plugins=["tests.scale.crash_stage"],
        chunk_size=4,
    )
    lines = list(runner.run(marked))
    assert [x["doc_id"] for x in lines] == [r.doc_id for r in records]
    lost = lines[5]
    assert lost["events"] == [] and lost["error"].startswith("lost:")
    assert "SIGKILL" in lost["error"]
    assert [d.doc_id for d in runner.lost] == [victim]
    # its chunk-mates were retried one by one and came out as the serial extractor's
    expected = dumps(serial.run(records))
    assert dumps(lines[:5] + lines[6:]) == expected[:5] + expected[6:]
    assert runner.restarts == 2  # the chunk's worker, then the victim's single retry
    assert victim in caplog.text


def test_a_worker_that_cannot_load_its_pipeline_stops_the_batch(gold_dev: Path) -> None:
    runner = ProcessPoolRunner(1, plugins=["tests.scale.no_such_module"])
    with pytest.raises(WorkerStartError, match="no_such_module"):
        list(runner.run(read_inputs([str(gold_dev)])))


def test_unknown_stage_is_refused_before_any_worker_starts() -> None:
    from marsad.errors import ConfigError

    runner = ProcessPoolRunner(2, pipeline_names=["clean/v1", "nosuch/v9"])
    with pytest.raises(ConfigError, match="nosuch/v9"):
        runner.start()
    assert runner.pids == []


def test_chunked_and_exit_descriptions() -> None:
    recs = [Record(str(i), "نص") for i in range(5)]
    assert [[r.doc_id for r in c] for c in chunked(recs, 2)] == [["0", "1"], ["2", "3"], ["4"]]
    with pytest.raises(ValueError):
        next(chunked(recs, 0))
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(3) == "exit status 3"
