"""The document object that flows through the pipeline.

The original text (``Doc.text``) is never modified. Every annotation is a span of
character offsets into it (Python string indices, end exclusive). Stages add
annotations; they never rewrite what an earlier stage wrote unless they declare it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Span:
    """A labelled stretch of the original text with free-form attributes."""

    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def text_of(self, doc: Doc) -> str:
        """The words of the original text this span covers."""
        return doc.text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class Token:
    """A whitespace/punctuation token of the original text.

    ``norm`` is the normalised surface form; ``stem`` is ``norm`` with proclitics
    (و ف ب ل ك and the article ال) removed; ``prefix`` is what was removed, as a
    normalised string. ``start``/``end`` are offsets into the original text.
    """

    start: int
    end: int
    norm: str
    stem: str
    prefix: str = ""
    sent: int = 0
    is_punct: bool = False


@dataclass(slots=True)
class DocMeta:
    """Article metadata as given by the input (all optional but ``doc_id``)."""

    doc_id: str
    title: str = ""
    published: dt.date | None = None
    outlet: str = ""
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Doc:
    """One article: untouched text, metadata and the annotations of every stage."""

    text: str
    meta: DocMeta
    #: Spans of the original text that cleaning found to be boilerplate ("Ad", "اقرأ أيضا").
    boilerplate: list[Span] = field(default_factory=list)
    #: Normalised copy of ``text`` and, for each of its characters, the index in ``text``
    #: it came from (plus one trailing entry equal to ``len(text)``).
    norm: str = ""
    norm_to_orig: list[int] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    #: Mentions by label: "NUM", "TIME", "ACTOR", "PLACE", "SOURCE", "TRIGGER", "ENT", ...
    mentions: dict[str, list[Span]] = field(default_factory=dict)
    #: Event records (plain dicts in the IO.md output shape, plus private ``_`` keys).
    events: list[dict[str, Any]] = field(default_factory=list)
    #: Non-fatal notes from stages (for debugging and evaluation reports).
    notes: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def add(self, span: Span) -> Span:
        """Add a mention span under its label and return it."""
        self.mentions.setdefault(span.label, []).append(span)
        return span

    def spans(self, label: str) -> list[Span]:
        return self.mentions.get(label, [])

    def orig_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Map a [start, end) range of ``norm`` back to offsets in ``text``."""
        m = self.norm_to_orig
        if not m:
            return norm_start, norm_end
        start = m[norm_start]
        end = m[norm_end - 1] + 1 if norm_end > norm_start else start
        return start, end

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (binary search)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return mid
        return max(0, min(lo, len(self.sentences) - 1))
