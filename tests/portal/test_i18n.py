"""Two languages: every string translated, English pages free of untranslated Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from portal.config import PROJECT_ROOT
from tests.support.pages import PageClient

CATALOGUE = PROJECT_ROOT / "site" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The strings the code and templates ask to translate, extracted afresh."""
    template = tmp_path_factory.mktemp("messages") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--no-location",
            "-k",
            "_l",
            "-F",
            "babel.cfg",
            "-o",
            str(template),
            ".",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    return template


def test_every_string_has_an_english_translation(extracted: Path) -> None:
    with extracted.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with CATALOGUE.open("rb") as handle:
        catalogue = {message.id: message for message in read_po(handle) if message.id}
    assert len(wanted) > 100, "extraction found the strings"
    missing = sorted(str(msgid) for msgid in wanted if msgid not in catalogue)
    assert missing == [], f"run `make extract-messages` and translate: {missing[:10]}"
    untranslated = sorted(
        str(msgid) for msgid in wanted if not catalogue[msgid].string or catalogue[msgid].fuzzy
    )
    assert untranslated == [], f"not yet translated: {untranslated[:10]}"


def test_translations_keep_placeholders_and_leave_no_chinese() -> None:
    with CATALOGUE.open("rb") as handle:
        for message in read_po(handle):
            if not message.id:
                continue
            # A plural message has its forms as tuples, each keeping the singular's placeholders.
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                assert form, msgid
                assert not HAN.search(form), msgid
                assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(form)), msgid


ENGLISH_PAGES = [
    "/en/",
    "/en/sitemap",
    "/en/offices",
    "/en/pages/about",
    "/en/pages/privacy",
    "/en/staff/login",
    "/en/no-such-page",
    "/en/cases/new",
    "/en/cases/lookup",
]


def visible_text(page: BeautifulSoup) -> str:
    for hidden in page.select("script, style"):
        hidden.decompose()
    texts = [page.get_text(" ")]
    texts += [
        tag[attribute]
        for attribute in ("title", "alt", "aria-label", "placeholder", "content")
        for tag in page.find_all(attrs={attribute: True})
    ]
    return " ".join(texts)


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_english_pages_have_no_untranslated_text(pages: PageClient, url: str) -> None:
    status = 404 if "no-such" in url else 200
    page = pages.get(url, status=status)
    for switch in page.select('a[lang="zh-Hant-TW"]'):
        switch.decompose()  # the way back to Chinese is named in Chinese on purpose
    leftovers = HAN.findall(visible_text(page))
    assert leftovers == [], f"{url}: untranslated text {''.join(leftovers)[:60]}"


@pytest.mark.parametrize(
    "url",
    [
        "/en/staff/",
        "/en/staff/accounts",
        "/en/staff/accounts/new",
        "/en/staff/audit/",
        "/en/staff/offices/new",
        "/en/staff/pages/new",
        "/en/staff/agency",
        "/en/staff/account/password",
    ],
)
def test_english_staff_pages_have_no_untranslated_labels(pages: PageClient, sign_in, url: str) -> None:
    from portal.auth.roles import Role

    sign_in(Role.ADMINISTRATOR, Role.PUBLISHER, username="english.tester")
    pages.get("/staff/")  # shows (and so clears) the Chinese "signed in" message
    page = pages.get(url)
    for switch in page.select('a[lang="zh-Hant-TW"]'):
        switch.decompose()
    # Names typed by staff (offices, people) stay as typed; labels and messages must be English.
    for data in page.select("td, .figures dd, option, .greeting"):
        data.decompose()
    leftovers = HAN.findall(visible_text(page))
    assert leftovers == [], f"{url}: untranslated text {''.join(leftovers)[:60]}"


def test_html_lang_follows_the_path(pages: PageClient) -> None:
    assert pages.get("/").html["lang"] == "zh-Hant-TW"
    assert pages.get("/en/").html["lang"] == "en"
    assert pages.get("/en").html["lang"] == "en"


def test_templates_follow_a_forced_locale_and_return_to_the_page_s_own(app) -> None:
    """Templates keep the request's catalogue, yet a mail rendered under force_locale is in its own language."""
    from flask_babel import force_locale

    template = app.jinja_env.from_string("{{ _('回首頁') }}")
    with app.test_request_context("/"):
        app.preprocess_request()
        assert template.render() == "回首頁"
        with force_locale("en"):
            assert template.render() == "Back to home page"
        assert template.render() == "回首頁"
