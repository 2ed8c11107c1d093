"""The learned event filter: a logistic regression over sparse candidate features.

Trained on gold-train by ``scripts/train_event_filter.py`` (numpy only, no extra
dependency); weights live in ``data/event_filter.json`` and load once per process.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as ires
from typing import Any

import numpy as np

from marsad.errors import DataError
from marsad.pipeline import Resources

MODEL_FILE = "event_filter.json"


@dataclass(slots=True)
class LogisticFilter:
    """P(candidate is a reported event) = sigmoid(w · x)."""

    weights: dict[str, float]
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, features: Mapping[str, float]) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def judges(self, sub_event_type: str) -> bool:
        """Whether the model saw enough candidates of this sub-type to judge one.

        Sub-types with too few training candidates (``meta["unjudged"]``, e.g.
        Displacement, which gold-train never codes) are kept as the rules built them:
        the model could only judge them by features learnt from other sub-types.
        """
        return sub_event_type not in self.meta.get("unjudged", [])

    def prob(self, features: Mapping[str, float]) -> float:
        z = self.score(features)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def to_json(self) -> str:
        return json.dumps(
            {"threshold": self.threshold, "meta": self.meta, "weights": self.weights},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> LogisticFilter:
        try:
            d = json.loads(text)
            return cls(
                {str(k): float(v) for k, v in d["weights"].items()},
                float(d["threshold"]),
                dict(d.get("meta", {})),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{MODEL_FILE} is malformed: {exc}") from exc


def fit_logistic(
    rows: Sequence[Mapping[str, float]],
    labels: Sequence[int],
    l2: float = 1.0,
    iters: int = 400,
    lr: float = 0.5,
    min_count: int = 2,
) -> dict[str, float]:
    """Fit L2-regularised logistic regression by full-batch gradient descent.

    Features seen in fewer than ``min_count`` rows are dropped (they would only
    memorise single training sentences). ``bias`` is not regularised.
    """
    counts: dict[str, int] = {}
    for r in rows:
        for k in r:
            counts[k] = counts.get(k, 0) + 1
    names = sorted(k for k, c in counts.items() if c >= min_count or k == "bias")
    col = {k: i for i, k in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, r in enumerate(rows):
        for k, v in r.items():
            j = col.get(k)
            if j is not None:
                x[i, j] = v
    y = np.asarray(labels, dtype=float)
    w = np.zeros(len(names))
    reg = np.full(len(names), l2 / max(1, len(rows)))
    if "bias" in col:
        reg[col["bias"]] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(rows) + reg * w
        w -= lr * grad
    return {k: float(w[col[k]]) for k in names if abs(w[col[k]]) > 1e-6}


@lru_cache(maxsize=1)
def load_default_filter() -> LogisticFilter:
    """The packaged event filter."""
    try:
        text = ires.files("marsad.data").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError as exc:
        raise DataError(
            f"{MODEL_FILE} missing from the package; run scripts/train_event_filter.py"
        ) from exc
    return LogisticFilter.from_json(text)


@Resources.provide("event_filter")
def _provide_event_filter() -> LogisticFilter:
    return load_default_filter()
