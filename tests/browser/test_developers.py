"""The developer page's try-it form in a real browser: the API's answer shown in place, in both languages."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import save_screenshot
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("prefix", "shown", "refused"),
    [
        ("", "顯示 3 列", "沒有名為「nosuch」的欄位。"),
        ("/en", ": 3 rows of", 'There is no field named "nosuch".'),
    ],
)
def test_try_it_shows_the_answer_in_place(
    page, live_server: str, prefix: str, shown: str, refused: str
) -> None:
    page.goto(live_server + prefix + "/developers")
    page.fill("#try-query", "limit=3")
    page.press("#try-query", "Enter")
    # Waits by selector: the page's CSP forbids the string evaluation wait_for_function uses.
    page.wait_for_selector("#try-status:text-matches('^HTTP')")
    status = page.text_content("#try-status")
    assert status.startswith("HTTP 200")
    assert shown in status
    answer = json.loads(page.text_content("#try-body"))
    assert len(answer["rows"]) == 3
    assert answer["total"] >= 3
    assert page.url.endswith("/developers")  # answered in place, not by leaving the page
    assert axe_violations(page) == []
    save_screenshot(page, f"{prefix.strip('/') or 'zh'}_developers_try")

    page.fill("#try-query", "nosuch=1")
    page.click("#try button[type=submit], .try-form button[type=submit]")
    page.wait_for_selector("#try-status:text-matches('^HTTP 400')")
    assert refused in page.text_content("#try-status")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_form_refused_passes_axe(page, live_server: str, prefix: str) -> None:
    """The page a refused form comes back to (what a browser without JavaScript shows)."""
    response = page.goto(live_server + prefix + "/developers/try?dataset=no-such-dataset&query=limit%3D3")
    assert response is not None
    assert response.status == 400
    assert page.input_value("#try-query") == "limit=3"
    assert page.get_attribute("#try-query", "aria-describedby") == "try-query-hint try-error"
    assert axe_violations(page) == []
