"""entities/v1: unknown places found by the trained NER model become PLACE mentions."""

from __future__ import annotations

from marsad.doc import Doc, DocMeta
from marsad.pipeline import Pipeline

STAGES = [
    "clean/v1",
    "normalize/v1",
    "segment/v1",
    "places/v1",
    "actors/v1",
    "ner/v1",
    "entities/v1",
]


def test_unknown_neighbourhood_becomes_a_place_and_known_places_keep_their_resolution() -> None:
    text = "قتل ثلاثة مدنيين في قصف على حي الروضة وعصيفرة في تعز."
    doc = Pipeline(STAGES)(Doc(text=text, meta=DocMeta(doc_id="t")))
    places = {text[p.start : p.end]: p for p in doc.spans("PLACE")}
    assert places["الروضة"].attrs["source"] == "ner"
    assert places["الروضة"].attrs["candidates"] == []
    # تعز is in the gazetteer: its mention comes from places/v1 with its candidates
    assert places["تعز"].attrs.get("source") != "ner"
    assert places["تعز"].attrs["candidates"]
    # no NER place overlaps another place or an actor
    ner = [p for p in doc.spans("PLACE") if p.attrs.get("source") == "ner"]
    others = [p for p in doc.spans("PLACE") if p not in ner] + doc.spans("ACTOR")
    assert not any(n.overlaps(o) for n in ner for o in others)
