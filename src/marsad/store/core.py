"""The event store: one interface over SQLite and PostgreSQL/PostGIS."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from marsad.errors import MarsadError, StoreError
from marsad.store import dedup
from marsad.store.filters import Filters
from marsad.store.progress import Progress
from marsad.store.records import content_hash, event_row, query_terms, search_text
from marsad.store.schema import articles, canonical_events, events, extractions, failures, runs
from marsad.store.url import resolve_url
from marsad.text.arabic import name_key

log = logging.getLogger(__name__)

#: Alembic revision the code expects.
HEAD = "0002"


class RecordLike(Protocol):
    """An input article as :func:`marsad.ingest.readers.read_inputs` yields it."""

    doc_id: str
    text: str | None
    title: str
    published: str | None
    outlet: str
    url: str
    source: str
    line: int | None
    error: str | None
    extra: dict[str, Any]


class ExtractorLike(Protocol):
    """What the store needs of :class:`marsad.extract.Extractor`."""

    version: str
    settings: dict[str, Any]

    def extract_record(self, rec: Any) -> dict[str, Any]: ...


@dataclass(slots=True)
class IngestResult:
    """Counts of one ingest or reprocess run."""

    run_id: int
    new: int = 0
    unchanged: int = 0
    changed: int = 0
    failed: int = 0
    events: int = 0
    canonical: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user: "N new, M unchanged, ..."."""
        parts = [f"{self.new} new", f"{self.unchanged} unchanged"]
        if self.changed:
            parts.append(f"{self.changed} changed (new version)")
        parts.append(f"{self.failed} failed")
        parts.append(f"{self.events} events stored")
        parts.append(f"{self.canonical} canonical events")
        return ", ".join(parts)


def _now() -> datetime:
    return datetime.now(UTC)


def _json_safe(value: Any) -> Any:
    """Settings may hold paths or tuples; keep them JSON-serialisable."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _migrate(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("marsad.store").joinpath("migrations"))
    )
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


class Store:
    """Articles, extraction runs, events and canonical events in one database.

    ``url`` is ``sqlite:///PATH`` (default ``marsad.db``, or ``$MARSAD_DB``) or
    ``postgresql://USER@HOST/DB`` (PostGIS). The schema is migrated on open.

    >>> store = Store("sqlite:///marsad.db")            # doctest: +SKIP
    >>> store.ingest(["articles.jsonl"])                # doctest: +SKIP
    >>> store.query(country="SY", min_fatalities=5)     # doctest: +SKIP
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = resolve_url(url)
        try:
            if self.url.startswith("sqlite"):
                db_path = sa.engine.make_url(self.url).database
                if db_path and db_path != ":memory:":
                    Path(db_path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                self.engine: Engine = sa.create_engine(self.url)
                sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            else:
                self.engine = sa.create_engine(self.url, pool_pre_ping=True)
            if migrate:
                with self.engine.begin() as conn:
                    _migrate(conn)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"cannot open {self.url}: {exc.name} is missing; "
                "install the extra: pip install 'marsad[postgres]'"
            ) from exc
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot open or migrate the store at {url or self.url}: {exc}"
            ) from exc
        self.dialect = self.engine.dialect.name

    # -- life cycle -----------------------------------------------------------------

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        with self.engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def counts(self) -> dict[str, int]:
        """Row counts: articles (current), article versions, runs, events (current), ..."""
        with self.engine.connect() as conn:

            def n(stmt: sa.Select[Any]) -> int:
                return int(conn.execute(stmt).scalar() or 0)

            return {
                "articles": n(sa.select(sa.func.count()).where(articles.c.is_current)),
                "article_versions": n(sa.select(sa.func.count()).select_from(articles)),
                "runs": n(sa.select(sa.func.count()).select_from(runs)),
                "events": n(sa.select(sa.func.count()).where(events.c.is_current)),
                "events_all_runs": n(sa.select(sa.func.count()).select_from(events)),
                "canonical_events": n(sa.select(sa.func.count()).select_from(canonical_events)),
                "failures": n(sa.select(sa.func.count()).select_from(failures)),
            }

    # -- ingest -----------------------------------------------------------------------

    def ingest(
        self,
        items: Iterable[str | Path | RecordLike | Mapping[str, Any]] | str | Path,
        extractor: ExtractorLike | None = None,
        *,
        published: str | None = None,
        batch_size: int = 50,
        progress: Progress | None = None,
        link: bool = True,
    ) -> IngestResult:
        """Read, extract and store articles; idempotent by doc_id and content hash.

        ``items``: paths (``.txt``, ``.jsonl``, directories, ``-``, read exactly as
        ``marsad extract`` reads them), :class:`~marsad.ingest.readers.Record` objects,
        or dicts in the IO.md input shape. An article already stored with the same
        text is skipped; one whose text changed is stored as a new version. A commit
        is made every ``batch_size`` articles, so an interrupted ingest can simply be
        run again. ``link`` relinks canonical events afterwards.
        """
        ext = extractor if extractor is not None else _default_extractor()
        records = _as_records(items, published)
        return self.store_extracted(
            ((rec, None) for rec in records),
            pipeline_version=ext.version,
            settings=dict(ext.settings),
            extract=ext.extract_record,
            batch_size=batch_size,
            progress=progress,
            link=link,
        )

    def store_extracted(
        self,
        pairs: Iterable[tuple[RecordLike, Mapping[str, Any] | None]],
        *,
        pipeline_version: str,
        settings: Mapping[str, Any] | None = None,
        extract: Callable[[Any], Mapping[str, Any]] | None = None,
        kind: str = "ingest",
        batch_size: int = 50,
        progress: Progress | None = None,
        link: bool = True,
    ) -> IngestResult:
        """Store articles with their IO.md extraction output.

        Each pair is (record, output); when output is ``None`` it is computed with
        ``extract(record)`` only if the article is new or changed. This is the
        entry point for results produced elsewhere (``marsad extract`` output).
        """
        result = IngestResult(run_id=self._start_run(kind, pipeline_version, settings or {}))
        batch: list[tuple[RecordLike, Mapping[str, Any] | None]] = []
        for pair in pairs:
            batch.append(pair)
            if len(batch) >= batch_size:
                self._ingest_batch(batch, extract, result, progress)
                batch = []
        if batch:
            self._ingest_batch(batch, extract, result, progress)
        if progress is not None:
            progress.close()
        if link:
            result.canonical = self.relink()
        else:
            result.canonical = self.counts()["canonical_events"]
        self._finish_run(result)
        self._optimize()
        return result

    def _optimize(self) -> None:
        """Refresh the query planner's statistics after a large write."""
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA optimize")
            else:
                conn.exec_driver_sql("ANALYZE articles")
                conn.exec_driver_sql("ANALYZE events")
                conn.exec_driver_sql("ANALYZE canonical_events")

    def _start_run(self, kind: str, version: str, settings: Mapping[str, Any]) -> int:
        with self.engine.begin() as conn:
            return _insert(
                conn,
                runs.insert().values(
                    kind=kind,
                    pipeline_version=version,
                    settings=_json_safe(settings),
                    started_at=_now(),
                    n_articles=0,
                    n_events=0,
                    n_failures=0,
                ),
            )

    def _finish_run(self, result: IngestResult) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                runs.update()
                .where(runs.c.id == result.run_id)
                .values(
                    finished_at=_now(),
                    n_articles=result.new + result.changed,
                    n_events=result.events,
                    n_failures=result.failed,
                )
            )

    def _record_failure(
        self,
        conn: Connection,
        result: IngestResult,
        rec: RecordLike,
        stage: str,
        reason: str,
        article_id: int | None = None,
    ) -> None:
        conn.execute(
            failures.insert().values(
                run_id=result.run_id,
                article_id=article_id,
                doc_id=rec.doc_id or "",
                source=rec.source or "",
                line=rec.line,
                stage=stage,
                reason=reason,
                created_at=_now(),
            )
        )
        result.failed += 1
        result.failures.append((rec.doc_id, reason))

    def _ingest_batch(
        self,
        batch: Sequence[tuple[RecordLike, Mapping[str, Any] | None]],
        extract: Callable[[Any], Mapping[str, Any]] | None,
        result: IngestResult,
        progress: Progress | None,
    ) -> None:
        """Store a batch in one transaction; if the database refuses it, one by one.

        An article the database still refuses is recorded as a failure (stage
        "store") and the others are kept.
        """
        outputs: dict[int, Mapping[str, Any]] = {}
        saved = _snapshot(result)
        try:
            with self.engine.begin() as conn:
                for rec, output in batch:
                    self._ingest_one(conn, rec, output, extract, result, outputs)
        except SQLAlchemyError as exc:
            log.warning(
                "a batch was refused (%s); storing its articles one by one", _first_line(exc)
            )
            _restore(result, saved)
            for rec, output in batch:
                one = _snapshot(result)
                try:
                    with self.engine.begin() as conn:
                        self._ingest_one(conn, rec, output, extract, result, outputs)
                except SQLAlchemyError as exc_one:
                    _restore(result, one)
                    with self.engine.begin() as conn:
                        self._record_failure(
                            conn,
                            result,
                            rec,
                            "store",
                            f"database refused it: {_first_line(exc_one)}",
                        )
        if progress is not None:
            progress.update(len(batch))

    def _ingest_one(
        self,
        conn: Connection,
        rec: RecordLike,
        output: Mapping[str, Any] | None,
        extract: Callable[[Any], Mapping[str, Any]] | None,
        result: IngestResult,
        outputs: dict[int, Mapping[str, Any]] | None = None,
    ) -> None:
        if rec.error or rec.text is None:
            self._record_failure(conn, result, rec, "read", rec.error or "no text")
            return
        digest = content_hash(rec.text)
        current = conn.execute(
            sa.select(articles.c.id, articles.c.content_hash, articles.c.version).where(
                articles.c.doc_id == rec.doc_id, articles.c.is_current
            )
        ).first()
        if current is not None and current.content_hash == digest:
            result.unchanged += 1
            return
        version = 1
        if current is not None:
            version = int(current.version) + 1
            conn.execute(
                articles.update().where(articles.c.id == current.id).values(is_current=False)
            )
            self._retire(conn, [int(current.id)])
            result.changed += 1
        else:
            result.new += 1
        article_id = _insert(
            conn,
            articles.insert().values(
                doc_id=rec.doc_id,
                version=version,
                is_current=True,
                content_hash=digest,
                text=rec.text,
                title=rec.title or "",
                published=rec.published,
                outlet=rec.outlet or "",
                url=rec.url or "",
                source=rec.source or "",
                extra=_json_safe(rec.extra or {}),
                search_text=search_text(f"{rec.title or ''}\n{rec.text}"),
                ingested_at=_now(),
            ),
        )
        if self.dialect == "sqlite":
            conn.execute(
                sa.text(
                    "INSERT INTO articles_fts(rowid, search_text) SELECT id, search_text FROM articles WHERE id = :id"
                ),
                {"id": article_id},
            )
        self._extract_and_store(conn, rec, article_id, output, extract, result, outputs)

    def _retire(self, conn: Connection, article_ids: Sequence[int]) -> None:
        """Mark the extractions and events of these article rows as superseded."""
        conn.execute(
            extractions.update()
            .where(extractions.c.article_id.in_(article_ids), extractions.c.is_current)
            .values(is_current=False)
        )
        conn.execute(
            events.update()
            .where(events.c.article_id.in_(article_ids), events.c.is_current)
            .values(is_current=False, canonical_id=None)
        )

    def _extract_and_store(
        self,
        conn: Connection,
        rec: RecordLike,
        article_id: int,
        output: Mapping[str, Any] | None,
        extract: Callable[[Any], Mapping[str, Any]] | None,
        result: IngestResult,
        outputs: dict[int, Mapping[str, Any]] | None = None,
    ) -> None:
        error: str | None = None
        out: Mapping[str, Any] = {}
        if output is not None:
            out = output
        elif outputs is not None and id(rec) in outputs:
            out = outputs[id(rec)]  # extracted before the batch was retried
        elif extract is None:
            error = "no extractor given"
        else:
            try:
                out = extract(rec)
            except Exception as exc:  # one article's failure must not stop the run
                error = f"{type(exc).__name__}: {exc}"
                log.warning("extraction failed for %s: %s", rec.doc_id, error)
            else:
                if outputs is not None:
                    outputs[id(rec)] = out
        if error is None and out.get("error"):
            error = str(out["error"])
        evs = [e for e in out.get("events") or [] if isinstance(e, Mapping)]
        extraction_id = _insert(
            conn,
            extractions.insert().values(
                run_id=result.run_id,
                article_id=article_id,
                is_current=True,
                n_events=len(evs),
                error=error,
                created_at=_now(),
            ),
        )
        if error is not None:
            self._record_failure(conn, result, rec, "extract", error, article_id)
        rows = []
        for i, ev in enumerate(evs):
            row = event_row(ev)
            if not row["event_id"]:
                row["event_id"] = f"{rec.doc_id}/{i}"
            row.update(
                extraction_id=extraction_id,
                run_id=result.run_id,
                article_id=article_id,
                is_current=True,
                canonical_id=None,
            )
            rows.append(row)
        if rows:
            conn.execute(events.insert(), rows)
        result.events += len(rows)

    # -- reprocess ----------------------------------------------------------------------

    def reprocess(
        self,
        extractor: ExtractorLike | None = None,
        *,
        force: bool = False,
        batch_size: int = 50,
        progress: Progress | None = None,
        link: bool = True,
    ) -> IngestResult:
        """Re-extract every current article with ``extractor`` (default pipeline).

        Earlier runs' events stay in the store (``is_current`` false), so runs can be
        compared. Articles whose current extraction already comes from this pipeline
        version are skipped unless ``force``, so an interrupted reprocess continues.
        """
        ext = extractor if extractor is not None else _default_extractor()
        with self.engine.connect() as conn:
            stmt = sa.select(articles).where(articles.c.is_current).order_by(articles.c.id)
            if not force:
                done = (
                    sa.select(extractions.c.article_id)
                    .join(runs, runs.c.id == extractions.c.run_id)
                    .where(extractions.c.is_current, runs.c.pipeline_version == ext.version)
                )
                stmt = stmt.where(articles.c.id.not_in(done))
            todo = [dict(r._mapping) for r in conn.execute(stmt)]
        if progress is not None:
            progress.total = len(todo)
        result = IngestResult(run_id=self._start_run("reprocess", ext.version, dict(ext.settings)))
        for start in range(0, len(todo), batch_size):
            chunk = todo[start : start + batch_size]
            with self.engine.begin() as conn:
                self._retire(conn, [int(a["id"]) for a in chunk])
                for art in chunk:
                    rec = _record_from_article(art)
                    result.changed += 1
                    self._extract_and_store(
                        conn, rec, int(art["id"]), None, ext.extract_record, result
                    )
                    if progress is not None:
                        progress.update()
        if progress is not None:
            progress.close()
        result.canonical = self.relink() if link else self.counts()["canonical_events"]
        self._finish_run(result)
        return result

    # -- deduplication ---------------------------------------------------------------

    def _current_reports(self, conn: Connection) -> list[dict[str, Any]]:
        cols = [c for c in events.c if c.name not in ("record", "evidence")]
        stmt = (
            sa.select(*cols, articles.c.doc_id, articles.c.outlet)
            .join(articles, articles.c.id == events.c.article_id)
            .where(events.c.is_current)
            .order_by(events.c.id)
        )
        return [dict(r._mapping) for r in conn.execute(stmt)]

    def relink(self) -> int:
        """Recompute canonical events from every current report; returns their number.

        Groups that keep (most of) their reports keep their canonical id; new groups
        get new ids; canonical events left without reports are deleted. Running it
        twice changes nothing.
        """
        with self.engine.begin() as conn:
            reports = self._current_reports(conn)
            groups = dedup.cluster(reports)
            new_sets = [{int(reports[i]["id"]) for i in g} for g in groups]
            old: dict[int, set[int]] = defaultdict(set)
            for r in reports:
                if r["canonical_id"] is not None:
                    old[int(r["canonical_id"])].add(int(r["id"]))
            existing = {int(x) for x in conn.execute(sa.select(canonical_events.c.id)).scalars()}
            ids = dedup.assign_ids(old, new_sets)
            now = _now()
            keep: set[int] = set()
            for g, ids_in_group, cid in zip(groups, new_sets, ids, strict=True):
                if cid is not None and old.get(cid) == ids_in_group:
                    keep.add(cid)
                    continue  # same reports, same canonical fields
                values = dedup.merge([reports[i] for i in g])
                values["updated_at"] = now
                if cid is None:
                    cid = _insert(conn, canonical_events.insert().values(**values))
                else:
                    conn.execute(
                        canonical_events.update()
                        .where(canonical_events.c.id == cid)
                        .values(**values)
                    )
                keep.add(cid)
                conn.execute(
                    events.update()
                    .where(events.c.id.in_(sorted(ids_in_group)))
                    .values(canonical_id=cid)
                )
            stale = sorted(existing - keep)
            for start in range(0, len(stale), 500):
                part = stale[start : start + 500]
                conn.execute(
                    events.update().where(events.c.canonical_id.in_(part)).values(canonical_id=None)
                )
                conn.execute(canonical_events.delete().where(canonical_events.c.id.in_(part)))
            return len(groups)

    # -- queries --------------------------------------------------------------------------

    def _filter_clauses(self, table: sa.Table, f: Filters, reports: bool) -> list[Any]:
        c = table.c
        where: list[Any] = []
        if f.date_from:
            where.append(c.date >= f.date_from)
        if f.date_to:
            where.append(c.date <= f.date_to)
        if f.country:
            where.append(c.country == f.country)
        if f.admin1:
            where.append(sa.func.lower(c.admin1) == f.admin1.casefold())
        if f.event_type:
            where.append(sa.func.lower(c.event_type) == f.event_type.casefold())
        if f.sub_event_type:
            where.append(sa.func.lower(c.sub_event_type) == f.sub_event_type.casefold())
        if f.min_fatalities is not None:
            where.append(c.fatalities >= int(f.min_fatalities))
        if f.bbox is not None:
            x0, y0, x1, y1 = f.bbox
            if self.dialect == "postgresql":
                where.append(
                    sa.text(
                        f"{table.name}.geom && ST_MakeEnvelope(:bx0, :by0, :bx1, :by1, 4326)"
                    ).bindparams(bx0=x0, by0=y0, bx1=x1, by1=y1)
                )
            else:
                where.append(c.lon.between(x0, x1))
                where.append(c.lat.between(y0, y1))
        member_conds: list[Any] = []
        if f.actor:
            member_conds.append(self._actor_clause(f.actor))
        if f.text:
            member_conds.append(events.c.article_id.in_(self._text_match(f.text)))
        if member_conds:
            if reports:
                where.extend(member_conds)
            else:
                sub = sa.select(events.c.canonical_id).where(events.c.is_current, *member_conds)
                where.append(c.id.in_(sub))
        return where

    def _actor_clause(self, actor: str) -> Any:
        names = {actor.casefold()}
        canonical = _registry_canonical(actor)
        if canonical:
            names.add(canonical.casefold())
        texts = {actor}
        conds = [
            sa.func.lower(events.c.actor1).in_(names),
            sa.func.lower(events.c.actor2).in_(names),
            events.c.actor1_text.in_(texts),
            events.c.actor2_text.in_(texts),
        ]
        return sa.or_(*conds)

    def _text_match(self, query: str) -> sa.Select[Any]:
        terms = query_terms(query)
        if not terms:
            raise StoreError(f"the search text {query!r} has no words")
        if self.dialect == "sqlite":
            expr = " AND ".join('"' + t.replace('"', "") + '"' for t in terms)
            return (
                sa.select(sa.column("rowid"))
                .select_from(sa.text("articles_fts"))
                .where(sa.text("articles_fts MATCH :fts").bindparams(fts=expr))
            )
        return sa.select(articles.c.id).where(
            sa.text(
                "to_tsvector('simple', articles.search_text) @@ plainto_tsquery('simple', :fts)"
            ).bindparams(fts=" ".join(terms))
        )

    def query(self, *, reports: bool = False, **filters: Any) -> list[dict[str, Any]]:
        """Canonical events (or, with ``reports=True``, every current report) matching filters.

        Filters: see :class:`~marsad.store.filters.Filters` (``date_from``,
        ``date_to``, ``country``, ``admin1``, ``event_type``, ``sub_event_type``,
        ``actor``, ``bbox``, ``min_fatalities``, ``text``, ``limit``). Each canonical
        row carries ``reports``: the event ids, doc ids and outlets of its reports.
        ``run_id`` selects the reports one run extracted, current or superseded by a
        later run, so that pipeline versions can be compared.
        """
        f = Filters.from_kwargs(**filters)
        with self.engine.connect() as conn:
            if reports or f.run_id is not None:
                return self._query_reports(conn, f)
            return self._query_canonical(conn, f)

    def _query_canonical(self, conn: Connection, f: Filters) -> list[dict[str, Any]]:
        cols = [c for c in canonical_events.c]
        stmt = (
            sa.select(*cols)
            .where(*self._filter_clauses(canonical_events, f, False))
            .order_by(canonical_events.c.date, canonical_events.c.id)
        )
        if f.limit:
            stmt = stmt.limit(int(f.limit))
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        by_id = {r["id"]: r for r in rows}
        for r in rows:
            r["reports"] = []
        ids = list(by_id)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            member_stmt = (
                sa.select(
                    events.c.id,
                    events.c.canonical_id,
                    events.c.event_id,
                    events.c.evidence,
                    events.c.article_id,
                    events.c.fatalities,
                    articles.c.doc_id,
                    articles.c.outlet,
                    articles.c.url,
                    articles.c.published,
                )
                .join(articles, articles.c.id == events.c.article_id)
                .where(events.c.canonical_id.in_(part), events.c.is_current)
                .order_by(events.c.id)
            )
            for m in conn.execute(member_stmt):
                by_id[m.canonical_id]["reports"].append(dict(m._mapping))
        return rows

    def _query_reports(self, conn: Connection, f: Filters) -> list[dict[str, Any]]:
        stmt = (
            sa.select(
                *[c for c in events.c if c.name != "record"],
                articles.c.doc_id,
                articles.c.outlet,
                articles.c.url,
                articles.c.published,
                articles.c.ingested_at,
            )
            .join(articles, articles.c.id == events.c.article_id)
            .where(
                events.c.is_current if f.run_id is None else events.c.run_id == f.run_id,
                *self._filter_clauses(events, f, True),
            )
            .order_by(events.c.date, events.c.id)
        )
        if f.limit:
            stmt = stmt.limit(int(f.limit))
        return [dict(r._mapping) for r in conn.execute(stmt)]

    def search_articles(self, text: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Current articles containing every word of ``text`` (Arabic-aware matching)."""
        stmt = (
            sa.select(
                articles.c.id,
                articles.c.doc_id,
                articles.c.title,
                articles.c.outlet,
                articles.c.published,
            )
            .where(articles.c.is_current, articles.c.id.in_(self._text_match(text)))
            .order_by(articles.c.id)
        )
        if limit:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def article_texts(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The stored text of each article row id."""
        ids = sorted(set(article_ids))
        out: dict[int, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                for r in conn.execute(
                    sa.select(articles.c.id, articles.c.text).where(articles.c.id.in_(part))
                ):
                    out[int(r.id)] = r.text
        return out

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Recorded failures (of one run, or all)."""
        stmt = sa.select(failures).order_by(failures.c.id)
        if run_id is not None:
            stmt = stmt.where(failures.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(runs).order_by(runs.c.id))]

    def to_dataframe(self, *, reports: bool = False, **filters: Any) -> Any:
        """The query result as a pandas DataFrame in the ACLED column layout (needs pandas)."""
        try:
            import pandas as pd
        except ModuleNotFoundError as exc:
            raise StoreError("to_dataframe() needs pandas: pip install pandas") from exc
        from marsad.store.export import acled_rows

        rows = acled_rows(self, reports=reports, **filters)
        from marsad.store.export import ACLED_COLUMNS, EXTRA_COLUMNS

        return pd.DataFrame(rows, columns=[*ACLED_COLUMNS, *EXTRA_COLUMNS])


def _snapshot(result: IngestResult) -> IngestResult:
    return replace(result, failures=list(result.failures))


def _restore(result: IngestResult, saved: IngestResult) -> None:
    for f in fields(IngestResult):
        setattr(result, f.name, getattr(saved, f.name))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _insert(conn: Connection, stmt: Any) -> int:
    """Execute an INSERT and return the new row's primary key."""
    key = conn.execute(stmt).inserted_primary_key
    if key is None:
        raise StoreError("the database returned no primary key for a new row")
    return int(key[0])


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _default_extractor() -> ExtractorLike:
    try:
        from marsad.extract import Extractor
    except ImportError as exc:
        raise StoreError(f"the extraction pipeline is not available: {exc}") from exc
    ext: ExtractorLike = Extractor()
    return ext


def _registry() -> Any:
    """The default actor registry, loaded once; ``None`` when it is not available."""
    if "default" in _registry_cache:
        return _registry_cache["default"]
    registry: Any = None
    try:
        from marsad.resolve.actors import ActorRegistry

        registry = ActorRegistry.load_default()
    except (ImportError, OSError, ValueError, MarsadError) as exc:
        log.warning("actor registry unavailable (%s); actor aliases are not resolved", exc)
    _registry_cache["default"] = registry
    return registry


def _registry_entry(name: str) -> Any:
    """The registry actor named ``name`` (canonical name or alias), or ``None``."""
    registry = _registry()
    if registry is None or not name:
        return None
    entry = registry.by_name(name)
    if entry is not None:
        return entry
    found = [a for a in registry.candidates(name_key(name)) if not getattr(a, "generic", False)]
    return found[0] if len({a.name for a in found}) == 1 else None


def _registry_canonical(name: str) -> str | None:
    """The actor registry's canonical name for ``name`` (alias or canonical), if any."""
    entry = _registry_entry(name)
    canonical = getattr(entry, "name", None) if entry is not None else None
    return str(canonical) if canonical else None


def registry_inter(name: str, country: str | None) -> int | None:
    """ACLED inter code of the actor ``name`` in an event in ``country``, if the registry knows it."""
    entry = _registry_entry(name)
    if entry is None:
        return None
    registry = _registry()
    try:
        return int(registry.inter_in(entry, country))
    except (AttributeError, TypeError, ValueError):
        inter = getattr(entry, "inter", None)
        return int(inter) if isinstance(inter, int) else None


_registry_cache: dict[str, Any] = {}


def _as_records(
    items: Iterable[str | Path | RecordLike | Mapping[str, Any]] | str | Path,
    published: str | None,
) -> Iterator[RecordLike]:
    if isinstance(items, str | Path):
        items = [items]
    paths: list[str] = []
    for item in items:
        if isinstance(item, str | Path):
            paths.append(str(item))
            continue
        if paths:
            yield from _read_paths(paths, published)
            paths = []
        if isinstance(item, Mapping):
            yield _record_from_mapping(item)
        else:
            yield item
    if paths:
        yield from _read_paths(paths, published)


def _read_paths(paths: Sequence[str], published: str | None) -> Iterator[RecordLike]:
    from marsad.ingest.readers import read_inputs

    yield from read_inputs(paths, published=published)


def _make_record(**kw: Any) -> RecordLike:
    from marsad.ingest.readers import Record

    rec: RecordLike = Record(**kw)
    return rec


def _record_from_mapping(item: Mapping[str, Any]) -> RecordLike:
    text = item.get("text")
    known = {"doc_id", "text", "title", "published", "outlet", "url"}
    return _make_record(
        doc_id=str(item.get("doc_id") or ""),
        text=text if isinstance(text, str) else None,
        title=str(item.get("title") or ""),
        published=str(item["published"]) if item.get("published") else None,
        outlet=str(item.get("outlet") or ""),
        url=str(item.get("url") or ""),
        source="<python>",
        line=None,
        error=None if isinstance(text, str) else "no text field",
        extra={k: v for k, v in item.items() if k not in known},
    )


def _record_from_article(art: Mapping[str, Any]) -> RecordLike:
    return _make_record(
        doc_id=art["doc_id"],
        text=art["text"],
        title=art["title"],
        published=art["published"],
        outlet=art["outlet"],
        url=art["url"],
        source=art["source"],
        line=None,
        error=None,
        extra=dict(art["extra"] or {}),
    )
