"""The scorer of ``marsad evaluate``, on system files built from the real gold-dev articles.

The gold itself, converted to the output shape, must score 1.0 everywhere; each
perturbation below must lower exactly the numbers it touches.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import random
from pathlib import Path
from typing import Any

import pytest

from marsad.cli.main import main
from marsad.evaluate import (
    FIELDS,
    GoldArticle,
    Report,
    gold_to_system,
    load_gold,
    load_system,
    locate_evidence,
    match_events,
    max_weight_assignment,
    score,
)

SEED = "seed-hama-2017"
KM_PER_DEG_LAT = 111.195


@pytest.fixture(scope="module")
def gold_path(shared: Path) -> Path:
    return shared / "data" / "gold-dev" / "gold.jsonl"


@pytest.fixture(scope="module")
def gold(gold_path: Path) -> list[GoldArticle]:
    return load_gold(gold_path)


@pytest.fixture()
def system(gold: list[GoldArticle]) -> dict[str, list[dict[str, Any]]]:
    """A fresh perfect system output (the gold in IO.md form) for each test to perturb."""
    return {a.doc_id: gold_to_system(a) for a in gold}


def totals(report: Report) -> dict[str, tuple[int, int]]:
    return {f: (t.correct, t.total) for f, t in report.fields.items()}


def perfect_totals(gold: list[GoldArticle], system: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return totals(score(gold, system))


def write_jsonl(path: Path, system: dict[str, list[dict[str, Any]]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for doc_id, events in system.items():
            fh.write(json.dumps({"doc_id": doc_id, "events": events}, ensure_ascii=False) + "\n")
    return path


def test_gold_converted_to_output_scores_one(gold, system, gold_path, tmp_path, capsys) -> None:
    n_events = sum(len(a.events) for a in gold)
    assert n_events == 122
    report = score(gold, system)
    assert (report.events.gold, report.events.system, report.events.matched) == (122, 122, 122)
    assert report.events.f1 == 1.0
    for f in FIELDS:
        assert report.fields[f].accuracy == 1.0, f
        assert report.fields[f].total > 0, f
    assert not report.field_errors and not report.false_positives and not report.false_negatives
    # every gold event is matched to its own conversion
    for art in gold:
        pairs = match_events(art.text, art.events, system[art.doc_id])
        assert pairs == [(i, i) for i in range(len(art.events))]

    out = write_jsonl(tmp_path / "out.jsonl", system)
    assert main(["evaluate", str(gold_path), "--system", str(out), "--json"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["events"]["f1"] == 1.0
    assert all(v["accuracy"] == 1.0 for v in obj["fields"].values())
    assert len(obj["articles"]) == 25


def test_deleted_event_lowers_recall_only(gold, system) -> None:
    before = perfect_totals(gold, system)
    del system[SEED][3]  # the displacement event of "أنقذوا الأطفال"
    report = score(gold, system)
    assert (report.events.gold, report.events.system, report.events.matched) == (122, 121, 121)
    assert report.events.precision == 1.0
    assert report.events.recall == pytest.approx(121 / 122)
    assert all(t.accuracy == 1.0 for t in report.fields.values())
    assert totals(report)["displaced"] == (1, 1)
    assert before["displaced"] == (2, 2)
    (fn,) = report.false_negatives
    assert (fn["doc_id"], fn["index"], fn["sub_event_type"]) == (SEED, 3, "Displacement")
    assert "أنقذوا الأطفال" in fn["evidence"]
    assert report.missed_by_type == {"Strategic developments": 1}


def test_changed_event_type_unmatches_and_is_reported_as_confusion(gold, system) -> None:
    ev = system[SEED][12]  # an air strike on civilians in Tabqa
    ev["event_type"], ev["sub_event_type"] = "Riots", "Mob violence"
    report = score(gold, system)
    assert (report.events.system, report.events.matched) == (122, 121)
    assert report.events.precision == report.events.recall == pytest.approx(121 / 122)
    assert report.type_confusion == {("Explosions/Remote violence", "Riots"): 1}
    assert [(e["doc_id"], e["index"]) for e in report.false_positives] == [(SEED, 12)]
    assert [(e["doc_id"], e["index"]) for e in report.false_negatives] == [(SEED, 12)]


def test_changed_sub_event_type_keeps_the_match(gold, system) -> None:
    system[SEED][2]["sub_event_type"] = "Shelling/artillery/missile attack"
    report = score(gold, system)
    assert report.events.f1 == 1.0
    assert totals(report)["sub_event_type"] == (121, 122)
    assert report.subtype_confusion == {
        ("Air/drone strike", "Shelling/artillery/missile attack"): 1
    }
    others = {f: t.accuracy for f, t in report.fields.items() if f != "sub_event_type"}
    assert set(others.values()) == {1.0}


def test_shifted_dates(gold, system) -> None:
    for ev in system[SEED]:
        ev["date"] = (dt.date.fromisoformat(ev["date"]) + dt.timedelta(days=1)).isoformat()
    report = score(gold, system)
    assert report.events.f1 == 1.0
    assert totals(report)["date"] == (122 - 13, 122)
    assert report.fields["time_precision"].accuracy == 1.0
    assert {e["field"] for e in report.field_errors} == {"date"}


def test_coordinates_moved_100_km_are_wrong_20_km_right(gold, system) -> None:
    loc = system[SEED][12]["location"]
    lat0 = loc["lat"]
    loc["lat"] = lat0 + 100 / KM_PER_DEG_LAT
    report = score(gold, system)
    assert totals(report)["location"] == (121, 122)
    assert report.fields["country"].accuracy == report.fields["admin1"].accuracy == 1.0
    loc["lat"] = lat0 + 20 / KM_PER_DEG_LAT
    assert score(gold, system).fields["location"].accuracy == 1.0
    loc["lat"] = loc["lon"] = None  # gold has coordinates: a system without them is wrong
    assert totals(score(gold, system))["location"] == (121, 122)


def test_location_without_gold_coordinates_compares_text(gold, system) -> None:
    ev = system[SEED][8]  # القلمون الشرقي, not in the gazetteer
    assert gold[0].events[8]["location"]["lat"] is None
    ev["location"] = dict(ev["location"], text="منطقة القلمون الشرقي")
    assert score(gold, system).fields["location"].accuracy == 1.0
    ev["location"] = dict(ev["location"], text="حمص")
    report = score(gold, system)
    assert totals(report)["location"] == (121, 122)
    ev["location"] = None
    assert totals(score(gold, system))["country"] == (121, 122)


def test_country_admin1_geo_precision(gold, system) -> None:
    loc = system[SEED][0]["location"]
    loc["admin1"] = "hama"  # case is ignored
    assert score(gold, system).fields["admin1"].accuracy == 1.0
    loc["admin1"], loc["country"], loc["geo_precision"] = "Homs", "LB", 1
    t = totals(score(gold, system))
    assert t["admin1"] == t["country"] == t["geo_precision"] == (121, 122)
    assert t["location"] == (122, 122)


def test_counts_are_scored_where_either_side_has_a_number(gold, system) -> None:
    system[SEED][12]["fatalities"] = 36  # gold 37
    system[SEED][0]["fatalities"] = 5  # gold null
    system[SEED][3]["displaced"] = None  # gold 10000
    t = totals(score(gold, system))
    assert t["fatalities"] == (43, 45)
    assert t["displaced"] == (1, 2)
    assert t["injured"] == (27, 27) and t["arrested"] == (4, 4)


def test_actor_sides(gold, system) -> None:
    base = totals(score(gold, system))["actors"]
    assert base == (215, 215)
    for events in system.values():  # the slot order does not matter
        for ev in events:
            ev["actor1"], ev["actor2"] = ev["actor2"], ev["actor1"]
    assert totals(score(gold, system))["actors"] == base

    ev0 = system[SEED][0]  # now actor1 holds the regime side
    ev0["actor1"] = {"name": None, "text": "لقوات النظام"}  # proclitic ل, no name
    assert totals(score(gold, system))["actors"] == base
    ev0["actor1"] = {"name": "Islamic State", "text": "داعش"}
    assert totals(score(gold, system))["actors"] == (214, 215)
    ev0["actor1"] = None  # a missing side
    assert totals(score(gold, system))["actors"] == (214, 215)
    ev3 = system[SEED][3]  # displacement: gold has one side only
    ev3["actor1"] = {"name": "Military Forces of Syria", "text": "قوات النظام"}
    assert totals(score(gold, system))["actors"] == (214, 216)


def test_sources_containment_and_extras(gold, system) -> None:
    system[SEED][0]["sources"] = ["المرصد السوري"]  # contained in the gold name
    assert score(gold, system).fields["sources"].accuracy == 1.0
    system[SEED][12]["sources"] = ["ناشطون", "وكالة سانا"]  # an extra source
    system[SEED][8]["sources"] = ["ناشطون"]  # gold: none
    system[SEED][4]["sources"] = ['شبكة "صوت العاصمة"']  # one of two gold sources missing
    assert totals(score(gold, system))["sources"] == (119, 122)


def test_matching_by_location_text_and_by_partial_overlap(gold, system) -> None:
    text = gold[0].text
    ev8 = system[SEED][8]
    ev8["evidence"] = []  # same type and place: still matched
    assert score(gold, system).events.matched == 122
    ev8["location"] = dict(ev8["location"], text="مدينة دير الزور")
    report = score(gold, system)
    assert report.events.matched == 121
    ev8["location"] = dict(ev8["location"], text="القلمون")  # contained in "القلمون الشرقي"
    assert score(gold, system).events.matched == 122

    ev12 = system[SEED][12]
    (span,) = locate_evidence(text, gold[0].events[12]["evidence"][:1])
    mid = (span[0] + span[1]) // 2
    ev12["location"] = dict(ev12["location"], text="مدينة دير الزور")
    ev12["evidence"] = [{"start": mid, "end": span[1]}]  # half of one gold span
    assert score(gold, system).events.matched == 122
    ev12["evidence"] = [{"start": len(text) - 5, "end": len(text) + 50}]  # out of range: dropped
    assert score(gold, system).events.matched == 121


def test_missing_article_counts_as_no_events(gold, system) -> None:
    n = len(system.pop("snn-14587"))
    system["not-in-gold"] = [system[SEED][0]]
    report = score(gold, system)
    assert (report.events.system, report.events.matched) == (122 - n, 122 - n)
    assert any("missing" in w for w in report.warnings)
    assert any("not in the gold" in w for w in report.warnings)


def test_locate_evidence_finds_every_occurrence() -> None:
    text = "قصفت الطائرات الحربية مدينة حلب، ثم قصفت الطائرات الحربية ريف إدلب."
    spans = locate_evidence(text, ["قصفت الطائرات", "ريف إدلب", "غير موجود"])
    assert [text[s:e] for s, e in spans] == ["قصفت الطائرات", "قصفت الطائرات", "ريف إدلب"]
    assert spans[0][0] == 0 and spans[1][0] > spans[0][1]


def test_assignment_is_optimal_where_greedy_is_not() -> None:
    # greedy would take (0, 0) first and leave row 1 unmatched
    assert max_weight_assignment([[5, 4], [4, 0]]) == [(0, 1), (1, 0)]
    assert max_weight_assignment([[1], [2], [0]]) == [(1, 0)]
    assert max_weight_assignment([[0, 0], [0, 0]]) == []
    assert max_weight_assignment([]) == []


def test_assignment_matches_brute_force_on_small_matrices() -> None:
    rng = random.Random(7)
    for _ in range(200):
        n, m = rng.randint(1, 4), rng.randint(1, 4)
        w = [[rng.choice([0, 0, 1, 3, 10, 11]) for _ in range(m)] for _ in range(n)]
        pairs = max_weight_assignment(w)
        assert len({r for r, _ in pairs}) == len({c for _, c in pairs}) == len(pairs)
        assert all(w[r][c] > 0 for r, c in pairs)
        rows, cols = (range(n), range(m)) if n <= m else (range(m), range(n))
        best = max(
            sum(w[r][c] if n <= m else w[c][r] for r, c in zip(rows, perm, strict=False))
            for perm in itertools.permutations(cols, len(rows))
        )
        assert sum(w[r][c] for r, c in pairs) == best


def test_text_report_ends_with_short_summary(gold, system, gold_path, tmp_path, capsys) -> None:
    del system[SEED][3]
    system[SEED][0]["date"] = "2017-03-01"
    out = write_jsonl(tmp_path / "out.jsonl", system)
    rc = main(["evaluate", str(gold_path), "--system", str(out), "--articles", "--errors"])
    assert rc == 0
    lines = capsys.readouterr().out.splitlines()
    tail = lines[-12:]
    assert any(line.startswith("== marsad evaluate") for line in tail)
    events_line = next(line for line in tail if line.startswith("events"))
    assert "R 0.992" in events_line and "matched 121" in events_line
    assert any("date 0.992 (120/121)" in line for line in tail)
    assert any(line.startswith(SEED) and " 13 " in line for line in lines)  # article table
    body = "\n".join(lines)
    assert "أنقذوا الأطفال" in body  # the false negative's evidence
    assert "2017-03-23  |  system 2017-03-01" in body  # the date error
    assert load_system(out)[SEED][0]["date"] == "2017-03-01"


def test_converted_output_shares_nothing_with_the_gold(gold, system) -> None:
    pristine = copy.deepcopy(gold[0].events)
    for ev in system[SEED]:
        ev["location"]["lat"] = 0.0
        ev["sources"].append("ناشطون")
    assert gold[0].events == pristine
