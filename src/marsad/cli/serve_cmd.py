"""``marsad serve``: the REST API and the offline dashboard on a local HTTP port."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import Any

from marsad.errors import ConfigError


def add_parser(sub: Any) -> None:
    """Register ``marsad serve``."""
    p = sub.add_parser(
        "serve",
        help="run the REST API and the web dashboard (http://127.0.0.1:8000/)",
        description="Serve POST /extract, the stored events (/events, /events.geojson, "
        "/events.csv, /articles/search) and an offline dashboard at /. See docs/api.md.",
    )
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="event store: sqlite:///PATH, a file path or postgresql://USER@HOST/DB "
        "(default $MARSAD_DB; without either, the store endpoints answer 503)",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 for any free one)")
    p.add_argument(
        "--published-default",
        metavar="YYYY-MM-DD|today",
        default=None,
        help="publication date for articles that give none (today: the current UTC date)",
    )
    p.add_argument(
        "--pipeline", metavar="STAGES", help="comma-separated stage names (default pipeline)"
    )
    p.add_argument(
        "--max-body-mb",
        type=float,
        default=20.0,
        metavar="MB",
        help="largest request body accepted (default 20)",
    )
    p.set_defaults(func=run)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    """Load the pipeline, open the store, serve until interrupted (Ctrl-C)."""
    from marsad.api.app import MarsadApp, published_resolver
    from marsad.api.server import make_server
    from marsad.extract import Extractor

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, got {args.port}")
    published_resolver(args.published_default)  # fail early on a bad date
    names = args.pipeline.split(",") if args.pipeline else None
    extractor = Extractor(names)
    extractor.warm_up()
    store = None
    if args.db or os.environ.get("MARSAD_DB"):
        from marsad.store import Store

        store = Store(args.db)
    app = MarsadApp(
        extractor,
        store,
        published_default=args.published_default,
        max_body=int(args.max_body_mb * 1024 * 1024),
    )
    try:
        server = make_server(app, args.host, args.port)
    except OSError as exc:
        if store is not None:
            store.close()
        raise ConfigError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
            "choose another --port (or stop the program using it)"
        ) from exc
    err = sys.stderr
    print(f"marsad: dashboard and API on {server.url}  (Ctrl-C to stop)", file=err)
    if store is not None:
        counts = store.counts()
        print(
            f"marsad: store {app_store_url(store.url)}: {counts['events']} events, "
            f"{counts['canonical_events']} canonical, {counts['articles']} articles",
            file=err,
        )
    else:
        print("marsad: no store (--db or MARSAD_DB): only /extract and /health work", file=err)
    if not _is_loopback(args.host):
        print(
            f"marsad: warning: listening on {args.host} without authentication; "
            "anyone who can reach this address can use the API",
            file=err,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("marsad: stopped", file=err)
    finally:
        server.server_close()
        if store is not None:
            store.close()
    return 0


def app_store_url(url: str) -> str:
    """The store URL as shown to the user (password hidden)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
