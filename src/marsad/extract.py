"""Extraction API: records in, IO.md output lines out.

>>> from marsad.extract import Extractor
>>> from marsad.ingest.readers import read_inputs
>>> ex = Extractor()
>>> for rec in read_inputs(["examples/hama-2017-03.txt"], published="2017-03-24"):
...     line = ex.extract_record(rec)
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from marsad import __version__
from marsad.doc import Doc, DocMeta
from marsad.errors import DocumentError
from marsad.ingest.readers import Record
from marsad.pipeline import DEFAULT_PIPELINE, Pipeline, Resources
from marsad.text.arabic import arabic_ratio

log = logging.getLogger(__name__)

#: Below this share of Arabic letters an article is refused as "not Arabic".
MIN_ARABIC_RATIO = 0.3

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_published(value: str | None) -> dt.date | None:
    """Parse ``YYYY-MM-DD`` or an ISO timestamp; ``None`` when absent.

    Raises :class:`DocumentError` for a value that is not a date.
    """
    if not value:
        return None
    m = _DATE_RE.match(value.strip())
    if not m:
        raise DocumentError(f"'published' is not a date: {value!r}; use YYYY-MM-DD")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise DocumentError(f"'published' is not a valid date: {value!r} ({exc})") from exc


def record_to_doc(rec: Record) -> Doc:
    """Build a :class:`Doc` from a readable record, checking that it is Arabic text."""
    if rec.error or rec.text is None:
        raise DocumentError(rec.error or "no text")
    ratio = arabic_ratio(rec.text)
    if ratio < MIN_ARABIC_RATIO:
        raise DocumentError(
            f"not Arabic text: {ratio:.0%} of its letters are Arabic; Marsad reads Arabic articles"
        )
    meta = DocMeta(
        doc_id=rec.doc_id,
        title=rec.title,
        published=parse_published(rec.published),
        outlet=rec.outlet,
        url=rec.url,
        extra=rec.extra,
    )
    return Doc(text=rec.text, meta=meta)


def doc_to_output(doc: Doc) -> dict[str, Any]:
    """The IO.md output line of a processed document (private ``_`` keys dropped)."""
    events = []
    # a pipeline that ends at filter/v1 still carries the candidates it rejected
    for i, ev in enumerate(e for e in doc.events if not e.get("_rejected")):
        out = {k: v for k, v in ev.items() if not k.startswith("_")}
        out["event_id"] = f"{doc.doc_id}/{i}"
        events.append({"event_id": out.pop("event_id"), **out})
    return {"doc_id": doc.doc_id, "events": events}


class Extractor:
    """A pipeline loaded once, applied to records; safe to use from a worker process."""

    def __init__(
        self, pipeline_names: Sequence[str] | None = None, resources: Resources | None = None
    ) -> None:
        self.pipeline = Pipeline(pipeline_names or DEFAULT_PIPELINE, resources)
        self.version = f"marsad {__version__} " + ",".join(self.pipeline.names)
        self.settings: dict[str, Any] = {
            "pipeline": list(self.pipeline.names),
            "min_arabic_ratio": MIN_ARABIC_RATIO,
        }

    def warm_up(self, freeze_gc: bool = True) -> None:
        """Load every lazily loaded resource now, by extracting one short article.

        With ``freeze_gc`` the loaded data (gazetteer, lexicons, models: millions of
        long-lived objects) is moved out of the garbage collector's view and its
        threshold raised, so that collections triggered by each article's small
        allocations stop rescanning it (about a third of the run time otherwise). Call it
        once per process, before a batch; it changes the process-wide ``gc`` settings.
        """
        probe = Record("warm-up", "قتل ثلاثة أشخاص أمس في قصف على مدينة حلب.", published=None)
        self.extract_record(probe)
        if freeze_gc:
            gc.collect()
            gc.freeze()
            gc.set_threshold(100_000, 50, 100)

    def extract_doc(self, doc: Doc) -> Doc:
        """Run the pipeline on one document."""
        return self.pipeline(doc)

    def extract_record(self, rec: Record) -> dict[str, Any]:
        """Return the output line for ``rec``; a bad record gets ``events: []`` and ``error``."""
        try:
            doc = self.extract_doc(record_to_doc(rec))
        except DocumentError as exc:
            log.warning("%s: %s", rec.doc_id, exc)
            return {"doc_id": rec.doc_id, "events": [], "error": str(exc)}
        except Exception as exc:  # a bug on one article must not stop the batch
            log.exception("%s: internal error", rec.doc_id)
            return {
                "doc_id": rec.doc_id,
                "events": [],
                "error": f"internal error ({type(exc).__name__}: {exc}); please report it",
            }
        return doc_to_output(doc)

    def extract_records(self, records: Iterable[Record]) -> Iterator[dict[str, Any]]:
        for rec in records:
            yield self.extract_record(rec)
