"""entities/v1: unknown places found by the trained NER model become PLACE mentions."""

from __future__ import annotations

from marsad.doc import Doc, DocMeta, Span
from marsad.mentions.entities import EntityMentions
from marsad.pipeline import Pipeline, Resources

BEFORE_NER = ["clean/v1", "normalize/v1", "segment/v1", "places/v1", "actors/v1"]
TEXT = "قتل ثلاثة مدنيين في قصف على حي الروضة وعصيفرة في تعز."


def _doc_with_entities(entities: list[tuple[str, str, float]]) -> Doc:
    doc = Pipeline(BEFORE_NER)(Doc(text=TEXT, meta=DocMeta(doc_id="t")))
    for words, typ, score in entities:
        s = TEXT.index(words)
        doc.add(Span(s, s + len(words), "ENT", {"type": typ, "text": words, "score": score}))
    return doc


def test_unknown_loc_becomes_a_place_and_known_places_keep_their_resolution() -> None:
    stage = EntityMentions(Resources())
    doc = stage(
        _doc_with_entities(
            [
                ("الروضة", "LOC", 0.9),
                ("تعز", "LOC", 0.9),
                ("عصيفرة", "LOC", 0.3),
                ("حي", "ORG", 0.9),
            ]
        )
    )
    places = {TEXT[p.start : p.end]: p for p in doc.spans("PLACE")}
    assert places["الروضة"].attrs["source"] == "ner"
    assert places["الروضة"].attrs["candidates"] == []
    # تعز is in the gazetteer: its mention keeps the candidates places/v1 gave it
    assert places["تعز"].attrs.get("source") != "ner"
    assert places["تعز"].attrs["candidates"]
    # too uncertain, or not a place: no mention
    assert "عصيفرة" not in places
    assert [p.start for p in doc.spans("PLACE")] == sorted(p.start for p in doc.spans("PLACE"))


def test_with_the_trained_model_ner_places_never_overlap_known_mentions() -> None:
    doc = Pipeline([*BEFORE_NER, "ner/v1", "entities/v1"])(Doc(text=TEXT, meta=DocMeta(doc_id="t")))
    assert doc.spans("ENT")  # the packaged model finds names in this sentence
    ner = [p for p in doc.spans("PLACE") if p.attrs.get("source") == "ner"]
    others = [p for p in doc.spans("PLACE") if p not in ner] + doc.spans("ACTOR")
    assert not any(n.overlaps(o) for n in ner for o in others)
    assert all(p.attrs["candidates"] == [] for p in ner)
