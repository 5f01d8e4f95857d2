"""The link checker: links found in Markdown (pure), and each link asked of a real local server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from portal.links.checking import LinkResult, check_external, check_internal, new_session
from portal.links.extract import checkable, links_in_markdown
from tests.portal.link_server import LinkServer, link_server


@pytest.fixture(scope="module")
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        yield running


def check(url: str, **options: Any) -> LinkResult:
    return check_external(new_session(), url, sleep=lambda _seconds: None, **options)


def test_links_are_found_as_visitors_see_them() -> None:
    source = """
見[自來水法](https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=J0080001)與[營業章程](/disclosure/regulations)。

![淨水場](/static/img/plant.png) 參考 <https://www.water.gov.tw/> 與[再一次](/disclosure/regulations)。

[寫信](mailto:service@example.org)、[電話](tel:1910)、[本頁](#top)、[壞的](javascript:alert(1))。

[ref]: https://example.org/referenced
用[參考連結][ref]。

    https://example.org/in-code-not-a-link
"""
    assert links_in_markdown(source) == [
        "https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=J0080001",
        "/disclosure/regulations",
        "/static/img/plant.png",
        "https://www.water.gov.tw/",
        "https://example.org/referenced",
    ]
    assert links_in_markdown("") == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/", True),
        ("HTTP://A.EXAMPLE/", True),
        ("/pages/about", True),
        ("//cdn.example/x.js", False),
        ("#top", False),
        ("mailto:a@example.org", False),
        ("ftp://a.example/", False),
        ("pages/about", False),
        ("", False),
    ],
)
def test_what_can_be_checked(url: str, expected: bool) -> None:
    assert checkable(url) is expected


def test_a_working_address_and_its_redirect_are_ok(server: LinkServer) -> None:
    assert check(f"{server.url}/ok").ok
    moved = check(f"{server.url}/moved")
    assert moved.ok
    assert moved.status == 200


def test_a_missing_page_is_broken_at_once_without_retries(server: LinkServer) -> None:
    result = check(f"{server.url}/gone", retries=3)
    assert not result.ok
    assert result.status == 404
    assert result.error == "HTTP 404"
    assert server.asked["HEAD /gone"] == 1
    away = check(f"{server.url}/moved-away")
    assert away.status == 404


def test_a_server_error_is_tried_again_and_a_passing_failure_forgiven(server: LinkServer) -> None:
    assert check(f"{server.url}/flaky", retries=2).ok
    assert server.asked["HEAD /flaky"] == 2
    broken = check(f"{server.url}/broken", retries=2)
    assert broken.status == 500
    assert server.asked["HEAD /broken"] == 3  # the first ask and two retries


def test_a_server_that_refuses_head_is_asked_with_get(server: LinkServer) -> None:
    result = check(f"{server.url}/no-head")
    assert result.ok
    assert server.asked["GET /no-head"] == 1


def test_an_address_that_does_not_answer_in_time_is_broken_after_its_retries(server: LinkServer) -> None:
    result = check(f"{server.url}/slow", timeout=0.2, retries=1)
    assert not result.ok
    assert result.status is None
    assert result.error == "no answer within 0.2 s"
    assert server.asked["HEAD /slow"] == 2


def test_a_refused_connection_is_broken() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check(f"http://127.0.0.1:{port}/", retries=1)
    assert not result.ok
    assert result.error == "ConnectionError"


def test_a_path_here_is_asked_of_the_application() -> None:
    statuses = {"/pages/about": 200, "/old": 301, "/nope": 404}
    assert check_internal(statuses.__getitem__, "/pages/about").ok
    assert check_internal(statuses.__getitem__, "/old").ok
    missing = check_internal(statuses.__getitem__, "/nope")
    assert not missing.ok
    assert missing.error == "HTTP 404"
