"""A stand-in for an HTTP session that replays a recorded OpenSearch exchange.

Each exchange in `tests/search/recorded/*.json` lists requests (method, path, JSON body
or NDJSON lines) and the answers to give. The answers follow the OpenSearch REST API's
documented shapes (no server runs here): the test checks what the backend sends and
that it reads what a server answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).parent / "recorded"


class RecordedResponse:
    """The parts of a `requests.Response` the backend uses."""

    def __init__(self, status: int, body: Any) -> None:
        self.status_code = status
        self._body = body

    def json(self) -> Any:
        return self._body

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


def _decoded(data: bytes | None, content_type: str) -> Any:
    if data is None:
        return None
    text = data.decode()
    if content_type == "application/x-ndjson":
        return [json.loads(line) for line in text.splitlines() if line]
    return json.loads(text)


class Replay:
    """Answers each request with the next recorded answer, after checking it is the recorded request."""

    def __init__(self, name: str) -> None:
        self.exchanges = json.loads((RECORDED / name).read_text(encoding="utf-8"))["exchanges"]
        self.position = 0

    def request(self, method: str, url: str, data: bytes | None = None, headers: Any = None, **_: Any) -> Any:
        expected = self.exchanges[self.position]
        self.position += 1
        path = url.split("://", 1)[1].split("/", 1)[1]
        assert (method, "/" + path) == (expected["method"], expected["path"])
        content_type = (headers or {}).get("Content-Type", "application/json")
        assert _decoded(data, content_type) == expected.get("body"), expected["path"]
        return RecordedResponse(expected["status"], expected.get("response"))

    @property
    def finished(self) -> bool:
        return self.position == len(self.exchanges)
