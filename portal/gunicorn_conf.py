"""How gunicorn serves the site: `gunicorn --config python:portal.gunicorn_conf portal.wsgi:app`.

`scripts/serve` (what `make run` runs) passes the address and the number of workers on
the command line; everything else is here, explained in docs/deployment.md.

Some requests never reach the application: gunicorn refuses a request line, a header or
a number of headers over its limits, and a request it cannot parse, with an answer of
its own. Its own answer is a bare page that repeats part of the refused request and has
none of the site's security headers, so `write_error` replaces it with a fixed page in
both languages (no language can be chosen from a request that could not be read) that
repeats nothing and carries the same headers as every page of the site.
"""

from __future__ import annotations

import socket
from http import HTTPStatus

from gunicorn import util

from portal.security import SECURITY_HEADERS

# One thread a worker, which keeps connections alive between requests: a program asking
# page after page reuses its connection, and the worker never waits for a client to
# close one (the sync worker closed every connection and lingered for the client's side,
# which held it idle for part of every request). Measured on the rows API with one
# worker, 8 connections: about 730 requests/s against 500-650 for the sync worker, and
# 590-665 with 4 threads, which only contend for the interpreter lock. A client slow to
# send its request goes back to the poller after 5 s instead of holding the thread.
worker_class = "gthread"
threads = 1
keepalive = 5

# Limits on what gunicorn reads before the application sees a request. Longer request
# lines get 414, larger or more header fields 431: they protect the workers' memory
# and time. 4094 bytes hold every link the site makes, filters of the rows API included.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# A worker's thread is occupied for the whole of a response. gunicorn's default of 30 s
# would end a worker in the middle of a large export to a slow client; a worker whose
# main loop has not checked in for two minutes is stuck and is replaced.
timeout = 120
graceful_timeout = 30

# Trust X-Forwarded-* only from a proxy on this machine (PROXY_HOPS tells Flask how many).
forwarded_allow_ips = "127.0.0.1"
# Headers whose names differ only by "-" and "_" are dropped, never merged (gunicorn's safe choice).
header_map = "drop"
accesslog = "-"

# What the fixed page says for each status gunicorn may answer with, in Chinese.
_CHINESE = {
    400: "無法處理這個要求",
    403: "沒有權限",
    414: "網址太長",
    417: "無法處理這個要求",
    431: "要求的標頭太大",
    500: "系統發生錯誤",
    501: "不支援這種傳輸方式",
}


def error_page(status: int) -> bytes:
    """The whole HTTP answer gunicorn sends for `status`, headers and fixed body."""
    reason = HTTPStatus(status).phrase
    chinese = _CHINESE.get(status, _CHINESE[500] if status >= 500 else _CHINESE[400])
    body = (
        '<!doctype html>\n<html lang="zh-Hant-TW">\n<head><meta charset="utf-8">'
        f"<title>{status} {chinese}</title></head>\n<body>\n<h1>{chinese}</h1>\n"
        f'<p lang="en">{status} {reason}</p>\n</body>\n</html>\n'
    ).encode()
    headers = {
        "Connection": "close",
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(body)),
        "Cache-Control": "no-store",
        **SECURITY_HEADERS,
    }
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    return (head + "\r\n").encode("latin-1") + body


def write_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's error writer, with the site's headers and without repeating the request."""
    util.write_nonblock(sock, error_page(status_int))


# gunicorn's workers call `util.write_error` for every answer of their own; the workers are
# forked from the process that read this file, so they all use this one.
util.write_error = write_error
