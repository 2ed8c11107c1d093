#!/usr/bin/env python3
"""Measure place recognition and resolution on the hand-checked place test set.

Each line of ``tests/resolve/data/places_eval.jsonl`` holds a stretch of a real
article (``text``), the offsets of one place name in it (``start``/``end``) and the
gold resolution (``gold``: country, admin1, lat, lon; ``null`` when the words are not
a place, to count false alarms). The text goes through normalise → segment →
``places/v1``; the ``PLACE`` span that overlaps the gold name is resolved with
:class:`marsad.resolve.places.PlaceResolver`.

Reported: recognition recall, accuracy within 25 km (gold with a point), admin1 and
country accuracy (a missed mention counts as wrong), the same on the ambiguous names
(names with places in more than one admin1), and the false-alarm rate on non-places.

Usage: ``python scripts/eval_places.py [--data FILE] [--details] [--json]``
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import marsad.mentions.places  # noqa: F401  (registers places/v1)
from marsad.doc import Doc, DocMeta
from marsad.pipeline import Pipeline, Resources
from marsad.resolve.gazetteer import Gazetteer
from marsad.resolve.places import PlaceResolver

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / "tests" / "resolve" / "data" / "places_eval.jsonl"
KM = 25.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Tally:
    """Counts for one subset of the test set."""

    places: int = 0
    found: int = 0
    with_point: int = 0
    within: int = 0
    with_admin1: int = 0
    admin1_ok: int = 0
    country_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "places": self.places,
            "recall": ratio(self.found, self.places),
            "acc_25km": ratio(self.within, self.with_point),
            "admin1_acc": ratio(self.admin1_ok, self.with_admin1),
            "country_acc": ratio(self.country_ok, self.places),
            "n_with_point": self.with_point,
            "n_with_admin1": self.with_admin1,
        }


def load(path: Path) -> list[dict[str, Any]]:
    """The records of a place test file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(records: Iterable[dict[str, Any]], gazetteer: Gazetteer) -> dict[str, Any]:
    """Run recognition and resolution over ``records`` and score them."""
    pipe = Pipeline(["normalize/v1", "segment/v1", "places/v1"], Resources(gazetteer=gazetteer))
    resolver = PlaceResolver(gazetteer)
    total, amb = Tally(), Tally()
    non_places = false_alarms = 0
    fa_list: list[str] = []
    for rec in records:
        doc = pipe(Doc(text=rec["text"], meta=DocMeta(doc_id=rec["id"])))
        s, e = rec["start"], rec["end"]
        span = next((sp for sp in doc.spans("PLACE") if sp.start < e and s < sp.end), None)
        gold = rec["gold"]
        if gold is None:
            non_places += 1
            if span is not None:
                false_alarms += 1
                fa_list.append(f"{rec['id']} {rec['mention']!r}")
            continue
        loc = resolver.resolve(doc, span, resolver.article_context(doc)) if span else None
        for t in (total, amb) if rec.get("ambiguous") else (total,):
            _score(t, rec, gold, loc)
    return {
        "all": total.as_dict(),
        "ambiguous": amb.as_dict(),
        "non_places": non_places,
        "false_alarm_rate": round(false_alarms / non_places, 4) if non_places else None,
        "errors": total.errors,
        "false_alarms": fa_list,
    }


def _score(t: Tally, rec: dict[str, Any], gold: dict[str, Any], loc: dict[str, Any] | None) -> None:
    t.places += 1
    if loc is None:
        t.errors.append(f"{rec['id']} {rec['mention']!r}: not recognised")
        if gold.get("lat") is not None:
            t.with_point += 1
        if gold.get("admin1"):
            t.with_admin1 += 1
        return
    t.found += 1
    wrong: list[str] = []
    if loc.get("country") == gold["country"]:
        t.country_ok += 1
    else:
        wrong.append(f"country {loc.get('country')} != {gold['country']}")
    if gold.get("admin1"):
        t.with_admin1 += 1
        if loc.get("admin1") == gold["admin1"]:
            t.admin1_ok += 1
        else:
            wrong.append(f"admin1 {loc.get('admin1')} != {gold['admin1']}")
    if gold.get("lat") is not None:
        t.with_point += 1
        if loc.get("lat") is not None:
            d = haversine_km(gold["lat"], gold["lon"], loc["lat"], loc["lon"])
            if d <= KM:
                t.within += 1
            else:
                wrong.append(f"{d:.0f} km off")
        else:
            wrong.append("no point")
    if wrong:
        t.errors.append(f"{rec['id']} {rec['mention']!r}: " + "; ".join(wrong))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--details", action="store_true", help="list every error")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    report = evaluate(load(args.data), Gazetteer.load_default())
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for name in ("all", "ambiguous"):
        r = report[name]
        print(
            f"{name:10s} places={r['places']:4d} recall={r['recall']} "
            f"acc@25km={r['acc_25km']} (n={r['n_with_point']}) "
            f"admin1={r['admin1_acc']} (n={r['n_with_admin1']}) country={r['country_acc']}"
        )
    print(f"non-places={report['non_places']} false-alarm rate={report['false_alarm_rate']}")
    if args.details:
        for line in report["errors"] + [f"false alarm: {x}" for x in report["false_alarms"]]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
