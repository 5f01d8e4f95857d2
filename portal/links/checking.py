"""Checking one link: is it answered, and with what (no database).

An external address is asked with HEAD, and with GET where the server refuses HEAD
(405, 501, and 403 from servers that refuse what they think is a robot), following
redirects. A time-out, a refused connection or a 5xx answer is tried again after a
short pause, `retries` times, since servers fail for a moment; a 4xx is final. A path on
this site is asked of the application itself (its test client), so no network and no
rate limit is involved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

USER_AGENT = "portal-link-checker/1"
HEAD_REFUSED = frozenset({403, 405, 501})


@dataclass(frozen=True)
class LinkResult:
    """What checking a link found: whether it works, the last status seen, and why not."""

    url: str
    ok: bool
    status: int | None = None
    error: str = ""


def _ask(session: requests.Session, url: str, timeout: float) -> int:
    response = session.head(url, timeout=timeout, allow_redirects=True)
    if response.status_code in HEAD_REFUSED:
        response.close()
        response = session.get(url, timeout=timeout, allow_redirects=True, stream=True)
    response.close()
    return response.status_code


def check_external(
    session: requests.Session,
    url: str,
    *,
    timeout: float = 10.0,
    retries: int = 2,
    pause: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> LinkResult:
    """Check an http(s) address, trying again after time-outs, refused connections and 5xx answers."""
    last = LinkResult(url, ok=False, error="not asked")
    for attempt in range(retries + 1):
        if attempt:
            sleep(pause * attempt)
        try:
            status = _ask(session, url, timeout)
        except requests.Timeout:
            last = LinkResult(url, ok=False, error=f"no answer within {timeout:g} s")
            continue
        except requests.RequestException as error:
            last = LinkResult(url, ok=False, error=type(error).__name__)
            continue
        if status < 400:
            return LinkResult(url, ok=True, status=status)
        last = LinkResult(url, ok=False, status=status, error=f"HTTP {status}")
        if status < 500:
            return last
    return last


def check_internal(ask: Callable[[str], int], path: str) -> LinkResult:
    """Check a path on this site with `ask` (the application's own client: path to status)."""
    status = ask(path)
    if status < 400:
        return LinkResult(path, ok=True, status=status)
    return LinkResult(path, ok=False, status=status, error=f"HTTP {status}")


def new_session() -> requests.Session:
    """An HTTP session that says who is asking."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session
