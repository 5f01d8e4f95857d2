"""Static CSS, JavaScript and SVG compressed with gzip when the browser accepts it.

A proxy in front of the site usually compresses; where none does (`make run`, a small
deployment), the site does it itself, so pages load faster on slow mobile links.
`portal.http` gzips every other answer as it is made; static files are sent straight
from disk (which it leaves alone), so they are compressed here, with the same types and
threshold, each once per version (kept by path and ETag). An answer that already has a
`Content-Encoding`, a range, or a 304 is left as is.
`STATIC_GZIP` turns it off behind a proxy that compresses.
"""

from __future__ import annotations

import gzip
import threading

from flask import Flask, Response, request

from portal.http import COMPRESSIBLE, MIN_GZIP_BYTES

_CACHE_ENTRIES = 64


class _Compressed:
    """Compressed bodies by (path, ETag), bounded; shared by the worker's threads."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], body: bytes) -> bytes:
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            return found
        compressed = gzip.compress(body, compresslevel=9, mtime=0)
        with self._lock:
            if len(self._entries) >= _CACHE_ENTRIES:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = compressed
        return compressed


def _wants_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def _compress(cache: _Compressed, response: Response) -> Response:
    if (
        request.endpoint != "static"
        or response.status_code != 200
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or "Content-Encoding" in response.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    if not _wants_gzip():
        return response
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_GZIP_BYTES:
        return response
    etag, _weak = response.get_etag()
    if etag and request.if_none_match.contains(f"{etag}-gzip"):
        response.set_data(b"")
        response.status_code = 304  # the browser holds this compressed version already
        response.set_etag(f"{etag}-gzip")
        return response
    compressed = cache.get((request.path, etag or ""), body)
    response.set_data(compressed)
    response.headers["Content-Encoding"] = "gzip"
    if etag:
        response.set_etag(f"{etag}-gzip")  # a different body must have a different tag
    return response


def init_app(app: Flask) -> None:
    """Compress the site's static text files, unless `STATIC_GZIP` is off."""
    if not app.config.get("STATIC_GZIP", True):
        return
    cache = _Compressed()
    app.after_request(lambda response: _compress(cache, response))
