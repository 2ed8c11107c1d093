"""The API application: routes requests to the extractor and the store, independent of HTTP.

:class:`MarsadApp` turns a :class:`~marsad.api.messages.Request` into a
:class:`~marsad.api.messages.Response`; :mod:`marsad.api.server` puts it behind the
standard library's ``ThreadingHTTPServer``. Every error is answered as JSON
``{"error": "..."}`` saying what to do.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from marsad import __version__
from marsad.api.assets import Asset, load_assets
from marsad.api.extract_io import ExtractRequest, parse_json_body, parse_text_body
from marsad.api.messages import (
    ApiError,
    Request,
    Response,
    dumps,
    error_response,
    json_response,
)
from marsad.api.params import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    EventQuery,
    check_known,
    event_query,
    int_param,
    single,
)
from marsad.errors import DocumentError, StoreError
from marsad.extract import Extractor, parse_published
from marsad.store.export import acled_rows, event_records, geojson, write_csv
from marsad.store.records import row_to_record

if TYPE_CHECKING:
    from marsad.store.core import Store

log = logging.getLogger(__name__)

#: Largest request body accepted (bytes): 20 MB.
MAX_BODY = 20 * 1024 * 1024
#: Most articles in one ``POST /extract`` list.
MAX_ITEMS = 1000
#: Content-Security-Policy of the dashboard: the page may load nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

NO_STORE = (
    "no event store is attached to this server; start it with "
    "`marsad serve --db sqlite:///marsad.db` (or set MARSAD_DB), "
    "after filling the store with `marsad ingest`"
)

Handler = Callable[[Request], Response]


def published_resolver(value: str | None) -> Callable[[], str | None]:
    """The server's date for articles without one: a fixed YYYY-MM-DD, ``today`` or none.

    ``today`` is the current UTC date at each request (for a live news feed).
    Raises :class:`DocumentError` for anything else.
    """
    if value is None or value == "":
        return lambda: None
    if value.strip().lower() == "today":
        return lambda: dt.datetime.now(dt.UTC).date().isoformat()
    fixed = parse_published(value)
    text = fixed.isoformat() if fixed else None
    return lambda: text


class MarsadApp:
    """The Marsad API and dashboard over one loaded :class:`Extractor` and an optional store.

    >>> app = MarsadApp(Extractor(), store=None)               # doctest: +SKIP
    >>> app.handle(Request("GET", "/health")).status            # doctest: +SKIP
    200

    ``published_default`` is a YYYY-MM-DD date or ``today`` used for articles that
    give none (``?published=`` on a request overrides it). The extractor is used
    under a lock: one article at a time, whatever the number of server threads.
    """

    def __init__(
        self,
        extractor: Extractor,
        store: Store | None = None,
        *,
        published_default: str | None = None,
        max_body: int = MAX_BODY,
        max_items: int = MAX_ITEMS,
    ) -> None:
        self.extractor = extractor
        self.store = store
        self.max_body = max_body
        self.max_items = max_items
        self._published_default = published_resolver(published_default)
        self._extract_lock = threading.Lock()
        self.assets: dict[str, Asset] = load_assets()
        self.routes: dict[str, dict[str, Handler]] = {
            "/health": {"GET": self.health},
            "/extract": {"POST": self.extract},
            "/events": {"GET": self.events},
            "/events.geojson": {"GET": self.events_geojson},
            "/events.csv": {"GET": self.events_csv},
            "/events/summary": {"GET": self.events_summary},
            "/articles/search": {"GET": self.articles_search},
        }
        for path in self.assets:
            self.routes[path] = {"GET": self.static}

    # -- dispatch -------------------------------------------------------------------

    def allowed_methods(self, path: str) -> list[str]:
        """The methods ``path`` answers (HEAD wherever GET is), empty for an unknown path."""
        methods = list(self.routes.get(path, {}))
        if "GET" in methods:
            methods.append("HEAD")
        return methods

    def handle(self, request: Request) -> Response:
        """Answer one request; never raises (unexpected errors become a JSON 500)."""
        try:
            return self._route(request)
        except ApiError as exc:
            return error_response(exc)
        except SQLAlchemyError as exc:
            log.exception("database error on %s %s", request.method, request.path)
            return error_response(
                ApiError(500, f"database error: {_first_line(exc)}; see the server log")
            )
        except Exception as exc:  # a bug must answer JSON, not drop the connection
            log.exception("internal error on %s %s", request.method, request.path)
            return error_response(
                ApiError(
                    500,
                    f"internal error ({type(exc).__name__}: {_first_line(exc)}); "
                    "see the server log and please report it",
                )
            )

    def _route(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        methods = self.routes.get(path)
        if methods is None:
            raise ApiError(
                404,
                f"no such path {request.path!r}; try / (dashboard), /health, POST /extract, "
                "/events, /events.geojson, /events.csv, /events/summary, /articles/search",
            )
        method = "GET" if request.method == "HEAD" else request.method
        handler = methods.get(method)
        if handler is None:
            allowed = ", ".join(self.allowed_methods(path))
            raise ApiError(
                405,
                f"{request.method} is not allowed on {path}; use {allowed}",
                {"Allow": allowed},
            )
        request.path = path
        return handler(request)

    # -- endpoints ------------------------------------------------------------------

    def static(self, request: Request) -> Response:
        """``GET /`` (the dashboard) and its files under ``/static/``."""
        check_known(request.query, ())
        asset = self.assets[request.path]
        headers = {"Cache-Control": "no-cache"}
        if asset.content_type.startswith("text/html"):
            headers["Content-Security-Policy"] = CSP
        return Response(200, asset.body, asset.content_type, headers)

    def health(self, request: Request) -> Response:
        """``GET /health``: version, pipeline stages, the store and its counts."""
        check_known(request.query, ())
        body: dict[str, Any] = {
            "status": "ok",
            "marsad_version": __version__,
            "pipeline": list(self.extractor.pipeline.names),
            "pipeline_version": self.extractor.version,
            "store": {"attached": self.store is not None},
        }
        status = 200
        if self.store is not None:
            store_info: dict[str, Any] = {
                "attached": True,
                "url": _safe_url(self.store.url),
                "dialect": self.store.dialect,
            }
            try:
                store_info["counts"] = self.store.counts()
            except (SQLAlchemyError, StoreError) as exc:
                log.warning("health: store unavailable: %s", exc)
                store_info["error"] = f"the store cannot be read: {_first_line(exc)}"
                body["status"] = "degraded"
                status = 503
            body["store"] = store_info
        return json_response(body, status)

    def extract(self, request: Request) -> Response:
        """``POST /extract``: IO.md output records for a JSON object, a list, or plain text."""
        check_known(request.query, ("published", "doc_id", "title", "url", "outlet", "format"))
        fmt = single(request.query, "format") or "json"
        if fmt not in ("json", "jsonl"):
            raise ApiError(400, f"format must be json or jsonl, got {fmt!r}")
        published = single(request.query, "published")
        if published is not None:
            try:
                parse_published(published)
            except DocumentError as exc:
                raise ApiError(400, str(exc)) from None
        else:
            published = self._published_default()
        parsed = self._parse_extract_body(request, published)
        outputs = self._extract(parsed)
        if fmt == "jsonl":
            text = "".join(dumps(o) + "\n" for o in outputs)
            return Response(200, text.encode("utf-8"), "application/x-ndjson; charset=utf-8")
        if parsed.is_list:
            return json_response(outputs)
        out = outputs[0]
        if "error" not in out:
            return json_response(out)
        # A bug in a stage is the server's fault; otherwise the article was readable
        # but cannot be extracted (e.g. not Arabic).
        internal = str(out["error"]).startswith("internal error")
        return json_response(out, 500 if internal else 422)

    def _parse_extract_body(self, request: Request, published: str | None) -> ExtractRequest:
        ctype = request.content_type
        if not request.body.strip():
            raise ApiError(
                400,
                'the body is empty; send {"text": "...", "published": "YYYY-MM-DD"} as '
                "application/json, a list of such objects, or the article as text/plain",
            )
        if ctype == "text/plain":
            meta = {k: single(request.query, k) for k in ("doc_id", "title", "url", "outlet")}
            meta["published"] = published
            return parse_text_body(request.body, meta)
        if ctype in ("", "application/json") or ctype.endswith("+json") or _json_form(request):
            for key in ("doc_id", "title", "url", "outlet"):
                if key in request.query:
                    raise ApiError(
                        400, f"'{key}' goes in the JSON body, not the query string, for JSON bodies"
                    )
            return parse_json_body(request.body, published, self.max_items)
        raise ApiError(
            415,
            f"unsupported Content-Type {ctype!r}; send application/json "
            '({"text": ...} or a list) or text/plain (one article)',
        )

    def _extract(self, parsed: ExtractRequest) -> list[dict[str, Any]]:
        outputs = []
        for rec in parsed.records:
            with self._extract_lock:
                outputs.append(self.extractor.extract_record(rec))
        return outputs

    def _require_store(self) -> Store:
        if self.store is None:
            raise ApiError(503, NO_STORE)
        return self.store

    def events(self, request: Request) -> Response:
        """``GET /events``: a page of events matching the filters, with evidence text."""
        store = self._require_store()
        eq = event_query(request.query, DEFAULT_LIMIT)
        rows = self._query(store, eq, extra=1)
        has_more = eq.limit is not None and len(rows) > eq.offset + eq.limit
        page = eq.page(rows)
        texts = store.article_texts(_article_ids(page, eq.reports))
        records = [
            _report_record(r, texts) if eq.reports else _canonical_record(r, texts) for r in page
        ]
        return json_response(
            {
                "events": records,
                "count": len(records),
                "offset": eq.offset,
                "limit": eq.limit,
                "has_more": has_more,
                "kind": "reports" if eq.reports else "canonical",
            }
        )

    def events_geojson(self, request: Request) -> Response:
        """``GET /events.geojson``: the selected events as RFC 7946 points (as `marsad export`)."""
        store = self._require_store()
        eq = event_query(request.query, None)
        try:
            records = eq.page(event_records(store, reports=eq.reports, **eq.store_kwargs()))
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None
        fc, skipped = geojson(records)
        return Response(
            200,
            dumps(fc).encode("utf-8"),
            "application/geo+json; charset=utf-8",
            {"X-Marsad-Without-Coordinates": str(skipped)},
        )

    def events_csv(self, request: Request) -> Response:
        """``GET /events.csv``: the selected events in ACLED's CSV layout (as `marsad export`)."""
        store = self._require_store()
        eq = event_query(request.query, None)
        try:
            rows = eq.page(acled_rows(store, reports=eq.reports, **eq.store_kwargs()))
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None
        buf = io.StringIO()
        write_csv(rows, buf)
        name = "marsad-reports.csv" if eq.reports else "marsad-events.csv"
        return Response(
            200,
            buf.getvalue().encode("utf-8"),
            "text/csv; charset=utf-8",
            {"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def events_summary(self, request: Request) -> Response:
        """``GET /events/summary``: counts of all selected events by type, sub-type, country."""
        store = self._require_store()
        eq = event_query(request.query, None, paging=False)
        rows = self._query(store, eq)
        dates = sorted(str(r["date"]) for r in rows if r.get("date"))
        return json_response(
            {
                "total": len(rows),
                "by_event_type": _counts(rows, "event_type"),
                "by_sub_event_type": _counts(rows, "sub_event_type"),
                "by_country": _counts(rows, "country"),
                "fatalities": sum(int(r.get("fatalities") or 0) for r in rows),
                "with_coordinates": sum(
                    1 for r in rows if r.get("lat") is not None and r.get("lon") is not None
                ),
                "date_min": dates[0] if dates else None,
                "date_max": dates[-1] if dates else None,
                "kind": "reports" if eq.reports else "canonical",
            }
        )

    def articles_search(self, request: Request) -> Response:
        """``GET /articles/search?q=``: stored articles containing every word of ``q``."""
        store = self._require_store()
        check_known(request.query, ("q", "limit"))
        q = single(request.query, "q")
        if q is None:
            raise ApiError(400, "give the words to search for: /articles/search?q=...")
        limit = int_param(request.query, "limit", 50, 1, MAX_LIMIT)
        try:
            found = store.search_articles(q, limit=limit)
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None
        return json_response({"articles": found, "count": len(found), "q": q, "limit": limit})

    def _query(self, store: Store, eq: EventQuery, extra: int = 0) -> list[dict[str, Any]]:
        try:
            return store.query(reports=eq.reports, **eq.store_kwargs(extra))
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None


# -- records ------------------------------------------------------------------------


def _article_ids(rows: Sequence[Mapping[str, Any]], reports: bool) -> set[int]:
    if reports:
        return {int(r["article_id"]) for r in rows}
    return {int(m["article_id"]) for r in rows for m in r.get("reports") or []}


def _evidence(spans: Any, text: str | None) -> list[dict[str, Any]]:
    """Evidence offsets with the words they cover in the stored article."""
    out: list[dict[str, Any]] = []
    for span in spans or []:
        try:
            start, end = int(span["start"]), int(span["end"])
        except (KeyError, TypeError, ValueError):
            continue
        quote = text[start:end] if text is not None and 0 <= start < end <= len(text) else None
        out.append({"start": start, "end": end, "text": quote})
    return out


def _canonical_record(row: Mapping[str, Any], texts: Mapping[int, str]) -> dict[str, Any]:
    """A canonical event: IO.md fields, its sources and every report with its evidence."""
    return {
        "canonical_id": row["id"],
        **row_to_record(row),
        "outlets": row.get("outlets") or [],
        "n_reports": row.get("n_reports"),
        "disagreement": row.get("disagreement") or {},
        "reports": [
            {
                "event_id": m["event_id"],
                "doc_id": m["doc_id"],
                "outlet": m.get("outlet"),
                "url": m.get("url"),
                "published": m.get("published"),
                "fatalities": m.get("fatalities"),
                "evidence": _evidence(m.get("evidence"), texts.get(int(m["article_id"]))),
            }
            for m in row.get("reports") or []
        ],
        "updated_at": row.get("updated_at"),
    }


def _report_record(row: Mapping[str, Any], texts: Mapping[int, str]) -> dict[str, Any]:
    """One extracted report: IO.md fields, its article and its evidence."""
    return {
        "event_id": row["event_id"],
        "doc_id": row["doc_id"],
        "outlet": row.get("outlet"),
        "url": row.get("url"),
        "published": row.get("published"),
        "canonical_id": row.get("canonical_id"),
        **row_to_record(row),
        "evidence": _evidence(row.get("evidence"), texts.get(int(row["article_id"]))),
    }


def _counts(rows: Sequence[Mapping[str, Any]], key: str) -> dict[str, int]:
    counter = Counter(str(r.get(key) or "unknown") for r in rows)
    return dict(counter.most_common())


def _json_form(request: Request) -> bool:
    """A JSON body sent as a form (what ``curl -d '{...}'`` does without ``-H``)."""
    return request.content_type == "application/x-www-form-urlencoded" and request.body.lstrip()[
        :1
    ] in (b"{", b"[")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except (ValueError, SQLAlchemyError):
        return url.split("://", 1)[0] + "://…"


__all__ = ["CSP", "MAX_BODY", "MAX_ITEMS", "MarsadApp", "published_resolver"]
