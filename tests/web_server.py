"""A scripted HTTP server on 127.0.0.1 for the fetch and ingest tests.

Each path answers from a script: one :class:`Reply`, a list of replies (each
request takes the next one, the last one repeats), or a function of the
request.  Replies can misbehave on purpose: any status, a delay longer than
the client's read timeout, a body streamed without Content-Length.  Every
request is recorded (:attr:`WebServer.hits`) so tests can assert what the
client sent (User-Agent, If-None-Match...).

    with WebServer() as web:
        web.route("/feed", Reply(500), web.file("rss.xml", "application/rss+xml"))
        fetcher.get(web.url("/feed"))
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (longer than the client's read timeout: a timeout).
    delay: float = 0.0
    #: Send the body without Content-Length (HTTP/1.0: it ends when the connection closes).
    no_length: bool = False


@dataclass
class Hit:
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    at: float  # time.monotonic() when it arrived


Route = Callable[[Hit], Reply]


def static(body: bytes, content_type: str, etag: str | None = None, last_modified: str | None = None) -> Route:
    """A resource that answers 304 to a matching If-None-Match / If-Modified-Since."""
    headers = {"Content-Type": content_type}
    if etag:
        headers["ETag"] = etag
    if last_modified:
        headers["Last-Modified"] = last_modified

    def reply(hit: Hit) -> Reply:
        if etag and hit.headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        if last_modified and not etag and hit.headers.get("if-modified-since") == last_modified:
            return Reply(304)
        return Reply(200, body, dict(headers))

    return reply


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def __enter__(self) -> WebServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
                with server._lock:
                    server.hits.append(hit)
                    route = server.routes.get(self.path) or server.routes.get(urlsplit(self.path).path)
                reply = route(hit) if route else Reply(404, b"not found", {"Content-Type": "text/plain"})
                try:
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if not reply.no_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): expected

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    # -- scripting -------------------------------------------------------------

    @property
    def base(self) -> str:
        assert self._server is not None, "use the server as a context manager"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *script: Reply | Route) -> None:
        """Answer ``path`` with the script: each request takes the next step, the last step repeats."""
        steps = list(script)
        count = [0]

        def reply(hit: Hit) -> Reply:
            with self._lock:
                step = steps[min(count[0], len(steps) - 1)]
                count[0] += 1
            return step(hit) if callable(step) else step

        self.routes[path] = reply

    def text(self, name: str) -> str:
        """A fixture file with ``{base}`` replaced by this server's address."""
        return (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", self.base)

    def file(self, name: str, content_type: str, **headers: str) -> Reply:
        return Reply(200, self.text(name).encode("utf-8"), {"Content-Type": content_type, **headers})

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path or urlsplit(h.path).path == path]
