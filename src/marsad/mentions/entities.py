"""``entities/v1``: named entities from the trained NER model become mentions.

The gazetteer and the actor registry know most places and sides; the NER model
(``ner/v1``) finds the names they do not know yet: new villages, districts, camps. A
``LOC`` entity that no ``PLACE`` mention covers becomes a ``PLACE`` mention without
candidates, so the place resolver keeps its words and ties it to the area the text
names around it (coordinates are never invented). Entities that the gazetteer or the
registry already resolve keep that resolution: a span that overlaps an existing
``PLACE`` or ``ACTOR`` mention is left alone.
"""

from __future__ import annotations

from typing import ClassVar

from marsad.doc import Doc, Span
from marsad.pipeline import Resources, register
from marsad.text.arabic import name_key

#: Entities scored below this are too uncertain to become mentions.
MIN_SCORE = 0.6


@register("entities/v1")
class EntityMentions:
    """Turn unknown ``LOC`` entities into ``PLACE`` mentions (see the module docstring)."""

    reads: ClassVar[tuple[str, ...]] = ("entities", "places", "actors")
    writes: ClassVar[tuple[str, ...]] = ("places",)

    def __init__(self, resources: Resources) -> None:
        pass

    def __call__(self, doc: Doc) -> Doc:
        known = doc.spans("PLACE") + doc.spans("ACTOR")
        added: list[Span] = []
        for ent in doc.spans("ENT"):
            if ent.attrs.get("type") != "LOC" or float(ent.attrs.get("score", 0)) < MIN_SCORE:
                continue
            if any(ent.overlaps(k) for k in known):
                continue
            text = doc.text[ent.start : ent.end]
            added.append(
                Span(
                    ent.start,
                    ent.end,
                    "PLACE",
                    {
                        "key": name_key(text),
                        "text": text,
                        "candidates": [],
                        "frame": "",
                        "qualifier": "",
                        "direction": "",
                        "phrase": (ent.start, ent.end),
                        "source": "ner",
                    },
                )
            )
        if added:
            doc.mentions["PLACE"] = sorted(doc.spans("PLACE") + added, key=lambda s: s.start)
        return doc
