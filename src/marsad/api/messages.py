"""Transport-free request and response types of the API, and JSON encoding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(slots=True)
class Request:
    """One HTTP request as the application sees it.

    ``path`` has no query string; ``query`` maps each parameter to all its values in
    order; ``headers`` keys are lower case.
    """

    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        """The media type of the body, lower case, without parameters ("" when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@dataclass(slots=True)
class Response:
    """What the application answers: status, body bytes, content type, extra headers."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """An error answered to the client as ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> str:
    """JSON text with Arabic (and any non-ASCII) kept as is; dates as ISO strings."""
    return json.dumps(value, ensure_ascii=False, default=_default)


def json_response(
    value: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A UTF-8 JSON response."""
    return Response(status, dumps(value).encode("utf-8"), JSON_TYPE, dict(headers or {}))


def error_response(error: ApiError) -> Response:
    """The JSON body ``{"error": ...}`` of an :class:`ApiError`."""
    return json_response({"error": error.message}, error.status, error.headers)
