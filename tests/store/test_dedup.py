"""Cross-article deduplication: the hand-labelled SaudiNewsNet pairs and relinking in the store."""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from marsad.ingest.readers import Record
from marsad.store import Store
from marsad.store.dedup import assign_ids, cluster, decide, merge
from marsad.store.records import event_row

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]


def _reports() -> list[dict[str, Any]]:
    lines = (DATA / "dedup_reports.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines if x]


@pytest.fixture(scope="module")
def snn_articles(shared: Path) -> dict[str, dict[str, Any]]:
    """The SaudiNewsNet articles the hand-coded reports come from."""
    wanted = {r["doc_id"] for r in _reports()}
    out: dict[str, dict[str, Any]] = {}
    with gzip.open(shared / "data/corpora/saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            head = line[:40]
            if any(w in head for w in wanted):
                d = json.loads(line)
                if d["doc_id"] in wanted:
                    out[d["doc_id"]] = d
    return out


def _row(rep: dict[str, Any]) -> dict[str, Any]:
    row = event_row(rep["event"])
    row.update(doc_id=rep["doc_id"], outlet=rep["outlet"])
    return row


def test_pairs_meet_the_bars() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from eval_dedup import evaluate
    finally:
        sys.path.pop(0)
    pairs = [
        json.loads(x)
        for x in (DATA / "dedup_pairs.jsonl").read_text(encoding="utf-8").splitlines()
        if x
    ]
    kinds = {p["kind"] for p in pairs}
    assert len(pairs) >= 150
    assert {"same occurrence", "same place, different day", "same day, different place"} <= kinds
    res = evaluate(pairs)
    assert res["precision"] >= 0.95
    assert res["recall"] >= 0.80


def test_reports_are_coded_from_the_article_text(snn_articles: dict[str, dict[str, Any]]) -> None:
    reports = _reports()
    assert len(snn_articles) == len({r["doc_id"] for r in reports})
    for rep in reports:
        art = snn_articles[rep["doc_id"]]
        ev = rep["event"]
        assert rep["outlet"] == art["outlet"] and rep["published"] == art["published"]
        for span in ev["evidence"]:
            assert 0 <= span["start"] < span["end"] <= len(art["text"])
        assert ev["location"]["text"] in art["text"]


def test_hard_negatives() -> None:
    reps = {(r["doc_id"], r["occurrence"]): _row(r) for r in _reports()}
    suruc = reps[("snn-00112", "suruc")]
    kobani = reps[("snn-01615", "kobani")]
    ceylan = reps[("snn-05754", "ceylan")]
    najran_0802 = reps[("snn-16869", "najran-0802")]
    najran_0807 = reps[("snn-24566", "najran-0807")]
    guards = reps[("snn-13036", "najran-guards")]
    assert decide(suruc, kobani).reason == "place"  # same day, 10 km apart, across a border
    assert decide(suruc, ceylan).same is False  # same province, two days later
    assert decide(najran_0802, najran_0807).reason == "date"  # same city, five days apart
    assert decide(najran_0802, guards).reason == "coarse date or place, not corroborated"
    # Same article: split on purpose, never linked.
    assert decide(suruc, reps[("snn-00112", "kobani")]).reason == "same article"


def test_clusters_follow_occurrences() -> None:
    reports = _reports()
    rows = [_row(r) for r in reports]
    groups = cluster(rows)
    for g in groups:
        assert len({reports[i]["occurrence"] for i in g}) == 1  # never two occurrences in one
    by_occ: dict[str, int] = defaultdict(int)
    for g in groups:
        by_occ[reports[g[0]]["occurrence"]] += 1
    assert by_occ["suruc"] == 1 and by_occ["abha"] == 1 and by_occ["najran-0807"] == 1
    # Input order does not matter.
    shuffled = list(reversed(range(len(rows))))
    groups2 = cluster([rows[i] for i in shuffled])
    as_sets = {frozenset(g) for g in groups}
    assert {frozenset(shuffled[i] for i in g) for g in groups2} == as_sets


def test_merge_is_conservative() -> None:
    reports = [r for r in _reports() if r["occurrence"] == "suruc"]
    merged = merge([_row(r) for r in reports])
    tolls = sorted({r["event"]["fatalities"] for r in reports})
    assert merged["fatalities"] == tolls[0]
    assert merged["disagreement"]["fatalities"] == tolls
    assert merged["date"] == "2015-07-20"
    assert merged["sub_event_type"] == "Suicide bomb"
    assert set(merged["outlets"]) == {r["outlet"] for r in reports}
    assert "وزارة الداخلية التركية" in merged["sources"]
    assert merged["n_reports"] == len(reports)
    abha = merge([_row(r) for r in _reports() if r["occurrence"] == "abha"])
    assert (abha["location_name"], abha["geo_precision"]) == ("Abha", 1)  # finest place wins


def test_assign_ids_keeps_ids_and_never_duplicates() -> None:
    old = {7: {1, 2, 3}, 9: {4}}
    assert assign_ids(old, [{1, 2, 3, 5}, {4}, {6}]) == [7, 9, None]
    # A split keeps the id on the larger part only.
    assert assign_ids(old, [{1}, {2, 3}, {4}]) == [None, 7, 9]
    # A merge keeps one id.
    assert assign_ids(old, [{1, 2, 3, 4}]) == [7]


def _pairs_for(
    articles: dict[str, dict[str, Any]], doc_ids: list[str]
) -> list[tuple[Record, dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _reports():
        by_doc[r["doc_id"]].append(r["event"])
    out = []
    for doc_id in doc_ids:
        a = articles[doc_id]
        rec = Record(
            doc_id=doc_id,
            text=a["text"],
            title=a["title"],
            published=a["published"],
            outlet=a["outlet"],
            url=a["url"],
            source="saudinewsnet.jsonl.gz",
        )
        out.append((rec, {"doc_id": doc_id, "events": by_doc[doc_id]}))
    return out


def _linking(store: Store) -> dict[str, int]:
    return {r["event_id"]: r["canonical_id"] for r in store.query(reports=True)}


def test_store_relinks_incrementally(store: Store, snn_articles: dict[str, dict[str, Any]]) -> None:
    doc_ids = sorted(snn_articles)
    first, second = doc_ids[::2], doc_ids[1::2]
    store.store_extracted(_pairs_for(snn_articles, first), pipeline_version="hand-coded")
    before = _linking(store)
    canon_before = {c["id"]: {m["event_id"] for m in c["reports"]} for c in store.query()}
    store.store_extracted(_pairs_for(snn_articles, second), pipeline_version="hand-coded")
    after = _linking(store)
    n_reports = len(_reports())
    assert len(after) == n_reports and all(v is not None for v in after.values())
    canon = store.query()
    # Every report in exactly one canonical event; nothing lost, nothing duplicated.
    members = [m["event_id"] for c in canon for m in c["reports"]]
    assert sorted(members) == sorted(after)
    assert sum(c["n_reports"] for c in canon) == n_reports
    # Groups that only grew kept their id.
    for cid, ids in canon_before.items():
        if all(after[e] == after[next(iter(ids))] for e in ids):
            assert after[next(iter(ids))] == cid
    # Same result as linking everything at once.
    groups_now = sorted(sorted(m["event_id"] for m in c["reports"]) for c in canon)
    rows = [_row(r) for r in _reports()]
    expected = sorted(sorted(rows[i]["event_id"] for i in g) for g in cluster(rows))
    assert groups_now == expected
    # Relinking again changes nothing.
    n = store.relink()
    assert n == len(canon)
    assert _linking(store) == after
    assert before  # the first half was linked too
    suruc = next(c for c in canon if any(m["doc_id"] == "snn-04280" for m in c["reports"]))
    assert suruc["fatalities"] == 10 and "fatalities" in suruc["disagreement"]
    assert suruc["country"] == "TR" and suruc["n_reports"] == 11


def test_country_level_place_needs_corroboration() -> None:
    reps = {(r["doc_id"], r["occurrence"]): _row(r) for r in _reports()}
    abha = reps[("snn-22042", "abha")]  # 15 killed, Asir
    vague = dict(
        abha,
        doc_id="other",
        location_name="Saudi Arabia",
        admin1=None,
        admin2=None,
        geo_precision=3,
    )
    assert decide(abha, dict(vague, fatalities=15)).same  # same toll: the same bombing
    assert not decide(
        abha, dict(vague, fatalities=None, injured=None)
    ).same  # nothing specific shared
    assert not decide(abha, dict(vague, fatalities=3)).same  # a different toll
    # A state side is shared by too many events to corroborate; a named group is not.
    state = dict(vague, fatalities=None, injured=None, actor1="Police Forces of Saudi Arabia")
    assert not decide(dict(abha, actor1="Police Forces of Saudi Arabia"), state).same
    named = dict(vague, fatalities=None, injured=None, actor1="Islamic State")
    assert decide(dict(abha, actor1="Islamic State"), named).same
