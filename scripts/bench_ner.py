"""Benchmark the packaged NER model on one core: load time, tokens/s, test F1, size.

Usage::

    .venv/bin/python scripts/bench_ner.py [--shared /work/shared] [--json out.json]
    .venv/bin/python scripts/bench_ner.py --tune-dev [--write]

BLAS threads are pinned to one before numpy is imported, so the speed is that of a
single core.

``--tune-dev`` chooses the decoding bias (``NerModel.o_bias``, ``NerModel.type_bias``)
on dev only: the last 400 sentences of ANERcorp *train*, as ``scripts/train_ner.py``
holds them out, tagged with ``tag_document`` (coordination split and propagation on, as
shipped). It tries one bias for all types (0 to 2 by 0.25) and a bias per type
(coordinate ascent over the same grid, from 0), checks each by tuning on one half of dev
and scoring the other, and prints the table; ``--write`` stores the per-type bias in the
packaged ``model.json`` (key ``decoding``), for experiments only: the shipped model has
no bias (the dev-chosen one lowered test F1, see docs/ner.md). ANERcorp test is not read.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Mapping, Sequence  # noqa: E402
from importlib import resources  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from marsad.mentions.ner import ENTITY_TYPES, NerModel, tag_text  # noqa: E402
from marsad.mentions.ner_eval import score  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: Sentences at the end of ANERcorp train held out as dev (``train_ner.py --dev-sentences``).
DEV_SENTENCES = 400
#: Bias values tried, for all types at once and for each type.
GRID = tuple(i * 0.25 for i in range(9))


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


class DevTuner:
    """Dev F1 of the decoding biases (each setting tagged once, scored on any subset)."""

    def __init__(self, model: NerModel, dev: list[tuple[list[str], list[str]]]) -> None:
        self.model = model
        self.sents = [toks for toks, _ in dev]
        self.gold = [tags for _, tags in dev]
        self._pred: dict[tuple[float, tuple[tuple[str, float], ...]], list[list[str]]] = {}

    def scores(
        self, idx: Sequence[int], o_bias: float, type_bias: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        key = (o_bias, tuple(sorted((type_bias or {}).items())))
        if key not in self._pred:
            tagged = self.model.tag_document(self.sents, o_bias=o_bias, type_bias=type_bias or {})
            self._pred[key] = [t.tags for t in tagged]
        pred = self._pred[key]
        return score([self.gold[i] for i in idx], [pred[i] for i in idx]).micro()

    def f1(
        self, idx: Sequence[int], o_bias: float, type_bias: Mapping[str, float] | None = None
    ) -> float:
        return self.scores(idx, o_bias, type_bias)["f1"]

    def best_global(self, idx: Sequence[int]) -> float:
        """The bias for all types with the best F1 (ties: the smaller)."""
        return max(GRID, key=lambda b: (self.f1(idx, b), -b))

    def best_per_type(self, idx: Sequence[int], rounds: int = 3) -> dict[str, float]:
        """Coordinate ascent over the per-type biases (ties: no change)."""
        bias = dict.fromkeys(ENTITY_TYPES, 0.0)
        for _ in range(rounds):
            changed = False
            for typ in ENTITY_TYPES:
                best = max(
                    GRID,
                    key=lambda v: (self.f1(idx, 0.0, {**bias, typ: v}), -abs(v - bias[typ])),
                )
                changed |= best != bias[typ]
                bias[typ] = best
            if not changed:
                break
        return bias


def tune_dev(model: NerModel, shared: Path, write: bool) -> dict[str, Any]:
    """Choose the decoding bias on dev (never on test); see the module docstring."""
    train = read_conll(shared / "data" / "anercorp" / "ANERCorp_CamelLab_train.txt")
    tuner = DevTuner(model, train[-DEV_SENTENCES:])
    every = list(range(DEV_SENTENCES))
    halves = every[: DEV_SENTENCES // 2], every[DEV_SENTENCES // 2 :]
    out: dict[str, Any] = {"grid": {}, "halves": []}
    for b in GRID:
        out["grid"][b] = {k: round(v, 4) for k, v in tuner.scores(every, b, {}).items()}
        print(f"o_bias {b:.2f}: dev " + " ".join(f"{k} {v:.4f}" for k, v in out["grid"][b].items()))
    # Tune on one half of dev, score the other: does a bias carry over to unseen text?
    for fit, held in (halves, halves[::-1]):
        g, per = tuner.best_global(fit), tuner.best_per_type(fit)
        row = {
            "none": round(tuner.f1(held, 0.0, {}), 4),
            "global": [g, round(tuner.f1(held, g, {}), 4)],
            "per_type": [per, round(tuner.f1(held, 0.0, per), 4)],
        }
        out["halves"].append(row)
        print("tuned on one half, other half:", json.dumps(row))
    g, per = tuner.best_global(every), tuner.best_per_type(every)
    out["global"] = [g, round(tuner.f1(every, g, {}), 4)]
    out["per_type"] = [per, round(tuner.f1(every, 0.0, per), 4)]
    out["none"] = round(tuner.f1(every, 0.0, {}), 4)
    print("whole dev: none", out["none"], "global", out["global"], "per type", out["per_type"])
    if write:
        path = resources.files("marsad") / "data" / "ner" / "model.json"
        meta = json.loads(path.read_text(encoding="utf-8"))
        meta["decoding"] = {
            "o_bias": 0.0,
            "type_bias": per,
            "chosen_on": f"dev (last {DEV_SENTENCES} sentences of ANERcorp train), "
            "scripts/bench_ner.py --tune-dev",
            "dev_f1": {
                "none": out["none"],
                "global": out["global"][1],
                "chosen": out["per_type"][1],
            },
        }
        Path(str(path)).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        print("wrote", path)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--tune-dev", action="store_true", help="choose the decoding bias on dev")
    ap.add_argument(
        "--write",
        action="store_true",
        help="with --tune-dev: store it in model.json (experiments only)",
    )
    args = ap.parse_args(argv)
    if args.tune_dev:
        # Every setting tried is passed explicitly, so a bias already stored is ignored.
        tuned = tune_dev(NerModel.load(), args.shared, args.write)
        if args.json:
            args.json.write_text(json.dumps(tuned, indent=1), encoding="utf-8")
        return 0

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
    # The same without the decoding bias (with and without propagation).
    sents = [toks for toks, _ in test]
    sc_nobias = score(gold, [tg.tags for tg in model.tag_document(sents, o_bias=0.0, type_bias={})])
    sc_nobias_plain = score(gold, [tg.tags for tg in model.tag(sents, o_bias=0.0, type_bias={})])

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
        "decoding_bias": {"o_bias": model.o_bias, "type_bias": model.type_bias},
        "test_micro_without_bias": {k: round(v, 4) for k, v in sc_nobias.micro().items()},
        "test_micro_without_bias_or_propagation": {
            k: round(v, 4) for k, v in sc_nobias_plain.micro().items()
        },
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
