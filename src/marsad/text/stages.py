"""Normalisation and segmentation stages.

``normalize/v1`` builds a normalised copy of the text with a map back to the original;
``segment/v1`` splits paragraphs, sentences and clitic-aware tokens. Every offset they
write is an offset into the original text.
"""

from __future__ import annotations

import re
from typing import ClassVar

from marsad.doc import Doc, Span, Token
from marsad.pipeline import Resources, register
from marsad.text.arabic import normalize_with_map, strip_proclitics

# Words: letters/digits, with internal decimal or thousands separators in numbers.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+|[^\w\s]")
# A sentence ends at . ! ? ; or a line break. A dot between two letters/digits without
# a following space ("أ.ف.ب", "3.5") does not end a sentence.
_SENT_END_RE = re.compile(
    # ... but not the dot of a one-letter abbreviation: "د." (doctor), "م." (engineer)
    r"(?:(?<!\s[\u0621-\u064a])(?<!^[\u0621-\u064a])\.|[!?;])(?=\s|$|[\"'»)\]])|[!?;]|\n"
    # a full stop glued to the next sentence: "والجرحى.وقال" (two letters either side,
    # so that "أ.ف.ب" and "3.5" are not split)
    r"|(?<=[\u0621-\u064a]{2})\.(?=[\u0621-\u064a]{2})"
)
_PARA_RE = re.compile(r"[^\n]+")
_STRIP = " \t\r\n\u00a0\u200f\u200e"


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-blank lines of ``text`` (each line is a paragraph)."""
    out = []
    for m in _PARA_RE.finditer(text):
        s, e = _trim(text, m.start(), m.end())
        if e > s:
            out.append((s, e))
    return out


def split_sentences(norm: str) -> list[tuple[int, int]]:
    """Offsets (into ``norm``) of the sentences of a normalised text."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END_RE.finditer(norm):
        end = m.end()
        s, e = _trim(norm, start, end)
        if e > s and any(ch.isalnum() for ch in norm[s:e]):
            out.append((s, e))
        start = end
    s, e = _trim(norm, start, len(norm))
    if e > s and any(ch.isalnum() for ch in norm[s:e]):
        out.append((s, e))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    return s, e


@register("normalize/v1")
class Normalize:
    """Fill ``doc.norm`` and ``doc.norm_to_orig`` (see :func:`normalize_with_map`)."""

    reads: ClassVar[tuple[str, ...]] = ("text",)
    writes: ClassVar[tuple[str, ...]] = ("norm",)

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        doc.norm, doc.norm_to_orig = normalize_with_map(doc.text)
        return doc


@register("segment/v1")
class Segment:
    """Paragraphs, sentences and tokens; tokens inside boilerplate lines are skipped."""

    reads: ClassVar[tuple[str, ...]] = ("norm",)
    writes: ClassVar[tuple[str, ...]] = ("sentences", "paragraphs", "tokens")

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        norm, m = doc.norm, doc.norm_to_orig
        skip = [(b.start, b.end) for b in doc.boilerplate]
        doc.paragraphs = [
            Span(s, e, "PARA") for s, e in split_paragraphs(doc.text) if not _inside(s, skip)
        ]
        doc.sentences = []
        for ns, ne in split_sentences(norm):
            s, e = doc.orig_span(ns, ne)
            if not _inside(s, skip):
                doc.sentences.append(Span(s, e, "SENT", {"norm": (ns, ne)}))
        tokens: list[Token] = []
        si = 0
        sents = doc.sentences
        for tm in _TOKEN_RE.finditer(norm):
            s, e = m[tm.start()], m[tm.end() - 1] + 1
            if _inside(s, skip):
                continue
            while si < len(sents) - 1 and s >= sents[si].end:
                si += 1
            word = tm.group()
            is_punct = not word[0].isalnum()
            prefix, stem = ("", word) if is_punct else strip_proclitics(word)
            tokens.append(Token(s, e, word, stem, prefix, si, is_punct))
        doc.tokens = tokens
        return doc


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in ranges)
