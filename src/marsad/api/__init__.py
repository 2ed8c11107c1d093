"""Marsad's REST API and offline web dashboard (standard library HTTP server only).

``marsad serve`` runs it; from Python:

>>> from marsad.api import MarsadApp, make_server
>>> from marsad.extract import Extractor
>>> extractor = Extractor(); extractor.warm_up()          # doctest: +SKIP
>>> server = make_server(MarsadApp(extractor), "127.0.0.1", 8000)   # doctest: +SKIP
>>> server.serve_forever()                                  # doctest: +SKIP

Endpoints and the dashboard are described in ``docs/api.md``.
"""

from __future__ import annotations

from marsad.api.app import MAX_BODY, MarsadApp
from marsad.api.messages import ApiError, Request, Response
from marsad.api.server import MarsadHTTPServer, make_server

__all__ = [
    "MAX_BODY",
    "ApiError",
    "MarsadApp",
    "MarsadHTTPServer",
    "Request",
    "Response",
    "make_server",
]
