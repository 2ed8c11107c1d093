"""Fixtures of the place-resolution tests: the packaged gazetteer, loaded once, and the
recogniser + resolver run over a text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import marsad.mentions.places  # noqa: F401  (registers places/v1)
from marsad.doc import Doc, DocMeta
from marsad.pipeline import Pipeline, Resources
from marsad.resolve.gazetteer import Gazetteer
from marsad.resolve.places import PlaceResolver, resolve_all

Locate = Callable[[str], list[dict[str, Any]]]


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load_default()


@pytest.fixture(scope="session")
def locate(gaz: Gazetteer) -> Locate:
    """The location records of every place mention of a text, in order."""
    pipe = Pipeline(["normalize/v1", "segment/v1", "places/v1"], Resources(gazetteer=gaz))
    resolver = PlaceResolver(gaz)

    def go(text: str) -> list[dict[str, Any]]:
        return resolve_all(pipe(Doc(text=text, meta=DocMeta(doc_id="t"))), resolver)

    return go


def one_location(locs: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """The first location whose text is or contains ``text``."""
    got = [loc for loc in locs if loc["text"] == text or text in loc["text"]]
    assert got, f"{text!r} not found in {[loc['text'] for loc in locs]}"
    return got[0]
