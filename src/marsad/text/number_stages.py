"""Pipeline stages that add number (``NUM``) and time (``TIME``) mentions.

Both read ``doc.norm`` (filled by ``normalize/v1``) and write spans with offsets into
the original text, mapped back with :meth:`Doc.orig_span` (extended over
the last word's trailing diacritics). Matches inside boilerplate
spans are skipped.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from marsad.doc import Doc, Span
from marsad.pipeline import Resources, register
from marsad.text.arabic import normalize_with_map
from marsad.text.dates import find_time_expressions, resolve
from marsad.text.numbers import find_numbers

__all__ = ["NumberMentions", "TimeMentions"]


def _ensure_norm(doc: Doc) -> None:
    """Normalise on the fly when the stage runs without ``normalize/v1`` before it."""
    if not doc.norm and doc.text:
        doc.norm, doc.norm_to_orig = normalize_with_map(doc.text)


def _orig_span(doc: Doc, ns: int, ne: int) -> tuple[int, int]:
    """Original offsets of a normalised range, with the word's trailing marks included.

    Normalisation drops diacritics and tatweel, so the mapped end would stop before a
    final "ٍ" ("آلافٍ"); the span should cover the whole written word.
    """
    start, end = doc.orig_span(ns, ne)
    text = doc.text
    while end < len(text) and (text[end] == "\u0640" or unicodedata.category(text[end]) == "Mn"):
        end += 1
    return start, end


def _in_boilerplate(doc: Doc, start: int, end: int) -> bool:
    return any(b.start < end and start < b.end for b in doc.boilerplate)


@register("numbers/v1")
class NumberMentions:
    """Add a ``NUM`` span for every number: attrs value, approx, vague, at_least, kind."""

    reads: ClassVar[tuple[str, ...]] = ("norm",)
    writes: ClassVar[tuple[str, ...]] = ("numbers",)

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        _ensure_norm(doc)
        doc.mentions.setdefault("NUM", [])
        for m in find_numbers(doc.norm):
            start, end = _orig_span(doc, m.start, m.end)
            if _in_boilerplate(doc, start, end):
                continue
            doc.add(
                Span(
                    start,
                    end,
                    "NUM",
                    {
                        "value": m.value,
                        "approx": m.approx,
                        "vague": m.vague,
                        "at_least": m.at_least,
                        "kind": m.kind,
                    },
                )
            )
        return doc


@register("times/v1")
class TimeMentions:
    """Add a ``TIME`` span for every time expression, resolved against ``meta.published``.

    attrs: ``kind``, ``date`` (ISO string or None), ``precision`` (1–3), ``text`` (the
    normalised words), and ``weekday``/``day``/``month``/``year``/``offset_days`` when set.
    """

    reads: ClassVar[tuple[str, ...]] = ("norm",)
    writes: ClassVar[tuple[str, ...]] = ("times",)

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        _ensure_norm(doc)
        doc.mentions.setdefault("TIME", [])
        published = doc.meta.published
        for t in find_time_expressions(doc.norm):
            start, end = _orig_span(doc, t.start, t.end)
            if _in_boilerplate(doc, start, end):
                continue
            date, precision = resolve(t, published)
            attrs: dict[str, object] = {
                "kind": t.kind,
                "date": date.isoformat() if date else None,
                "precision": precision,
                "text": t.text,
            }
            for key in ("weekday", "day", "month", "year", "offset_days"):
                value = getattr(t, key)
                if value is not None:
                    attrs[key] = value
            if t.future:
                attrs["future"] = True
            doc.add(Span(start, end, "TIME", attrs))
        return doc
