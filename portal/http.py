"""HTTP for programs: validators and 304s, gzip, CORS on what is public and read-only.

- `cacheable(response, ...)` gives a response a weak ETag (from its body unless one is
  set), Last-Modified and Cache-Control, then answers 304 when the client already has it.
  Weak validators stay true across gzip, which changes the bytes but not the meaning.
- Responses of compressible types over 1 KB are gzipped when the client accepts it
  (downloads and streams are left alone: they carry byte ranges or are unbounded).
- GET and HEAD on the API, the catalogue exports, feeds and downloads answer CORS
  requests from any origin, without credentials.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime
from urllib.parse import quote

from flask import Flask, Response, request

from portal.text import single_line

COMPRESSIBLE = (
    "application/json",
    "application/problem+json",
    "application/ld+json",
    "application/geo+json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
    "text/",
)
MIN_GZIP_BYTES = 1024
# Paths that programs read: no staff session, CORS for GET, language from Accept-Language too.
PROGRAM_PREFIXES = ("/api/", "/catalog.", "/data.json", "/datasets.atom", "/opendata/", "/open311/")
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Content-Disposition, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header value that carries a file name in any script (RFC 6266 and 8187).

    The name is usually built from stored values (a dataset's title), which may predate the
    rule against control characters: it is cleaned first (`portal.text.single_line`), so that
    a title with a line break still downloads under a name that reads the same.
    """
    name = single_line(filename) or "download"
    fallback = "".join(char if char.isascii() and (char.isalnum() or char in "-_.") else "_" for char in name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(filename: str) -> str:
    """A Content-Disposition header value for a download saved as `filename`."""
    return content_disposition(filename)


def weak_etag(*parts: object) -> str:
    """A weak entity tag (without quotes) for what `parts` describe.

    The parts are digested as a JSON list, so that no part's text can pass for a boundary
    between two (as a separator character inside a part could).
    """
    encoded = json.dumps([str(part) for part in parts], ensure_ascii=False)
    return hashlib.blake2b(encoded.encode(), digest_size=12).hexdigest()


def cacheable(
    response: Response, *, max_age: int, last_modified: datetime | None = None, etag: str | None = None
) -> Response:
    """Add validators and caching headers, and turn the response into a 304 when the client is current."""
    if etag is None and not response.is_streamed:
        etag = hashlib.blake2b(response.get_data(), digest_size=12).hexdigest()
    if etag:
        response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.vary.add("Accept-Language")
    response.make_conditional(request)  # changes the response itself (and returns it, typed as Werkzeug's)
    return response


def is_current(etag: str) -> bool:
    """Whether the client's If-None-Match already names `etag` (to skip building the body)."""
    return request.method in {"GET", "HEAD"} and request.if_none_match.contains_weak(etag)


def not_modified(etag: str, *, max_age: int) -> Response:
    """A 304 for a client that holds `etag`."""
    response = Response(status=304)
    response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.vary.add("Accept-Language")
    return response


def gzip_body(body: bytes) -> bytes:
    """A dynamic answer's body as the site gzips it (level 5, no timestamp, so equal bodies compress equally)."""
    return gzip.compress(body, compresslevel=5, mtime=0)


def _gzip(response: Response) -> Response:
    if (
        response.status_code < 200
        or response.status_code in {204, 206, 304}
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or response.status_code >= 300
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
        or request.method == "HEAD"
    ):
        return response
    body = response.get_data()
    response.vary.add("Accept-Encoding")
    if len(body) < MIN_GZIP_BYTES:
        return response
    response.set_data(gzip_body(body))
    response.headers["Content-Encoding"] = "gzip"
    return response


def _cors(response: Response) -> Response:
    if not is_program_path(request.path) and not _is_download(request.path):
        return response
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = (
            "Accept, Accept-Language, If-None-Match, If-Modified-Since, Range"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def is_program_path(path: str) -> bool:
    """Whether `path` (without the language prefix) is read by programs rather than people."""
    return path.startswith(PROGRAM_PREFIXES)


def _is_download(path: str) -> bool:
    return path.startswith("/datasets/") and "/releases/" in path


def init_app(app: Flask) -> None:
    """Install gzip and CORS on every response."""
    app.after_request(_gzip)
    app.after_request(_cors)
