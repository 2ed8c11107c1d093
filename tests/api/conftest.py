"""API fixtures: the real server on 127.0.0.1 (port 0) in a thread, with and without a store."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from marsad.api import MarsadApp, make_server
from marsad.extract import Extractor
from marsad.store import Store

#: How many gold-dev articles the test store holds (Syria, Iraq, Libya, Yemen).
N_ARTICLES = 8


@dataclass
class Reply:
    """An HTTP answer: status, headers (lower-case names), raw body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        assert self.headers["content-type"].startswith(
            ("application/json", "application/geo+json")
        ), self.headers["content-type"]
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class Client:
    """A tiny urllib client bound to one running server."""

    base: str
    app: MarsadApp

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        req = urllib.request.Request(
            self.base + path.lstrip("/"), data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return Reply(res.status, {k.lower(): v for k, v in res.headers.items()}, res.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_json(self, path: str, value: Any) -> Reply:
        data = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return self.request("POST", path, data, {"Content-Type": "application/json"})


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The real pipeline, loaded once (without freezing the test process's gc)."""
    ex = Extractor()
    ex.warm_up(freeze_gc=False)
    return ex


def _serve(app: MarsadApp) -> Iterator[Client]:
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Client(server.url, app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def gold_articles(shared: Path) -> list[dict[str, Any]]:
    """The first gold-dev articles in the IO.md input shape (text, doc_id, published...)."""
    keep = ("doc_id", "text", "title", "published", "outlet", "url")
    out = []
    with (shared / "data/gold-dev/gold.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out.append({k: d[k] for k in keep if k in d})
            if len(out) == N_ARTICLES:
                break
    return out


@pytest.fixture(scope="session")
def store(
    tmp_path_factory: pytest.TempPathFactory,
    extractor: Extractor,
    gold_articles: list[dict[str, Any]],
) -> Iterator[Store]:
    """A SQLite store filled by ingesting real gold-dev articles with the real pipeline."""
    db = tmp_path_factory.mktemp("api-store") / "marsad.db"
    s = Store(f"sqlite:///{db}")
    result = s.ingest(gold_articles, extractor)
    assert result.new == N_ARTICLES and result.failed == 0
    yield s
    s.close()


@pytest.fixture(scope="session")
def client(extractor: Extractor, store: Store) -> Iterator[Client]:
    """The server with the store attached."""
    yield from _serve(MarsadApp(extractor, store))


@pytest.fixture(scope="session")
def bare_client(extractor: Extractor) -> Iterator[Client]:
    """The server without a store."""
    yield from _serve(MarsadApp(extractor, None))
