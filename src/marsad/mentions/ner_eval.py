"""Entity-level scoring of BIO tag sequences (CoNLL ``conlleval`` / seqeval IOB2 default).

An entity is a maximal chunk of tokens of one type. A chunk starts at ``B-X``, or at
``I-X`` when the previous tag is ``O`` or of another type (a stray ``I-`` opens a chunk,
as in conlleval); it continues over following ``I-X`` tags. A predicted entity counts
as correct only when its start, end and type all equal a gold entity's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.errors import InputError


def _split(tag: str) -> tuple[str, str]:
    """("B", "PERS") from "B-PERS"; ("O", "") from "O"."""
    if tag == "O" or not tag:
        return "O", ""
    prefix, sep, typ = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not typ:
        raise InputError(f"not a BIO tag: {tag!r}")
    return prefix, typ


def chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entities of one sentence as ``(start, end, type)`` token ranges, end exclusive."""
    out: list[tuple[int, int, str]] = []
    start = -1
    cur = ""
    for i, tag in enumerate(tags):
        prefix, typ = _split(tag)
        if start >= 0 and (prefix != "I" or typ != cur):
            out.append((start, i, cur))
            start, cur = -1, ""
        if prefix == "B" or (prefix == "I" and start < 0):
            start, cur = i, typ
    if start >= 0:
        out.append((start, len(tags), cur))
    return out


@dataclass
class Scores:
    """Counts of true positives, predicted and gold entities, overall and per type."""

    tp: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    @staticmethod
    def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "support": float(gold)}

    def micro(self) -> dict[str, float]:
        """Micro-averaged precision, recall and F1 over every entity."""
        return self._prf(sum(self.tp.values()), sum(self.pred.values()), sum(self.gold.values()))

    def per_type(self) -> dict[str, dict[str, float]]:
        """Precision, recall and F1 of each entity type."""
        types = sorted(set(self.gold) | set(self.pred))
        return {t: self._prf(self.tp[t], self.pred[t], self.gold[t]) for t in types}


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> Scores:
    """Exact-match entity scores of predicted tag sequences against gold ones."""
    if len(gold) != len(pred):
        raise InputError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    s = Scores()
    for g, p in zip(gold, pred, strict=True):
        if len(g) != len(p):
            raise InputError(f"sentence of {len(g)} gold tags has {len(p)} predicted")
        gc = set(chunks(g))
        pc = set(chunks(p))
        s.gold.update(c[2] for c in gc)
        s.pred.update(c[2] for c in pc)
        s.tp.update(c[2] for c in gc & pc)
    return s
