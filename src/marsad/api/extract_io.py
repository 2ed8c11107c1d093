"""``POST /extract`` bodies: JSON objects, lists of them, or plain text, as input records."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marsad.api.messages import ApiError
from marsad.errors import DocumentError
from marsad.extract import parse_published
from marsad.ingest.readers import MAX_CHARS, Record, record_from_mapping

#: Source name of request records; items without ``doc_id`` get ``<request>:N``.
SOURCE = "<request>"


@dataclass(slots=True)
class ExtractRequest:
    """The records of one request and whether the client sent a list."""

    records: list[Record]
    is_list: bool


def record_from_object(
    obj: Any, position: int, published: str | None, max_chars: int = MAX_CHARS
) -> Record:
    """An input record from one JSON value, exactly as a JSONL line is read.

    A value that cannot be read gives a record with ``error`` set (the extractor then
    answers ``events: []`` with that error), never an exception.
    """
    fallback_id = f"{SOURCE}:{position}"
    if not isinstance(obj, Mapping):
        return Record(
            fallback_id,
            None,
            source=SOURCE,
            line=position,
            error=f"item is a JSON {_json_kind(obj)}, not an object with a 'text' field",
        )
    rec = record_from_mapping(obj, fallback_id, SOURCE, position, published, max_chars, "item")
    if rec.error is None and rec.published:
        try:
            parse_published(rec.published)
        except DocumentError as exc:
            rec.error = str(exc)
    return rec


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def parse_json_body(body: bytes, published: str | None, max_items: int) -> ExtractRequest:
    """Records from a JSON object or a list of objects (400 when the body is not that)."""
    try:
        value = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the body is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ApiError(
            400,
            f"the body is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            'send {"text": "...", "published": "YYYY-MM-DD"} or a list of such objects, '
            "or the article itself as text/plain",
        ) from None
    if isinstance(value, list):
        if not value:
            raise ApiError(400, "the list is empty; send at least one article object")
        if len(value) > max_items:
            raise ApiError(
                413,
                f"{len(value)} articles in one request; send at most {max_items} per request "
                "(or use `marsad extract` for large batches)",
            )
        records = [record_from_object(v, i, published) for i, v in enumerate(value, 1)]
        return ExtractRequest(records, is_list=True)
    if not isinstance(value, Mapping):
        raise ApiError(
            400,
            f"the body is a JSON {_json_kind(value)}; send an object "
            '{"text": "...", "published": "YYYY-MM-DD"} or a list of them',
        )
    rec = record_from_object(value, 1, published)
    if rec.error is not None:
        hint = "" if rec.text is not None else '; send {"text": "..."} with the article\'s text'
        raise ApiError(400, rec.error + hint)
    return ExtractRequest([rec], is_list=False)


def parse_text_body(body: bytes, meta: Mapping[str, str | None]) -> ExtractRequest:
    """One record from a text/plain body; ``meta`` holds doc_id, title, url, outlet, published."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400, f"the body is not UTF-8 text ({exc.reason} at byte {exc.start}); re-encode it"
        ) from None
    obj: dict[str, Any] = {k: v for k, v in meta.items() if v is not None and k != "published"}
    obj["text"] = text
    rec = record_from_object(obj, 1, meta.get("published"))
    if rec.error is not None:
        hint = "" if rec.text is not None else "; send the article's UTF-8 text as the body"
        raise ApiError(400, rec.error + hint)
    return ExtractRequest([rec], is_list=False)
