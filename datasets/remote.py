"""Publishing to a remote site through its API, for the command line and scheduled jobs.

`push()` streams the source file as multipart form data to
`POST /api/v1/datasets/<slug>/releases` with an API key, then follows the publish job
until it ends. The file is sent in blocks, never read whole into memory.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

BLOCK = 1024 * 1024


class RemoteError(Exception):
    """The remote site refused or failed; `status` is the HTTP status (0 when it could not be reached)."""

    def __init__(self, status: int, message: str, body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body or {}


@dataclass(frozen=True)
class Multipart:
    """A multipart/form-data body whose file part is streamed from disk."""

    fields: dict[str, str]
    path: Path
    boundary: str

    def _head(self) -> bytes:
        parts = []
        for name, value in self.fields.items():
            parts.append(
                f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        filename = quote(self.path.name)
        parts.append(
            (
                f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
        )
        return b"".join(parts)

    def _tail(self) -> bytes:
        return f"\r\n--{self.boundary}--\r\n".encode()

    def length(self) -> int:
        """The body's size in bytes."""
        return len(self._head()) + self.path.stat().st_size + len(self._tail())

    def chunks(self) -> Iterator[bytes]:
        """The body, a block at a time."""
        yield self._head()
        with self.path.open("rb") as handle:
            while block := handle.read(BLOCK):
                yield block
        yield self._tail()


def _request(request: urllib.request.Request, timeout: float) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) URL checked by the caller
            return json.load(response)
    except urllib.error.HTTPError as error:
        try:
            body = json.load(error)
        except ValueError:
            body = {}
        raise RemoteError(error.code, body.get("detail") or str(error), body) from None
    except urllib.error.URLError as error:
        raise RemoteError(0, f"cannot reach the site: {error.reason}") from None


def push(
    base_url: str,
    key: str,
    slug: str,
    path: Path,
    fields: dict[str, str] | None = None,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    poll_seconds: float = 1.0,
    timeout: float = 3600,
) -> dict[str, Any]:
    """Upload `path` as the next release of `slug`, wait for the job to end, and return it."""
    if not base_url.startswith(("http://", "https://")):
        raise RemoteError(0, "the site's URL must start with http:// or https://")
    body = Multipart(fields or {}, path, uuid.uuid4().hex)
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        f"{base_url.rstrip('/')}/api/v1/datasets/{quote(slug)}/releases",
        data=body.chunks(),
        method="POST",
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": f"multipart/form-data; boundary={body.boundary}",
            "Content-Length": str(body.length()),
            "Accept": "application/json",
        },
    )
    job = _request(request, timeout)
    deadline = time.monotonic() + timeout
    while job["state"] in {"queued", "running"}:
        if on_progress is not None:
            on_progress(job)
        if time.monotonic() > deadline:
            raise RemoteError(0, f"the publish job {job['id']} did not end in time")
        time.sleep(poll_seconds)
        follow = urllib.request.Request(  # noqa: S310 - the site's own link
            job["links"]["self"], headers={"Authorization": f"Bearer {key}", "Accept": "application/json"}
        )
        job = _request(follow, timeout)
    if on_progress is not None:
        on_progress(job)
    return job
