"""Boilerplate detection: marks "Ad", "اقرأ أيضا ..." lines without touching the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import ClassVar

import yaml

from marsad.doc import Doc, Span
from marsad.errors import DataError
from marsad.pipeline import Resources, register
from marsad.text.arabic import normalize

_LINE_RE = re.compile(r"[^\n]+")
_SPACE_RE = re.compile(r"\s+")
_EDGE_PUNCT = " \t:：-–—|•·*\"'«»()[]"


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """Whole-line phrases and line prefixes that mark boilerplate."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    prefix_max_chars: int

    def is_boilerplate(self, line: str) -> bool:
        """True when ``line`` (original text) is a boilerplate line."""
        key = _line_key(line)
        if not key:
            return False
        if key in self.exact:
            return True
        return len(line.strip()) <= self.prefix_max_chars and key.startswith(self.prefixes)


def _line_key(line: str) -> str:
    return _SPACE_RE.sub(" ", normalize(line)).strip(_EDGE_PUNCT).casefold()


@lru_cache(maxsize=1)
def load_boilerplate_rules() -> BoilerplateRules:
    """Load the packaged boilerplate rules (``data/boilerplate.yaml``)."""
    raw = resources.files("marsad.data").joinpath("boilerplate.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    try:
        exact = frozenset(_line_key(x) for x in data["exact"])
        prefixes = tuple(_line_key(x) for x in data["prefix"])
        max_chars = int(data.get("prefix_max_chars", 200))
    except (KeyError, TypeError) as exc:
        raise DataError(f"boilerplate.yaml is malformed: {exc}") from exc
    return BoilerplateRules(exact, prefixes, max_chars)


def find_boilerplate(text: str, rules: BoilerplateRules) -> list[tuple[int, int]]:
    """Offsets of the boilerplate lines of ``text``."""
    return [
        (m.start(), m.end()) for m in _LINE_RE.finditer(text) if rules.is_boilerplate(m.group())
    ]


@register("clean/v1")
class Clean:
    """Mark boilerplate lines in ``doc.boilerplate``; later stages skip their tokens."""

    reads: ClassVar[tuple[str, ...]] = ("text",)
    writes: ClassVar[tuple[str, ...]] = ("boilerplate",)

    def __init__(self, resources: Resources) -> None:
        self.rules = load_boilerplate_rules()

    def __call__(self, doc: Doc) -> Doc:
        doc.boilerplate = [
            Span(s, e, "BOILERPLATE") for s, e in find_boilerplate(doc.text, self.rules)
        ]
        return doc
