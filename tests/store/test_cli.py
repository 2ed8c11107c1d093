"""The command line end to end with the real extraction pipeline (``marsad ingest|export|query|reprocess``)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from marsad.cli.main import main
from marsad.store import Store
from marsad.store.export import ACLED_COLUMNS
from marsad.store.progress import Progress


@pytest.fixture(scope="module")
def ingested(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """gold-dev ingested twice through the CLI into one SQLite file."""
    db = tmp_path_factory.mktemp("cli") / "m.db"
    gold = str(shared / "data/gold-dev/gold.jsonl")
    assert main(["ingest", gold, "--db", f"sqlite:///{db}"]) == 0
    with Store(f"sqlite:///{db}") as s:
        first = s.counts()
    assert main(["ingest", gold, "--db", f"sqlite:///{db}"]) == 0
    with Store(f"sqlite:///{db}") as s:
        second = s.counts()
    assert first["events"] > 0
    assert second["events"] == first["events"]
    assert second["articles"] == first["articles"] == 25
    return db


def test_second_ingest_reports_unchanged(
    ingested: Path, shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = str(shared / "data/gold-dev/gold.jsonl")
    assert main(["ingest", gold, "--db", f"sqlite:///{ingested}"]) == 0
    assert "0 new, 25 unchanged" in capsys.readouterr().err


def test_export_acled_csv_one_row_per_event(ingested: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "e.csv"
    assert (
        main(
            [
                "export",
                "--db",
                f"sqlite:///{ingested}",
                "--format",
                "acled-csv",
                "-o",
                str(out),
                "--reports",
            ]
        )
        == 0
    )
    df = pd.read_csv(out)
    with Store(f"sqlite:///{ingested}") as s:
        n_events = s.counts()["events"]
    assert len(df) == n_events
    assert list(df.columns[:31]) == list(ACLED_COLUMNS)
    assert df["fatalities"].dtype.kind == "i" and df["iso"].dtype.kind == "i"


def test_export_geojson(ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.geojson"
    assert (
        main(["export", "--db", f"sqlite:///{ingested}", "--format", "geojson", "-o", str(out)])
        == 0
    )
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    for f in fc["features"]:
        assert f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2
        assert f["properties"]["event_type"]
    err = capsys.readouterr().err
    assert f"wrote {len(fc['features'])} events" in err


def test_query_jsonl_with_filters(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "query",
                "--db",
                f"sqlite:///{ingested}",
                "--country",
                "YE",
                "--format",
                "jsonl",
                "--reports",
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines and all(r["location"]["country"] == "YE" for r in lines)
    assert (
        main(["query", "--db", f"sqlite:///{ingested}", "--country", "YE", "--format", "table"])
        == 0
    )
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("date") and len(table) > 1


def test_bad_filter_is_a_clean_error(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--db", f"sqlite:///{ingested}", "--country", "Atlantis"]) == 2
    assert "unknown country" in capsys.readouterr().err


def test_reprocess_keeps_earlier_runs(
    ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(ingested, db)
    with Store(f"sqlite:///{db}") as s:
        before = s.counts()
    # Same pipeline version: nothing to do (an interrupted reprocess continues).
    assert main(["reprocess", "--db", f"sqlite:///{db}"]) == 0
    assert "re-extracted 0 articles" in capsys.readouterr().err
    assert main(["reprocess", "--db", f"sqlite:///{db}", "--force"]) == 0
    with Store(f"sqlite:///{db}") as s:
        after = s.counts()
        runs = s.runs()
    assert after["events"] == before["events"]  # the pipeline is deterministic
    assert after["events_all_runs"] == before["events_all_runs"] + before["events"]
    assert [r["kind"] for r in runs][-2:] == ["reprocess", "reprocess"]
    # Earlier runs stay queryable, to compare pipeline versions.
    with Store(f"sqlite:///{db}") as s:
        old = s.query(run_id=runs[0]["id"])
        new = s.query(run_id=runs[-1]["id"])
    assert len(old) == len(new) == before["events"]
    assert {r["is_current"] for r in old} == {False} and {r["is_current"] for r in new} == {True}
    assert [(r["event_id"], r["event_type"]) for r in old] == [
        (r["event_id"], r["event_type"]) for r in new
    ]
    capsys.readouterr()
    assert main(["runs", "--db", f"sqlite:///{db}"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == len(runs) and "reprocess" in listing[-1]


def test_progress_line() -> None:
    buf = io.StringIO()
    bar = Progress(10, label="ingest", stream=buf, enabled=True, every=0)
    for _ in range(4):
        bar.update()
    line = bar.line()
    assert "4/10" in line and "/s" in line and "ETA" in line
    bar.close()
    assert buf.getvalue().endswith("\n")
    quiet = io.StringIO()
    silent = Progress(10, stream=quiet)  # StringIO is not a TTY
    silent.update(3)
    silent.close()
    assert quiet.getvalue() == ""


def test_count_inputs(shared: Path, tmp_path: Path) -> None:
    from marsad.cli.store_cmd import count_inputs

    gold = shared / "data/gold-dev/gold.jsonl"
    (tmp_path / "a.txt").write_text("قتل شخصان في انفجار بمدينة حلب.", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy(gold, sub / "g.jsonl")
    assert count_inputs([str(gold)]) == 25
    assert count_inputs([str(tmp_path)]) == 26
    assert count_inputs([str(gold), "-"]) is None


def test_parser_does_not_import_the_store() -> None:
    import subprocess
    import sys

    from marsad.cli import store_cmd
    from marsad.store import export

    assert store_cmd.FORMATS == export.FORMATS
    code = (
        "import sys; from marsad.cli.main import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('marsad.store')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
