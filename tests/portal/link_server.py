"""A local HTTP server whose paths answer the ways real servers do, for the link checker's tests."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LinkServer:
    """The server's address and how many times each path was asked (method and path)."""

    def __init__(self, url: str, asked: Counter[str]) -> None:
        self.url = url
        self.asked = asked


def _handler(asked: Counter[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _answer(self) -> None:
            asked[f"{self.command} {self.path}"] += 1
            times = asked[f"GET {self.path}"] + asked[f"HEAD {self.path}"]
            if self.path == "/ok":
                self._send(200)
            elif self.path == "/gone":
                self._send(404)
            elif self.path == "/broken":
                self._send(500)
            elif self.path == "/flaky":  # fails once, then works
                self._send(503 if times == 1 else 200)
            elif self.path == "/slow":
                time.sleep(1.0)
                self._send(200)
            elif self.path == "/no-head":
                self._send(405 if self.command == "HEAD" else 200)
            elif self.path == "/moved":
                self._send(301, location="/ok")
            elif self.path == "/moved-away":
                self._send(302, location="/gone")
            else:
                self._send(404)

        def _send(self, status: int, location: str | None = None) -> None:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(b"ok")

        do_GET = _answer  # noqa: N815 - the names http.server calls
        do_HEAD = _answer  # noqa: N815

    return Handler


@contextmanager
def link_server() -> Iterator[LinkServer]:
    """Serve on a free port until the block ends."""
    asked: Counter[str] = Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(asked))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LinkServer(f"http://127.0.0.1:{server.server_port}", asked)
    finally:
        server.shutdown()
        server.server_close()
