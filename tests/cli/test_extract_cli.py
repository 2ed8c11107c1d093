"""`marsad extract` end to end: the IO.md contract on real articles and on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.cli.main import main

SEED = Path(__file__).resolve().parents[2] / "examples" / "hama-2017-03.txt"


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_seed_article_events_follow_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(SEED), "--published", "2017-03-24", "-o", str(out)]) == 0
    [line] = lines(out)
    text = SEED.read_text(encoding="utf-8")
    assert line["doc_id"] == "hama-2017-03"
    events = line["events"]
    assert events
    keys = {
        "event_id",
        "event_type",
        "sub_event_type",
        "date",
        "time_precision",
        "actor1",
        "assoc_actor_1",
        "actor2",
        "assoc_actor_2",
        "location",
        "fatalities",
        "injured",
        "displaced",
        "arrested",
        "sources",
        "evidence",
    }
    for i, ev in enumerate(events):
        assert keys <= set(ev)
        assert ev["event_id"] == f"hama-2017-03/{i}"
        assert all(not k.startswith("_") for k in ev)
        for sp in ev["evidence"]:
            assert 0 <= sp["start"] < sp["end"] <= len(text)
    by_type = {e["sub_event_type"]: e for e in events}
    # the founding article's air strikes on Tabqa: 37 killed, 50 injured, per activists
    strike = next(e for e in events if e["fatalities"] == 37)
    assert strike["sub_event_type"] == "Air/drone strike"
    assert strike["injured"] == 50 and strike["sources"] == ["ناشطون"]
    # 10,000 civilians fled, according to Save the Children
    disp = by_type["Displacement"]
    assert disp["displaced"] == 10000
    assert disp["date"] == "2017-03-23"
    # "سجلت منظمة 'أنقذوا الأطفال' فرار 10 آلاف مدني": the organisation that recorded it
    assert any("أنقذوا الأطفال" in s for s in disp["sources"])
    # the factions' advance in Hama province, per the Observatory ("في وقت شهدت دمشق
    # استنفارا" in the same sentence is another event, not the advance's place)
    advance = next(
        e for e in events if e["evidence"][0]["start"] == 0 and e["event_type"] == "Battles"
    )
    assert advance["sub_event_type"] == "Non-state actor overtakes territory"
    assert "المرصد السوري لحقوق الإنسان" in advance["sources"]
    assert advance["location"]["admin1"] == "Hama"
    # the clashes north of Jobar (and the shelling that came with them: two events)
    jobar = [e for e in events if e["location"] and e["location"]["name"] == "Jobar"]
    assert sorted(e["sub_event_type"] for e in jobar) == [
        "Armed clash",
        "Shelling/artillery/missile attack",
    ]
    assert all(e["sources"] == ["المرصد السوري لحقوق الإنسان"] for e in jobar)
    # Ahrar al-Sham cut the Homs–Salamiyah road in the eastern Hama countryside
    road = next(e for e in events if "حمص والسلمية" in (e["location"] or {}).get("text", ""))
    assert road["sub_event_type"] == "Non-state actor overtakes territory"
    assert road["actor1"]["name"] == "Ahrar al-Sham"
    assert road["location"]["admin1"] == "Hama" and road["location"]["geo_precision"] == 2


def test_bad_inputs_each_get_an_error_line_in_order(tmp_path: Path) -> None:
    good = {
        "doc_id": "ok",
        "published": "2015-07-21",
        "text": "قتل ثلاثة جنود أمس في هجوم بعبوة ناسفة في مدينة الرمادي.",
    }
    jl = tmp_path / "in.jsonl"
    jl.write_text(
        "\n".join(
            [
                json.dumps(good, ensure_ascii=False),
                "{not json",
                json.dumps({"doc_id": "notext"}),
                json.dumps({"doc_id": "english", "text": "Three soldiers were killed in Ramadi."}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    empty = tmp_path / "z_empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "z_binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out.jsonl"
    rc = main(["extract", str(jl), str(empty), str(binary), "-o", str(out)])
    assert rc == 0
    got = lines(out)
    assert [g["doc_id"] for g in got] == [
        "ok",
        "in.jsonl:2",
        "notext",
        "english",
        "z_empty",
        "z_binary",
    ]
    assert "error" not in got[0] and got[0]["events"]
    for g in got[1:]:
        assert g["events"] == [] and g["error"]
    assert "not Arabic" in got[3]["error"]


def test_all_failed_gives_exit_status_one(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Only English here, nothing Arabic at all.", encoding="utf-8")
    assert main(["extract", str(f), "-o", str(tmp_path / "o.jsonl")]) == 1


def test_stdin_jsonl_and_gold_file_as_input(shared: Path) -> None:
    gold = shared / "data" / "gold-dev" / "gold.jsonl"
    first = gold.read_text(encoding="utf-8").splitlines()[1]
    proc = subprocess.run(
        [sys.executable, "-m", "marsad", "extract", "-"],
        input=first,
        capture_output=True,
        text=True,
        check=True,
    )
    [line] = [json.loads(x) for x in proc.stdout.splitlines()]
    assert line["doc_id"] == json.loads(first)["doc_id"]
    assert line["events"]


def test_unknown_stage_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--pipeline", "clean/v1,nonsense/v9"]) == 2
    assert "unknown stage" in capsys.readouterr().err
