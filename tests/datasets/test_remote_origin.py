"""`flask datasets push` sends its key only to the origin it was given, over HTTPS or loopback HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from datasets.remote import Origin, RemoteError, origin_of, push

KEY = "pk_0123456789ab_secret-part-of-the-key"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://data.example.gov.tw", Origin("https", "data.example.gov.tw", 443)),
        ("HTTPS://Data.Example.gov.tw:8443/base/", Origin("https", "data.example.gov.tw", 8443)),
        ("http://127.0.0.1:8000", Origin("http", "127.0.0.1", 8000)),
        ("http://localhost", Origin("http", "localhost", 80)),
        ("http://[::1]:9000", Origin("http", "::1", 9000)),
    ],
)
def test_https_anywhere_and_plain_http_only_on_loopback(url: str, expected: Origin) -> None:
    assert origin_of(url) == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://data.example.gov.tw", "plain HTTP"),
        ("http://10.0.0.5:8000", "plain HTTP"),
        ("ftp://data.example.gov.tw", "https://"),
        ("data.example.gov.tw", "https://"),
        ("https://user:pw@data.example.gov.tw", "user name"),
        ("https://data.example.gov.tw:99999", "not a URL"),
    ],
)
def test_other_addresses_are_refused_before_anything_is_sent(url: str, words: str) -> None:
    with pytest.raises(RemoteError, match=words):
        origin_of(url)


class Recorder:
    """A loopback server that records what it was sent and answers with `answer(handler)`."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler, Recorder], None]) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.requests.append((self.command, self.path, self.headers.get("Authorization")))
                answer(self, recorder)

            do_GET = do_POST = _any  # noqa: N815 - the names http.server calls

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def reply(handler: BaseHTTPRequestHandler, status: int, body: dict | None = None, **headers: str) -> None:
    data = json.dumps(body or {}).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


@pytest.fixture
def collector() -> Iterator[Recorder]:
    """Another origin (a different port), which must never hear from the client."""
    other = Recorder(lambda handler, _recorder: reply(handler, 200, {"state": "done", "id": 1}))
    yield other
    other.close()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "daily.csv"
    path.write_text("code\n1\n", encoding="utf-8")
    return path


def test_a_job_link_to_another_origin_is_refused(collector: Recorder, source: Path) -> None:
    site = Recorder(
        lambda handler, _r: reply(
            handler,
            202,
            {"id": 7, "state": "queued", "progress": 0, "links": {"self": f"{collector.url}/steal"}},
        )
    )
    try:
        with pytest.raises(RemoteError, match="another address"):
            push(site.url, KEY, "daily", source, poll_seconds=0)
    finally:
        site.close()
    assert collector.requests == []
    assert site.requests[0][2] == f"Bearer {KEY}"


def test_a_redirect_to_another_origin_is_refused(collector: Recorder, source: Path) -> None:
    site = Recorder(
        lambda handler, _r: reply(handler, 307, Location=f"{collector.url}/api/v1/datasets/daily/releases")
    )
    try:
        with pytest.raises(RemoteError, match="another address"):
            push(site.url, KEY, "daily", source, poll_seconds=0)
    finally:
        site.close()
    assert collector.requests == []


def test_a_relative_job_link_is_followed_at_the_same_origin(source: Path) -> None:
    def answer(handler: BaseHTTPRequestHandler, recorder: Recorder) -> None:
        if handler.command == "POST":
            reply(
                handler, 202, {"id": 7, "state": "queued", "progress": 0, "links": {"self": "/api/v1/jobs/7"}}
            )
        else:
            reply(handler, 200, {"id": 7, "state": "done", "progress": 100, "release": 1, "links": {}})

    site = Recorder(answer)
    try:
        job = push(site.url, KEY, "daily", source, poll_seconds=0)
    finally:
        site.close()
    assert job["state"] == "done"
    assert [(method, path) for method, path, _key in site.requests] == [
        ("POST", "/api/v1/datasets/daily/releases"),
        ("GET", "/api/v1/jobs/7"),
    ]


def test_the_command_refuses_plain_http_to_another_machine(source: Path) -> None:
    with pytest.raises(RemoteError, match="plain HTTP"):
        push("http://data.example.gov.tw", KEY, "daily", source)
