"""Parameters holding control characters are refused before any view, as a page or a problem."""

from __future__ import annotations

import pytest

from tests.support.pages import PageClient, csrf_token_of


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets?q=%00",
        "/api/v1/datasets/outages/rows?district=%00",
        "/api/v1/datasets/outages/rows?q=a%00b",
        "/api/v1/datasets?%00=1",
        "/api/3/action/package_search?q=%1b",
    ],
)
def test_programs_get_a_problem_document(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert "控制字元" in body["detail"]
    english = client.get("/en" + path)
    assert english.status_code == 400
    assert "control character" in english.get_json()["detail"]


@pytest.mark.parametrize("path", ["/datasets?q=%00", "/en/datasets?q=%E2%80%AE", "/?x=%7f"])
def test_visitors_get_the_sites_page(pages: PageClient, path: str) -> None:
    response = pages.get_response(path)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert ("控制字元" in text) or ("control character" in text)
    assert response.headers["Content-Security-Policy"]


def test_a_form_field_with_a_nul_is_refused(client) -> None:
    token = csrf_token_of(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={"csrf_token": token, "username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "控制字元" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/datasets?q=%E6%B0%B4%09%E5%A3%93", "/api/v1/datasets?q=line%0Abreak"])
def test_tabs_and_line_breaks_pass(client, path: str) -> None:
    assert client.get(path).status_code == 200
