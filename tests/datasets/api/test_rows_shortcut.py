"""The rows API's WSGI shortcut: the same answers as the Flask view, byte for byte, or none at all.

Each request is asked of two applications on the test's data: one with shortcuts (the
suite's default) and one without. Where the shortcut answers, status, body and every
header but the clock's must be the same; where it must not, Flask answers (its
messages, its refusals) and the request is counted against the rate limit once.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from datasets.api.release_lookups import ReleaseLookups
from datasets.api.rows_shortcut import RowsShortcut
from tests.datasets.api.conftest import PublishedDataset

CLOCK_HEADERS = {"Date", "RateLimit-Reset", "RateLimit-Remaining"}


@pytest.fixture
def lookup_app(bound_app: Callable[..., Flask]) -> Callable[..., Flask]:
    """Applications on the test's data with release lookups kept for a minute (the shortcut needs them)."""
    return lambda **settings: bound_app(API_RELEASE_LOOKUP_SECONDS=60, **settings)


def shortcut_of(application: Flask) -> RowsShortcut:
    found = [item for item in application.extensions["portal.shortcuts"] if isinstance(item, RowsShortcut)]
    assert len(found) == 1
    return found[0]


def comparable(response: Any) -> tuple[int, dict[str, str], bytes]:
    headers = {name: value for name, value in response.headers.items() if name not in CLOCK_HEADERS}
    return response.status_code, headers, response.get_data()


@pytest.fixture
def pair(lookup_app: Callable[..., Flask]) -> tuple[Flask, Flask]:
    return lookup_app(), lookup_app(WSGI_SHORTCUTS=False)


ROWS = "/api/v1/datasets/{slug}/rows"
ANSWERED = [
    ("", {}),
    ("?district=信義區", {}),
    ("?district=信義區&district=信義區&limit=3", {}),
    ("?sort=-rate,code&fields=code,rate,day&limit=7", {}),
    ("?count__gte=20&count=false", {}),
    ("?q=漏水&offset=10&limit=5", {}),
    ("?limit=1000", {}),
    ("?district=七堵區", {"Accept-Encoding": "gzip, deflate"}),
    ("?code=C0001", {"Accept-Encoding": "gzip"}),  # too short to compress, yet it varies
    ("?district=中正區", {"Accept-Language": "en-US,en;q=0.9"}),
    ("?district=汐止區", {"Accept-Language": "zh-TW"}),
]


@pytest.mark.parametrize(("query", "headers"), ANSWERED)
def test_the_shortcut_answers_as_the_view_does(
    pair: tuple[Flask, Flask], api_dataset: PublishedDataset, query: str, headers: dict[str, str]
) -> None:
    fast, plain = pair
    url = ROWS.format(slug=api_dataset.slug) + query
    fast.test_client().get(url, headers=headers)  # the first one looks the release up and counts
    before = shortcut_of(fast).answered
    mine = fast.test_client().get(url, headers=headers)
    assert shortcut_of(fast).answered == before + 1
    theirs = plain.test_client().get(url, headers=headers)
    assert mine.status_code == 200
    assert comparable(mine) == comparable(theirs)
    assert {"Date", "RateLimit-Reset", "RateLimit-Remaining"} <= set(mine.headers.keys())


def test_head_https_and_the_english_prefix_answer_alike(
    pair: tuple[Flask, Flask], api_dataset: PublishedDataset
) -> None:
    fast, plain = pair
    for url, method, scheme in [
        ("/en" + ROWS.format(slug=api_dataset.slug) + "?district=信義區", "GET", "http"),
        (ROWS.format(slug=api_dataset.slug) + "?limit=4", "HEAD", "http"),
        (ROWS.format(slug=api_dataset.slug) + "?limit=4", "GET", "https"),
    ]:
        overrides = {"wsgi.url_scheme": scheme}
        fast.test_client().open(url, method=method, environ_overrides=overrides)
        before = shortcut_of(fast).answered
        mine = fast.test_client().open(url, method=method, environ_overrides=overrides)
        theirs = plain.test_client().open(url, method=method, environ_overrides=overrides)
        assert shortcut_of(fast).answered == before + 1, url
        assert comparable(mine) == comparable(theirs), (url, method, scheme)
    assert "Strict-Transport-Security" in mine.headers
    english = fast.test_client().get("/en" + ROWS.format(slug=api_dataset.slug) + "?district=信義區&limit=10")
    assert english.json["links"]["next"].startswith("http://localhost/en/api/v1/")


def test_a_gzipped_page_is_the_same_page(pair: tuple[Flask, Flask], api_dataset: PublishedDataset) -> None:
    fast, _plain = pair
    url = ROWS.format(slug=api_dataset.slug) + "?limit=100"
    fast.test_client().get(url)
    plain_body = fast.test_client().get(url).get_data()
    zipped = fast.test_client().get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(zipped.get_data())
    assert gzip.decompress(zipped.get_data()) == plain_body


def test_following_next_links_from_the_shortcut_walks_every_row_once(
    pair: tuple[Flask, Flask], api_dataset: PublishedDataset
) -> None:
    fast, _plain = pair
    client = fast.test_client()
    url: str | None = ROWS.format(slug=api_dataset.slug) + "?district=信義區&district__ne=中正區&limit=9"
    client.get(url)
    seen: list[str] = []
    while url:
        page = client.get(url).json
        seen += [row["code"] for row in page["rows"]]
        url = page["links"].get("next")
    expected = [row["code"] for row in api_dataset.rows if row["district"] == "信義區"]
    assert seen == expected


DECLINED = [
    ("?limit=5", {"Cookie": "session=x"}, 200),  # set in the clients' cookie jars
    ("?limit=5", {"If-None-Match": 'W/"0000"'}, 200),
    ("?limit=5", {"Range": "bytes=0-10"}, 200),
    ("?nosuch=1", {}, 400),
    ("?limit=lots", {}, 400),
    ("?district=%01", {}, 400),
    ("?cursor=forged", {}, 400),
]


@pytest.mark.parametrize(("query", "headers", "status"), DECLINED)
def test_what_the_shortcut_cannot_answer_exactly_goes_to_the_view(
    pair: tuple[Flask, Flask], api_dataset: PublishedDataset, query: str, headers: dict[str, str], status: int
) -> None:
    fast, plain = pair
    base = ROWS.format(slug=api_dataset.slug)
    fast.test_client().get(base + "?limit=5")  # the release is looked up, the total counted
    before = shortcut_of(fast).answered
    clients = [fast.test_client(), plain.test_client()]
    if "Cookie" in headers:
        name, _equals, value = headers.pop("Cookie").partition("=")
        for each in clients:
            each.set_cookie(name, value)
    mine, theirs = (each.get(base + query, headers=headers) for each in clients)
    assert shortcut_of(fast).answered == before
    assert mine.status_code == status
    assert comparable(mine) == comparable(theirs)


def test_an_uncounted_total_a_numbered_release_and_a_post_go_to_the_view(
    pair: tuple[Flask, Flask], api_dataset: PublishedDataset
) -> None:
    fast, _plain = pair
    client = fast.test_client()
    base = ROWS.format(slug=api_dataset.slug)
    client.get(base)
    shortcut = shortcut_of(fast)
    before = shortcut.answered
    assert client.get(base + "?district=汐止區").status_code == 200  # a new total: counted by the view
    assert shortcut.answered == before
    assert client.get(base + "?district=汐止區").status_code == 200
    assert shortcut.answered == before + 1
    numbered = f"/api/v1/datasets/{api_dataset.slug}/releases/{api_dataset.release_number}/rows"
    assert client.get(numbered).status_code == 200
    assert client.post(base).status_code == 405
    assert client.get("/api/v1/datasets/no-such-dataset/rows").status_code == 404
    assert shortcut.answered == before + 1


def test_without_a_recent_lookup_the_view_answers(
    client: Any, app: Flask, api_dataset: PublishedDataset
) -> None:
    # The suite's application keeps no lookups: every request finds its release afresh.
    shortcut = shortcut_of(app)
    before = shortcut.answered
    for _ in range(3):
        assert client.get(ROWS.format(slug=api_dataset.slug)).status_code == 200
    assert shortcut.answered == before


def test_a_shortcut_answer_counts_once_and_the_limit_is_refused_by_the_view(
    lookup_app: Callable[..., Flask], api_dataset: PublishedDataset
) -> None:
    limited = lookup_app(RATELIMIT_DEFAULT="4 per minute")
    client = limited.test_client()
    url = ROWS.format(slug=api_dataset.slug) + "?limit=2"
    remaining = [client.get(url).headers["RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["3", "2", "1"]
    assert shortcut_of(limited).answered == 2  # the first request looked the release up
    client.set_cookie("a", "b")
    declined = client.get(url)  # answered by the view, counted there once
    assert declined.headers["RateLimit-Remaining"] == "0"
    client.delete_cookie("a")
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert shortcut_of(limited).answered == 2


def test_lookups_that_expire_send_the_request_back_to_the_view(
    pair: tuple[Flask, Flask], api_dataset: PublishedDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, _plain = pair
    client = fast.test_client()
    url = ROWS.format(slug=api_dataset.slug)
    client.get(url)
    monkeypatch.setitem(fast.extensions, "datasets.release_lookups", ReleaseLookups(60))  # all forgotten
    before = shortcut_of(fast).answered
    assert client.get(url).status_code == 200
    assert shortcut_of(fast).answered == before


def test_an_untrusted_host_is_refused_by_flask_not_answered(
    lookup_app: Callable[..., Flask], api_dataset: PublishedDataset
) -> None:
    guarded = lookup_app(TRUSTED_HOSTS=["data.example.org"])
    client = guarded.test_client()
    url = ROWS.format(slug=api_dataset.slug) + "?limit=2"
    for _ in range(2):
        assert client.get(url, base_url="http://data.example.org").status_code == 200
    answered = shortcut_of(guarded).answered
    assert answered == 1
    assert client.get(url, base_url="http://evil.example.net").status_code == 400
    assert shortcut_of(guarded).answered == answered
