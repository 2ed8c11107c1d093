#!/usr/bin/env python3
"""Benchmark the gazetteer: load time and look-ups per second on one core.

A "look-up" is what the recogniser does for one token: the clitic variants of the
token (:func:`marsad.text.arabic.match_keys`) looked up with
:meth:`Gazetteer.candidates` and :meth:`Gazetteer.is_prefix`. Tokens come from real
article text (the news corpora in ``shared/data/corpora`` when present, else the
place test set). Also timed: full ``places/v1`` recognition plus resolution per article.

Bars: load < 1 s; >= 20,000 look-ups/s.

Usage: ``python scripts/bench_gazetteer.py [--tokens N] [--articles N]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

import marsad.mentions.places  # noqa: F401  (registers places/v1)
from marsad.doc import Doc, DocMeta
from marsad.pipeline import Pipeline, Resources
from marsad.resolve.gazetteer import Gazetteer
from marsad.resolve.places import PlaceResolver
from marsad.text.arabic import match_keys, normalize

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "data" / "corpora"
EVAL = REPO / "tests" / "resolve" / "data" / "places_eval.jsonl"
_WORD_RE = re.compile(r"[^\W\d_]+")


def texts(limit: int) -> list[str]:
    """Article texts for the benchmark."""
    out: list[str] = []
    for fn in sorted(CORPORA.glob("*.jsonl.gz")) if CORPORA.is_dir() else []:
        with gzip.open(fn, "rt", encoding="utf-8") as fh:
            for line in fh:
                out.append(json.loads(line)["text"])
                if len(out) >= limit:
                    return out
    if not out:
        with EVAL.open(encoding="utf-8") as fh:
            out = [json.loads(line)["text"] for line in fh][:limit]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=200_000, help="tokens to look up")
    ap.add_argument("--articles", type=int, default=300, help="articles to recognise")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    gaz = Gazetteer.from_files([])
    load_s = time.perf_counter() - t0

    docs = texts(max(args.articles, 2000))
    words: list[str] = []
    for t in docs:
        words.extend(_WORD_RE.findall(normalize(t)))
        if len(words) >= args.tokens:
            break
    words = words[: args.tokens]
    t0 = time.perf_counter()
    hits = 0
    for w in words:
        for k in match_keys(w):
            if gaz.candidates(k):
                hits += 1
            gaz.is_prefix(k)
    lookup_s = time.perf_counter() - t0
    rate = len(words) / lookup_s

    pipe = Pipeline(["normalize/v1", "segment/v1", "places/v1"], Resources(gazetteer=gaz))
    resolver = PlaceResolver(gaz)
    arts = docs[: args.articles]
    t0 = time.perf_counter()
    n_places = 0
    resolve_s = 0.0
    for i, t in enumerate(arts):
        doc = pipe(Doc(text=t, meta=DocMeta(doc_id=str(i))))
        r0 = time.perf_counter()
        ctx = resolver.article_context(doc)
        for span in doc.spans("PLACE"):
            resolver.resolve(doc, span, ctx)
            n_places += 1
        resolve_s += time.perf_counter() - r0
    art_s = time.perf_counter() - t0

    print(f"gazetteer: {len(gaz)} places, loaded in {load_s:.2f} s (bar < 1 s)")
    print(
        f"look-ups: {len(words)} tokens in {lookup_s:.2f} s = {rate:,.0f}/s "
        f"(bar >= 20,000/s), {hits} keys with candidates"
    )
    print(
        f"articles: {len(arts)} recognised+resolved in {art_s:.2f} s "
        f"({len(arts) / art_s:.1f}/s, {n_places} place mentions)"
    )
    print(
        f"resolution: {n_places} mentions resolved (with article context) in {resolve_s:.2f} s"
        f" = {n_places / resolve_s:,.0f}/s"
    )
    ok = load_s < 1.0 and rate >= 20_000
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
