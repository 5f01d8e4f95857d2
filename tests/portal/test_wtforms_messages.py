"""WTForms' own messages come in the visitor's language, and in Traditional characters for Chinese."""

from __future__ import annotations

import pytest

from tests.support.pages import PageClient

TAMPERED = {
    "case_type": "no-such-type",
    "subject": "水壓",
    "description": "水壓低",
    "contact_name": "王小明",
    "contact_phone": "0912345678",
    "consent": "y",
}


@pytest.mark.parametrize(
    ("prefix", "expected", "unexpected"),
    [("", "不是有效的選擇", "不是有效的选择"), ("/en", "Not a valid choice", "不是有效")],
)
def test_a_choice_not_offered_is_refused_in_the_page_s_language(
    pages: PageClient, prefix: str, expected: str, unexpected: str
) -> None:
    response = pages.post_form(f"{prefix}/cases/new", TAMPERED)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert expected in body
    assert unexpected not in body
