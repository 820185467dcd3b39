"""A local HTTP server for feed tests: routes map a path to a handler that writes the response."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Server:
    base: str
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes, *, content_type: str = "application/rss+xml; charset=utf-8",
              status: int = 200, headers: dict[str, str] | None = None) -> str:
        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(status)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                request.send_header(key, value)
            request.end_headers()
            request.wfile.write(body)
        self.routes[path] = handler
        return self.url(path)

    def slow(self, path: str, delay: float) -> str:
        def handler(request: BaseHTTPRequestHandler) -> None:
            time.sleep(delay)
            try:
                request.send_response(200)
                request.end_headers()
            except OSError:
                pass  # the client gave up, as it should
        self.routes[path] = handler
        return self.url(path)


def _handler_class(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404)
                return
            route(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
            pass
    return Handler


@pytest.fixture
def http_server() -> Iterator[Server]:
    server = Server(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(server))
    httpd.daemon_threads = True
    server.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()
