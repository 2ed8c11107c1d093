"""Exports of canonical events (or every report): ACLED CSV, HXL, GeoJSON, JSONL, Parquet."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO

from marsad.errors import StoreError
from marsad.store.countries import country as country_info
from marsad.store.records import row_to_record

if TYPE_CHECKING:
    from marsad.store.core import Store

#: ACLED's 31 columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: Marsad's columns after ACLED's.
EXTRA_COLUMNS: tuple[str, ...] = (
    "notes_ar",
    "injured",
    "displaced",
    "arrested",
    "n_reports",
    "outlets",
    "doc_ids",
    "marsad_event_ids",
    "disagreement",
)

#: HXL hashtags, one per column of ACLED_COLUMNS + EXTRA_COLUMNS.
HXL_TAGS: dict[str, str] = {
    "event_id_cnty": "#event+code",
    "event_date": "#date",
    "year": "#date+year",
    "time_precision": "#date+precision",
    "disorder_type": "#event+type+disorder",
    "event_type": "#event+type",
    "sub_event_type": "#event+type+sub",
    "actor1": "#actor+name+first",
    "assoc_actor_1": "#actor+name+first+assoc",
    "inter1": "#actor+code+first",
    "actor2": "#actor+name+second",
    "assoc_actor_2": "#actor+name+second+assoc",
    "inter2": "#actor+code+second",
    "interaction": "#actor+code+interaction",
    "civilian_targeting": "#event+civilians",
    "iso": "#country+code+num",
    "region": "#region+name",
    "country": "#country+name",
    "admin1": "#adm1+name",
    "admin2": "#adm2+name",
    "admin3": "#adm3+name",
    "location": "#loc+name",
    "latitude": "#geo+lat",
    "longitude": "#geo+lon",
    "geo_precision": "#geo+precision",
    "source": "#meta+source",
    "source_scale": "#meta+source+scale",
    "notes": "#description",
    "fatalities": "#affected+killed",
    "tags": "#meta+tags",
    "timestamp": "#date+timestamp",
    "notes_ar": "#description+ar",
    "injured": "#affected+injured",
    "displaced": "#affected+displaced",
    "arrested": "#affected+arrested",
    "n_reports": "#meta+count",
    "outlets": "#meta+source+outlet",
    "doc_ids": "#meta+id+doc",
    "marsad_event_ids": "#meta+id",
    "disagreement": "#meta+disagreement",
}

FORMATS = ("acled-csv", "hxl", "geojson", "jsonl", "parquet")

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}

#: English verb phrase per sub-type: (phrase with an actor2, phrase without one).
_PHRASES: dict[str, tuple[str, str]] = {
    "Armed clash": ("{a1} clashed with {a2}", "{a1} were involved in armed clashes"),
    "Government regains territory": (
        "{a1} regained territory from {a2}",
        "{a1} regained territory",
    ),
    "Non-state actor overtakes territory": ("{a1} took territory from {a2}", "{a1} took territory"),
    "Chemical weapon": ("{a1} used chemical weapons against {a2}", "{a1} used chemical weapons"),
    "Air/drone strike": (
        "{a1} carried out air/drone strikes on {a2}",
        "{a1} carried out air/drone strikes",
    ),
    "Suicide bomb": (
        "a suicide bomber ({a1}) attacked {a2}",
        "a suicide bomber ({a1}) blew himself up",
    ),
    "Shelling/artillery/missile attack": ("{a1} shelled {a2}", "{a1} carried out shelling"),
    "Remote explosive/landmine/IED": (
        "an explosive device ({a1}) hit {a2}",
        "an explosive device ({a1}) went off",
    ),
    "Grenade": ("{a1} threw a grenade at {a2}", "{a1} threw a grenade"),
    "Sexual violence": (
        "{a1} committed sexual violence against {a2}",
        "{a1} committed sexual violence",
    ),
    "Attack": ("{a1} attacked {a2}", "{a1} carried out an attack"),
    "Abduction/forced disappearance": ("{a1} abducted {a2}", "{a1} abducted people"),
    "Peaceful protest": ("{a1} protested peacefully ({a2})", "{a1} protested peacefully"),
    "Protest with intervention": (
        "{a2} intervened against a protest by {a1}",
        "a protest by {a1} was broken up",
    ),
    "Excessive force against protesters": (
        "{a1} used excessive force against {a2}",
        "excessive force was used against {a1}",
    ),
    "Violent demonstration": ("{a1} rioted, confronting {a2}", "{a1} rioted"),
    "Mob violence": ("{a1} attacked {a2} as a mob", "{a1} engaged in mob violence"),
    "Agreement": ("{a1} and {a2} reached an agreement", "{a1} reached an agreement"),
    "Arrests": ("{a1} arrested {a2}", "{a1} made arrests"),
    "Change to group/activity": (
        "{a1} changed its activity regarding {a2}",
        "{a1} changed its activity",
    ),
    "Disrupted weapons use": ("{a1} disrupted weapons use by {a2}", "{a1} disrupted weapons use"),
    "Headquarters or base established": (
        "{a1} established a base against {a2}",
        "{a1} established a base",
    ),
    "Looting/property destruction": (
        "{a1} looted or destroyed property of {a2}",
        "{a1} looted or destroyed property",
    ),
    "Non-violent transfer of territory": (
        "{a1} took over territory from {a2} without fighting",
        "{a1} took over territory without fighting",
    ),
    "Other": (
        "a strategic development involving {a1} and {a2}",
        "a strategic development involving {a1}",
    ),
    "Displacement": ("people fled {a1} ({a2})", "people were displaced"),
}

_INTER_PREFIXES: tuple[tuple[str, int], ...] = (
    ("military forces of", 1),
    ("police forces of", 1),
    ("government of", 1),
    ("rioters", 5),
    ("protesters", 6),
    ("civilians", 7),
    ("unidentified armed group", 3),
)


def inter_code(name: str | None, country: str | None = None) -> int:
    """ACLED's inter code (1–8) of an actor in an event in ``country``; 0 when unknown.

    Looked up in the actor registry (state forces abroad are external forces, 8);
    names it does not know fall back on ACLED's generic actor names (Military Forces
    of ..., Civilians (...), Protesters (...)).
    """
    if not name:
        return 0
    from marsad.store.core import registry_inter

    code = registry_inter(name, country)
    if code is not None and 1 <= code <= 8:
        return code
    low = name.casefold()
    for prefix, value in _INTER_PREFIXES:
        if low.startswith(prefix):
            return value
    return 0


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction code: the two inter codes, lowest first (10 × code alone)."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if len(codes) == 2:
        return codes[0] * 10 + codes[1]
    if codes:
        return codes[0] * 10
    return 0


def _fmt_date(value: str | None) -> str:
    if not value:
        return "an unknown date"
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.day} {d.strftime('%B %Y')}"


def english_note(row: Mapping[str, Any], n_reports: int = 1) -> str:
    """A one-line English summary of an event in ACLED's notes style."""
    a1 = row.get("actor1") or "unidentified actors"
    a2 = row.get("actor2")
    sub = row.get("sub_event_type") or ""
    with_a2, alone = _PHRASES.get(
        sub, ("{a1} and {a2} were involved in an event", "{a1} were involved in an event")
    )
    phrase = (with_a2 if a2 else alone).format(a1=a1, a2=a2)
    where_parts = [row.get("location_name") or row.get("location_text"), row.get("admin1")]
    c = country_info(row.get("country"))
    where_parts.append(c.name if c else row.get("country"))
    where = ", ".join(str(p) for p in dict.fromkeys(p for p in where_parts if p))
    text = f"On {_fmt_date(row.get('date'))}, {phrase}"
    if where:
        text += f" in {where}"
    text += "."
    counts = []
    for key, label in (
        ("fatalities", "fatalities"),
        ("injured", "injured"),
        ("displaced", "displaced"),
        ("arrested", "arrested"),
    ):
        if row.get(key) is not None:
            counts.append(f"{row[key]} {label}")
    if counts:
        text += " " + ", ".join(counts).capitalize() + "."
    if n_reports > 1:
        text += f" Reported by {n_reports} articles."
    return text[0].upper() + text[1:]


def _evidence_text(text: str | None, evidence: Sequence[Mapping[str, Any]] | None) -> str:
    if not text or not evidence:
        return ""
    parts = []
    for ev in evidence:
        try:
            s, e = int(ev["start"]), int(ev["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= s < e <= len(text):
            parts.append(" ".join(text[s:e].split()))
    return " … ".join(dict.fromkeys(parts))


def _names(items: Any) -> str:
    if not items:
        return ""
    return "; ".join(str(i.get("name")) for i in items if isinstance(i, Mapping) and i.get("name"))


def _timestamp(value: Any) -> int:
    if isinstance(value, datetime):
        return int(value.timestamp())
    return 0


def _acled_row(
    row: Mapping[str, Any],
    seq: str,
    notes_ar: str,
    outlets: Sequence[str],
    doc_ids: Sequence[str],
    event_ids: Sequence[str],
) -> dict[str, Any]:
    c = country_info(row.get("country"))
    inter1 = inter_code(row.get("actor1"), row.get("country"))
    inter2 = inter_code(row.get("actor2"), row.get("country"))
    ev_date = row.get("date") or ""
    sub = row.get("sub_event_type")
    civ = (
        "Civilian targeting"
        if row.get("event_type") in ("Violence against civilians", "Explosions/Remote violence")
        and 7 in (inter1, inter2)
        else ""
    )
    sources = list(row.get("sources") or [])
    disagreement = row.get("disagreement") or {}
    tags = "; ".join(
        f"reports disagree on {k}: {' / '.join(str(v) for v in vals)}"
        for k, vals in sorted(disagreement.items())
    )
    n_reports = int(row.get("n_reports") or 1)
    return {
        "event_id_cnty": f"{c.iso3 if c else 'XXX'}{seq}",
        "event_date": ev_date,
        "year": int(ev_date[:4]) if ev_date[:4].isdigit() else 0,
        "time_precision": int(row.get("time_precision") or 3),
        "disorder_type": _DISORDER.get(row.get("event_type") or "", ""),
        "event_type": row.get("event_type") or "",
        "sub_event_type": sub or "",
        "actor1": row.get("actor1") or "",
        "assoc_actor_1": _names(row.get("assoc_actor_1")),
        "inter1": inter1,
        "actor2": row.get("actor2") or "",
        "assoc_actor_2": _names(row.get("assoc_actor_2")),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": civ,
        "iso": c.numeric if c else 0,
        "region": c.region if c else "",
        "country": c.name if c else (row.get("country") or ""),
        "admin1": row.get("admin1") or "",
        "admin2": row.get("admin2") or "",
        "admin3": "",
        "location": row.get("location_name") or row.get("location_text") or "",
        "latitude": row.get("lat"),
        "longitude": row.get("lon"),
        "geo_precision": int(row.get("geo_precision") or 3),
        "source": "; ".join([*sources, *outlets]),
        "source_scale": "Other",
        "notes": english_note(row, n_reports),
        "fatalities": int(row.get("fatalities") or 0),
        "tags": tags,
        "timestamp": _timestamp(row.get("updated_at")),
        "notes_ar": notes_ar,
        "injured": row.get("injured"),
        "displaced": row.get("displaced"),
        "arrested": row.get("arrested"),
        "n_reports": n_reports,
        "outlets": "; ".join(outlets),
        "doc_ids": "; ".join(doc_ids),
        "marsad_event_ids": "; ".join(event_ids),
        "disagreement": json.dumps(disagreement, ensure_ascii=False) if disagreement else "",
    }


def acled_rows(store: Store, *, reports: bool = False, **filters: Any) -> list[dict[str, Any]]:
    """Selected canonical events (or reports) as dicts with ACLED's columns then Marsad's."""
    rows = store.query(reports=reports, **filters)
    if reports:
        texts = store.article_texts(r["article_id"] for r in rows)
        return [
            _acled_row(
                {**r, "n_reports": 1, "updated_at": r.get("ingested_at")},
                f"R{r['id']}",
                _evidence_text(texts.get(r["article_id"]), r.get("evidence")),
                [r["outlet"]] if r.get("outlet") else [],
                [r["doc_id"]],
                [r["event_id"]],
            )
            for r in rows
        ]
    firsts = {r["id"]: (r["reports"][0] if r["reports"] else None) for r in rows}
    texts = store.article_texts(m["article_id"] for m in firsts.values() if m)
    out = []
    for r in rows:
        first = firsts[r["id"]]
        notes_ar = (
            _evidence_text(texts.get(first["article_id"]), first.get("evidence")) if first else ""
        )
        out.append(
            _acled_row(
                r,
                str(r["id"]),
                notes_ar,
                list(r.get("outlets") or []),
                list(dict.fromkeys(m["doc_id"] for m in r["reports"])),
                [m["event_id"] for m in r["reports"]],
            )
        )
    return out


#: pandas dtypes of the exported CSV columns (text columns stay text when empty).
CSV_DTYPES: dict[str, str] = {
    **{c: "str" for c in (*ACLED_COLUMNS, *EXTRA_COLUMNS)},
    **{
        c: "int64"
        for c in (
            "year",
            "time_precision",
            "inter1",
            "inter2",
            "interaction",
            "iso",
            "geo_precision",
            "fatalities",
            "timestamp",
            "n_reports",
        )
    },
    **{c: "float64" for c in ("latitude", "longitude")},
    **{c: "Int64" for c in ("injured", "displaced", "arrested")},
}


def read_acled_csv(path: str) -> Any:
    """Read an ``acled-csv`` export with pandas, every column with its proper dtype."""
    import pandas as pd

    return pd.read_csv(
        path,
        dtype=CSV_DTYPES,
        keep_default_na=False,
        na_values={c: [""] for c in ("latitude", "longitude", "injured", "displaced", "arrested")},
    )


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO, *, hxl: bool = False) -> int:
    """ACLED CSV (optionally with the HXL hashtag row); returns the number of rows."""
    columns = [*ACLED_COLUMNS, *EXTRA_COLUMNS]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    if hxl:
        writer.writerow({c: HXL_TAGS[c] for c in columns})
    n = 0
    for row in rows:
        writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in columns})
        n += 1
    return n


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def event_records(store: Store, *, reports: bool = False, **filters: Any) -> list[dict[str, Any]]:
    """Selected events as IO.md-shaped records plus store fields (for JSONL and GeoJSON)."""
    rows = store.query(reports=reports, **filters)
    out: list[dict[str, Any]] = []
    for r in rows:
        rec = row_to_record(r)
        if reports:
            rec = {
                "event_id": r["event_id"],
                "doc_id": r["doc_id"],
                "outlet": r.get("outlet"),
                "canonical_id": r.get("canonical_id"),
                **rec,
                "evidence": r.get("evidence") or [],
            }
        else:
            rec = {
                "canonical_id": r["id"],
                **rec,
                "outlets": r.get("outlets") or [],
                "n_reports": r.get("n_reports"),
                "disagreement": r.get("disagreement") or {},
                "reports": [
                    {
                        "event_id": m["event_id"],
                        "doc_id": m["doc_id"],
                        "outlet": m["outlet"],
                        "url": m["url"],
                        "fatalities": m["fatalities"],
                    }
                    for m in r["reports"]
                ],
                "updated_at": _jsonable(r.get("updated_at")),
            }
        out.append(rec)
    return out


def geojson(records: Iterable[Mapping[str, Any]]) -> tuple[dict[str, Any], int]:
    """An RFC 7946 FeatureCollection of the records that have coordinates; and how many did not."""
    features = []
    skipped = 0
    for rec in records:
        loc = rec.get("location") or {}
        lat, lon = loc.get("lat"), loc.get("lon")
        if lat is None or lon is None:
            skipped += 1
            continue
        props = {k: v for k, v in rec.items() if k != "location"}
        props.update({f"location_{k}": v for k, v in loc.items() if k not in ("lat", "lon")})
        for key in ("actor1", "actor2"):
            actor = props.get(key)
            props[key] = actor.get("name") if isinstance(actor, Mapping) else actor
        features.append(
            {
                "type": "Feature",
                "id": rec.get("canonical_id")
                if rec.get("event_id") is None
                else rec.get("event_id"),
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon), 6), round(float(lat), 6)],
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}, skipped


def write_parquet(rows: Sequence[Mapping[str, Any]], path: str) -> int:
    """The ACLED-layout rows as a typed Parquet file (needs pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError as exc:
        raise StoreError("parquet export needs pyarrow: pip install 'marsad[parquet]'") from exc
    ints = {
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
        "fatalities",
        "timestamp",
        "injured",
        "displaced",
        "arrested",
        "n_reports",
    }
    floats = {"latitude", "longitude"}
    fields = []
    for col in (*ACLED_COLUMNS, *EXTRA_COLUMNS):
        typ = pa.int64() if col in ints else pa.float64() if col in floats else pa.string()
        fields.append(pa.field(col, typ))
    schema = pa.schema(fields)
    data = {f.name: [r.get(f.name) for r in rows] for f in fields}
    table = pa.Table.from_pydict(data, schema=schema)
    pq.write_table(table, path)
    return len(rows)


def export(
    store: Store,
    fmt: str,
    out: str | None = None,
    *,
    reports: bool = False,
    stderr: TextIO | None = None,
    **filters: Any,
) -> int:
    """Write the selected events in ``fmt`` to ``out`` (a path, or stdout when ``None``/"-").

    Returns the number of events written.
    """
    err = stderr if stderr is not None else sys.stderr
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if not out or out == "-":
            raise StoreError("parquet export needs -o FILE")
        return write_parquet(acled_rows(store, reports=reports, **filters), out)
    buf = io.StringIO()
    if fmt in ("acled-csv", "hxl"):
        n = write_csv(acled_rows(store, reports=reports, **filters), buf, hxl=fmt == "hxl")
    elif fmt == "geojson":
        fc, skipped = geojson(event_records(store, reports=reports, **filters))
        n = len(fc["features"])
        json.dump(fc, buf, ensure_ascii=False)
        buf.write("\n")
        if skipped:
            print(
                f"marsad: {skipped} event(s) without coordinates left out of the GeoJSON", file=err
            )
    else:
        recs = event_records(store, reports=reports, **filters)
        for rec in recs:
            buf.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        n = len(recs)
    if not out or out == "-":
        sys.stdout.write(buf.getvalue())
    else:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
    return n
