"""Publishing to a remote site through its API, for the command line and scheduled jobs.

`push()` streams the source file as multipart form data to
`POST /api/v1/datasets/<slug>/releases` with an API key, then follows the publish job
until it ends. The file is sent in blocks, never read whole into memory.

The key goes only to the origin (scheme, host and port) the command was given: over
HTTPS, or plain HTTP to this machine's loopback address alone. A job link or a redirect
naming any other origin is refused before anything is sent there, so a site that was
taken over, or a proxy in between, cannot collect the key by naming its own address.
"""

from __future__ import annotations

import ipaddress
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urljoin, urlsplit

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


@dataclass(frozen=True)
class Origin:
    """The scheme, host and port a key may be sent to."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> Origin:
    """The origin of `url`; raises RemoteError for a URL that cannot carry a key safely."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RemoteError(0, f"not a URL: {url!r}") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        raise RemoteError(0, "the site's URL must start with https:// (or http:// for this machine only)")
    if parts.username or parts.password:
        raise RemoteError(0, "the site's URL must not hold a user name or password; give the key with --key")
    if scheme == "http" and not _is_loopback(host):
        raise RemoteError(
            0,
            f"refusing to send the key over plain HTTP to {host}: use https:// (plain HTTP is for 127.0.0.1 only)",
        )
    return Origin(scheme, host, port or (443 if scheme == "https" else 80))


def _same_origin(url: str, origin: Origin) -> str:
    """`url` if it is at `origin`; raises RemoteError otherwise (before anything is sent)."""
    try:
        theirs = origin_of(url)
    except RemoteError:
        theirs = None
    if theirs != origin:
        raise RemoteError(0, f"the site named another address ({url}); the key is only sent to {origin}")
    return url


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the origin the key belongs to."""

    def __init__(self, origin: Origin) -> None:
        super().__init__()
        self.origin = origin

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        """Refuse a redirect to another origin; a POST's streamed body is never sent again."""
        _same_origin(urljoin(req.full_url, newurl), self.origin)
        if req.get_method() != "GET":
            raise RemoteError(code, f"the site redirected the upload to {newurl}; give that address instead")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _request(request: urllib.request.Request, timeout: float, origin: Origin) -> dict[str, Any]:
    _same_origin(request.full_url, origin)
    opener = urllib.request.build_opener(_SameOriginRedirects(origin))
    try:
        with opener.open(request, timeout=timeout) as response:
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
    origin = origin_of(base_url)
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
    job = _request(request, timeout, origin)
    deadline = time.monotonic() + timeout
    while job["state"] in {"queued", "running"}:
        if on_progress is not None:
            on_progress(job)
        if time.monotonic() > deadline:
            raise RemoteError(0, f"the publish job {job['id']} did not end in time")
        time.sleep(poll_seconds)
        link = _same_origin(urljoin(request.full_url, str(job["links"]["self"])), origin)
        follow = urllib.request.Request(  # noqa: S310 - at the origin checked above
            link, headers={"Authorization": f"Bearer {key}", "Accept": "application/json"}
        )
        job = _request(follow, timeout, origin)
    if on_progress is not None:
        on_progress(job)
    return job
