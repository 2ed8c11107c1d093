"""Benchmark the packaged NER model on one core: load time, tokens/s, test F1, size.

Usage::

    .venv/bin/python scripts/bench_ner.py [--shared /work/shared] [--json out.json]

BLAS threads are pinned to one before numpy is imported, so the speed is that of a
single core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402

from marsad.mentions.ner import NerModel, tag_text  # noqa: E402
from marsad.mentions.ner_eval import score  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of ``token TAG`` lines."""
    out: list[tuple[list[str], list[str]]] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if toks:
                out.append((toks, tags))
            toks, tags = [], []
            continue
        toks.append(parts[0])
        tags.append(parts[-1])
    if toks:
        out.append((toks, tags))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    args = ap.parse_args(argv)

    t = time.perf_counter()
    model = NerModel.load()
    load_s = time.perf_counter() - t

    test = read_conll(args.shared / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt")
    n_tokens = sum(len(toks) for toks, _ in test)
    t = time.perf_counter()
    tagged = model.tag_document([toks for toks, _ in test])
    tag_s = time.perf_counter() - t
    gold = [tags for _, tags in test]
    sc = score(gold, [tg.tags for tg in tagged])
    # The same without the document-level propagation of names.
    sc_plain = score(gold, [tg.tags for tg in model.tag([toks for toks, _ in test])])

    # Plain text, one sentence at a time (the worst case for batching).
    text = "\n".join(" ".join(toks) for toks, _ in test[:200])
    n_text_tokens = sum(len(toks) for toks, _ in test[:200])
    t = time.perf_counter()
    tag_text(model, text)
    text_s = time.perf_counter() - t

    folder = resources.files("marsad") / "data" / "ner"
    size = sum(
        (folder / f).stat().st_size  # type: ignore[attr-defined]
        for f in ("model.npz", "model.json", "gazetteer.tsv")
    )
    out = {
        "load_s": round(load_s, 3),
        "tokens": n_tokens,
        "tokens_per_s_batched": round(n_tokens / tag_s),
        "tokens_per_s_plain_text": round(n_text_tokens / text_s),
        "model_bytes": size,
        "test_micro": {k: round(v, 4) for k, v in sc.micro().items()},
        "test_micro_without_propagation": {k: round(v, 4) for k, v in sc_plain.micro().items()},
        "test_per_type": {
            t: {k: round(v, 4) for k, v in d.items()} for t, d in sc.per_type().items()
        },
    }
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
