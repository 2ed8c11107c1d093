"""The HTTP server: the standard library's ``ThreadingHTTPServer`` in front of :class:`MarsadApp`.

>>> server = make_server(app, "127.0.0.1", 0)      # doctest: +SKIP
>>> server.url                                     # doctest: +SKIP
'http://127.0.0.1:41873/'
>>> server.serve_forever()                         # doctest: +SKIP
"""

from __future__ import annotations

import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from marsad.api.app import MarsadApp
from marsad.api.messages import ApiError, Request, Response, error_response

log = logging.getLogger("marsad.api")

#: An oversized body up to this many times the limit is read and dropped, so that the
#: client gets its 413 answer instead of a reset connection; beyond it the connection
#: is closed without reading.
_DRAIN_FACTOR = 4
_CHUNK = 1 << 16


class MarsadHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server holding the application its handlers call."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: MarsadApp) -> None:
        self.app = app
        super().__init__(address, MarsadRequestHandler)

    @property
    def url(self) -> str:
        """``http://HOST:PORT/`` of the listening socket (the real port when 0 was asked)."""
        host, port = self.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"


class MarsadRequestHandler(BaseHTTPRequestHandler):
    """Reads the request (with the body-size limit) and writes the application's answer."""

    server: MarsadHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "marsad"
    #: Seconds a client may stall while sending its request.
    timeout = 60

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        app = self.server.app
        try:
            body = self._read_body(app.max_body)
        except ApiError as exc:
            self._send(error_response(exc))
            return
        # http.server decodes the request line as Latin-1; undo it so that raw UTF-8
        # (curl sends Arabic unescaped) reads the same as percent-encoded UTF-8.
        target = self.path.encode("latin-1", "replace").decode("utf-8", "replace")
        url = urlsplit(target)
        request = Request(
            method=self.command,
            path=unquote(url.path),
            query=parse_qs(url.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        self._send(app.handle(request))

    def _read_body(self, max_body: int) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            raise ApiError(411, "chunked bodies are not supported; send a Content-Length")
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""  # HTTP/1.1: no Content-Length and no Transfer-Encoding, no body
        try:
            length = int(raw)
            if length < 0:
                raise ValueError(raw)
        except ValueError:
            self.close_connection = True
            raise ApiError(400, f"invalid Content-Length {raw!r}") from None
        if length > max_body:
            self.close_connection = True
            if length <= _DRAIN_FACTOR * max_body:
                self._drain(length)
            raise ApiError(
                413,
                f"the body is {length:,} bytes, over the limit of {max_body:,} bytes "
                f"({max_body / 2**20:g} MiB); split the articles over several requests",
            )
        return self.rfile.read(length) if length else b""

    def _drain(self, length: int) -> None:
        left = length
        while left > 0:
            chunk = self.rfile.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in response.headers.items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, unknown method) as JSON too."""
        self.close_connection = True
        text = message or self.responses.get(code, ("error",))[0]
        if explain:
            text = f"{text}: {explain}"
        if code == 501:
            text = f"method {self.command!r} is not supported; use GET or POST"
        self._send(error_response(ApiError(code, text)))

    def log_message(self, format: str, *args: object) -> None:
        """Access log lines go to the ``marsad.api`` logger (shown with ``marsad -v``)."""
        log.info("%s %s", self.address_string(), format % args)


def make_server(app: MarsadApp, host: str = "127.0.0.1", port: int = 8000) -> MarsadHTTPServer:
    """A server bound to ``host:port`` (``port`` 0: any free port), not yet serving."""
    return MarsadHTTPServer((host, port), app)
