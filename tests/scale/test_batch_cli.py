"""``marsad batch`` end to end: the same bytes as ``marsad extract``, summary, exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from marsad.cli.main import main

from .conftest import PUBLISHED


def test_batch_writes_what_extract_writes(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    serial, batch = tmp_path / "extract.jsonl", tmp_path / "batch.jsonl"
    assert main(["extract", *inputs, "--published", PUBLISHED, "-o", str(serial)]) == 0
    capsys.readouterr()
    argv = ["batch", *inputs, "--published", PUBLISHED, "-o", str(batch)]
    assert main([*argv, "--jobs", "2", "--chunk-size", "3", "--quiet"]) == 0
    assert batch.read_bytes() == serial.read_bytes()
    lines = [json.loads(x) for x in batch.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 26 and lines[-1]["doc_id"] == "hama-2017-03"
    n_events = sum(len(x["events"]) for x in lines)
    err = capsys.readouterr().err
    assert f"marsad batch: 26 articles, {n_events} events, 0 failed, 0 lost" in err
    assert "articles/s" in err
    assert "marsad batch [" not in err  # --quiet: no progress line


def test_all_bad_input_is_not_an_error_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "a", "text": ""}\n{"text": 3}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(bad), "-o", str(out), "--jobs", "1", "-q"]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["doc_id"] for x in lines] == ["a", "bad.jsonl:2", "bad.jsonl:3"]
    assert all(x["events"] == [] and x["error"] for x in lines)
    assert "3 articles, 0 events, 3 failed, 0 lost" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra",
    [["--jobs", "0"], ["--chunk-size", "many"], ["--jobs", "-2"]],
)
def test_bad_numbers_are_usage_errors(seed: Path, extra: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(seed), *extra])
    assert exc.value.code == 2


def test_unknown_stage_missing_file_and_bad_date_are_usage_errors(
    seed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(seed), "--jobs", "2", "--pipeline", "clean/v1,nosuch/v1"]) == 2
    assert "nosuch/v1" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "nowhere.jsonl"), "--jobs", "2", "-q"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["batch", str(seed), "--published", "24/03/2017"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_dask_missing_says_how_to_install_it(
    seed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    assert main(["batch", str(seed), "--dask", "local", "-q"]) == 2
    assert "pip install 'marsad[cluster]'" in capsys.readouterr().err


def test_lost_documents_are_listed_and_give_exit_status_3(
    gold_dev: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.cli import batch_cmd
    from marsad.cli.main import build_parser
    from marsad.pipeline import DEFAULT_PIPELINE
    from marsad.scale.pool import ProcessPoolRunner

    from .crash_stage import NAME as CRASH_STAGE

    rows = [json.loads(x) for x in gold_dev.read_text(encoding="utf-8").splitlines()[:5]]
    rows[2]["crash_worker"] = True  # its worker kills itself (see crash_stage.py)
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    args = build_parser().parse_args(["batch", str(src), "-o", str(out), "-q"])
    runner = ProcessPoolRunner(
        2,
        pipeline_names=[CRASH_STAGE, *DEFAULT_PIPELINE],
        plugins=["tests.scale.crash_stage"],
        chunk_size=2,
    )
    assert batch_cmd.execute(args, runner) == batch_cmd.EXIT_LOST == 3
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["doc_id"] for x in lines] == [r["doc_id"] for r in rows]
    assert [x["error"][:5] for x in lines if "error" in x] == ["lost:"]
    assert "error" in lines[2] and all(x["events"] for i, x in enumerate(lines) if i != 2)
    err = capsys.readouterr().err
    assert "5 articles" in err and "1 failed, 1 lost" in err
    assert "1 document(s) lost because their worker died" in err
    assert err.rstrip().endswith(rows[2]["doc_id"])
