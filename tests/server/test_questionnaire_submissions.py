"""Questionnaires answered through the real server: many at once, one invitation raced, and bad inputs.

A server of this module's own (`scripts/serve`, two workers, its own port) runs on the
run's server database and instance folder (so the demo is not loaded twice). The public
questionnaire pages have no rate limit of their own; `RATELIMIT_DEFAULT` counts them
like every route, and every request here comes from 127.0.0.1, so the module raises it
again explicitly. Each test opens a questionnaire of its own (a slug of its own, one page,
so the page's POST is the one that stores) with an application on the same database,
sends its answers from separate `requests.Session`s (each with its own session cookie,
CSRF token and signed draft), and reads what was stored with that application.

- 200 visitors of an anonymous questionnaire send at once: each is sent to the thanks
  page, and exactly their 200 answers are stored, each once.
- 50 visitors open the same invitation link, then send together: one is stored and
  thanked, the other 49 are told in Chinese that the link was used; the link is used.
- A post after the close, an answer that is no option, a missing required answer and a
  forged token are each a 4xx page saying why, and store nothing.
"""

from __future__ import annotations

import json
import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import func, select

from feedback.surveys import questionnaires
from feedback.surveys.definition import Definition, QuestionKind
from feedback.surveys.questionnaire_models import Invitation, Questionnaire, Response
from portal import create_app
from portal.db import db, utcnow
from tests.conftest import app_overrides
from tests.feedback.surveys.builders import one_section, question
from tests.feedback.surveys.questionnaire_fixtures import open_questionnaire
from tests.server.conftest import Server, serving
from tests.support.pages import csrf_token_of

pytestmark = pytest.mark.server

VISITORS = 200
THREADS = 40
INVITED = 50  # all at once: one thread each, held at a barrier before the final POST
SECONDS = 120  # per request: 40 or 50 at once on two workers of a shared machine
PICKS = ("a", "b", "c")


@dataclass(frozen=True)
class Opened:
    """A questionnaire this module opened: its address, its ids and its invitation tokens."""

    slug: str
    questionnaire_id: int
    version_id: int
    tokens: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"/surveys/q/{self.slug}"

    @property
    def thanks(self) -> str:
        return f"/surveys/q/{self.slug}/thanks"


@dataclass(frozen=True)
class Answered:
    """What the server answered one POST."""

    status: int
    location: str  # the redirect's path, empty when there was none
    page: str

    @property
    def text(self) -> str:
        return BeautifulSoup(self.page, "html.parser").get_text(" ", strip=True)

    @property
    def heading(self) -> str:
        found = BeautifulSoup(self.page, "html.parser").select_one("h1")
        return found.get_text(strip=True) if found is not None else ""

    @property
    def lang(self) -> str:
        found = BeautifulSoup(self.page, "html.parser").find("html")
        return str(found.get("lang", "")) if found is not None else ""


@dataclass(frozen=True)
class Visitor:
    """One browser: its session (cookie) and the questionnaire page it was shown."""

    browser: requests.Session
    url: str
    page: str


@pytest.fixture(scope="module")
def survey_server(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("questionnaire-server") / "server.log"
    with serving(server.database_url, server.instance, log, RATELIMIT_DEFAULT="100000 per minute") as running:
        yield running


@pytest.fixture(scope="module")
def reader(survey_server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An application on the server's database, to open questionnaires and read what was stored."""
    application = create_app(
        app_overrides(
            survey_server.database_url, tmp_path_factory.mktemp("questionnaire-reader"), TESTING=False
        )
    )
    yield application
    application.extensions["portal.db"].engine.dispose()


def _one_page() -> Definition:
    """One page (no conditions): a required number, a required choice of a, b, c, and a comment."""
    return one_section(
        question("n", QuestionKind.NUMBER, required=True, minimum="0", maximum="100000"),
        question("pick", QuestionKind.SINGLE, required=True),
        question("comment", QuestionKind.SHORT_TEXT),
    )


def _open(reader: Flask, invitations: int = 0) -> Opened:
    """A new one-page questionnaire, open now; with `invitations`, by invitation only."""
    slug = f"server-q-{uuid.uuid4().hex[:12]}"
    with reader.app_context():
        session = db.use_writer_session()
        questionnaire, version = open_questionnaire(session, slug=slug, definition=_one_page(), now=utcnow())
        tokens: list[str] = []
        if invitations:
            now = utcnow()
            tokens = questionnaires.issue_invitations(
                session, questionnaire, invitations, now - timedelta(hours=1), now + timedelta(days=7)
            )
        session.commit()
        return Opened(slug, questionnaire.id, version.id, tuple(tokens))


def _close(reader: Flask, opened: Opened) -> None:
    with reader.app_context():
        session = db.use_writer_session()
        questionnaire = session.get(Questionnaire, opened.questionnaire_id)
        assert questionnaire is not None
        questionnaires.close(session, questionnaire, utcnow() - timedelta(seconds=1))
        session.commit()


def _stored(reader: Flask, opened: Opened) -> list[dict[str, Any]]:
    """The answers of every response to the questionnaire's version."""
    with reader.app_context():
        rows = db.session.scalars(select(Response.answers).where(Response.version_id == opened.version_id))
        return [json.loads(row) for row in rows]


def _responses(reader: Flask, opened: Opened) -> int:
    with reader.app_context():
        query = select(func.count()).select_from(Response).where(Response.version_id == opened.version_id)
        return db.session.scalar(query) or 0


def _invitations_used(reader: Flask, opened: Opened) -> list[bool]:
    with reader.app_context():
        rows = db.session.scalars(
            select(Invitation.used_at).where(Invitation.questionnaire_id == opened.questionnaire_id)
        )
        return [used_at is not None for used_at in rows]


def _state_of(page: str) -> str:
    found = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "state"})
    assert found is not None, page[:500]
    return str(found["value"])


def _visit(base: str, path: str) -> Visitor:
    """A new browser opening the questionnaire at `path`: a session, its CSRF token and the signed draft."""
    browser = requests.Session()
    # The page is read before it is sent: the POST leaves on a connection of its own, as after
    # a visitor's pause (the server drops a connection idle for 5 s, `scripts/serve`, and a
    # POST written at that moment would be lost on the way, not refused).
    shown = browser.get(base + path, timeout=SECONDS, headers={"Connection": "close"})
    assert shown.status_code == 200, f"{shown.status_code} {shown.text[:500]}"
    return Visitor(browser, base + path, shown.text)


def _send(visitor: Visitor, answers: dict[str, str]) -> Answered:
    """Send the page shown, as its form does: the CSRF token, the signed draft and the answers."""
    data = {
        "csrf_token": csrf_token_of(visitor.page),
        "state": _state_of(visitor.page),
        "next": "送出",
        **{f"q-{key}": value for key, value in answers.items()},
    }
    answer = visitor.browser.post(visitor.url, data=data, timeout=SECONDS, allow_redirects=False)
    location = urlsplit(answer.headers.get("Location", "")).path
    return Answered(answer.status_code, location, answer.text)


def _answers_of(index: int) -> dict[str, str]:
    """Visitor `index`'s answers: its own number, and a choice."""
    return {"n": str(index), "pick": PICKS[index % len(PICKS)], "comment": f"第 {index} 位"}


def _as_stored(answers: dict[str, str]) -> str:
    """Answers as one comparable value (the stored JSON's keys, sorted)."""
    return json.dumps(answers, ensure_ascii=False, sort_keys=True)


def test_two_hundred_visitors_sending_at_once_are_each_thanked_and_stored_once(
    survey_server: Server, reader: Flask
) -> None:
    opened = _open(reader)
    base = survey_server.url
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        visitors = list(pool.map(lambda _index: _visit(base, opened.url), range(VISITORS)))
        answered = list(pool.map(lambda index: _send(visitors[index], _answers_of(index)), range(VISITORS)))

    errors = [item for item in answered if item.status >= 500]
    assert not errors, f"{len(errors)} server errors, first: {errors[0].status} {errors[0].page[:800]}"
    refused = [(index, item) for index, item in enumerate(answered) if item.status != 303]
    assert not refused, f"{len(refused)} not stored, first: {refused[0][1].status} {refused[0][1].text[:500]}"
    assert {item.location for item in answered} == {opened.thanks}
    thanked = visitors[0].browser.get(base + opened.thanks, timeout=SECONDS)
    assert thanked.status_code == 200

    stored = _stored(reader, opened)
    assert len(stored) == VISITORS
    sent = Counter(_as_stored(_answers_of(index)) for index in range(VISITORS))
    assert Counter(_as_stored(answers) for answers in stored) == sent, "every visitor's answers, each once"


def test_one_invitation_sent_by_fifty_at_once_is_stored_once_and_refused_to_the_rest(
    survey_server: Server, reader: Flask
) -> None:
    opened = _open(reader, invitations=1)
    [token] = opened.tokens
    base = survey_server.url
    release = threading.Barrier(INVITED, timeout=SECONDS)

    def visit_then_send(index: int) -> Answered:
        visitor = _visit(base, f"/surveys/q/i/{token}")
        release.wait()  # every page is shown before any final POST leaves
        return _send(visitor, _answers_of(index))

    with ThreadPoolExecutor(max_workers=INVITED) as pool:
        answered = list(pool.map(visit_then_send, range(INVITED)))

    errors = [item for item in answered if item.status >= 500]
    assert not errors, f"{len(errors)} server errors, first: {errors[0].status} {errors[0].page[:800]}"
    statuses = Counter(item.status for item in answered)
    assert statuses == Counter({303: 1, 409: INVITED - 1}), statuses
    [winner] = [index for index, item in enumerate(answered) if item.status == 303]
    assert answered[winner].location == opened.thanks
    for item in answered:
        if item.status == 409:
            assert item.heading == "這個邀請連結已經填答過了"
            assert "每個邀請連結只能填答一次" in item.text
            assert item.lang.startswith("zh")

    assert [_as_stored(answers) for answers in _stored(reader, opened)] == [_as_stored(_answers_of(winner))]
    assert _invitations_used(reader, opened) == [True]
    again = requests.get(f"{base}/surveys/q/i/{token}", timeout=SECONDS)
    assert again.status_code == 409, "the used link stays used"


def test_a_post_after_the_close_is_refused_and_stores_nothing(survey_server: Server, reader: Flask) -> None:
    opened = _open(reader)
    visitor = _visit(survey_server.url, opened.url)
    _close(reader, opened)
    answered = _send(visitor, _answers_of(1))
    assert answered.status == 410
    assert answered.heading == "問卷已經截止"
    assert "已經截止，無法再填答" in answered.text
    assert _responses(reader, opened) == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"n": "7", "pick": "z"}, "請從列出的選項中選擇"),
        ({"n": "7"}, "請回答這一題"),
        ({"pick": "a"}, "請回答這一題"),
    ],
    ids=["not-an-option", "choice-missing", "number-missing"],
)
def test_a_bad_answer_is_refused_with_the_reason_and_stores_nothing(
    survey_server: Server, reader: Flask, answers: dict[str, str], message: str
) -> None:
    opened = _open(reader)
    answered = _send(_visit(survey_server.url, opened.url), answers)
    assert answered.status == 400
    summary = BeautifulSoup(answered.page, "html.parser").select_one(".error-summary")
    assert summary is not None, answered.text[:500]
    assert message in summary.get_text(" ", strip=True)
    assert _responses(reader, opened) == 0


def test_a_forged_invitation_token_is_refused_and_stores_nothing(
    survey_server: Server, reader: Flask
) -> None:
    opened = _open(reader, invitations=3)
    base = survey_server.url
    forged = secrets.token_urlsafe(24)  # shaped like an issued token, but never issued
    for path in (f"/surveys/q/i/{forged}", f"{opened.url}?token={forged}"):
        shown = requests.get(base + path, timeout=SECONDS)
        assert shown.status_code == 404, path
        assert "這個連結不正確" in BeautifulSoup(shown.text, "html.parser").get_text(" ", strip=True)

    # A genuine page sent to the forged link's address, and one without any token.
    visitor = _visit(base, f"/surveys/q/i/{opened.tokens[0]}")
    forged_post = _send(
        Visitor(visitor.browser, f"{base}/surveys/q/i/{forged}", visitor.page), _answers_of(2)
    )
    assert forged_post.status == 404
    assert forged_post.heading == "邀請連結無效"
    tokenless = _send(Visitor(visitor.browser, base + opened.url, visitor.page), _answers_of(3))
    assert tokenless.status == 403
    assert tokenless.heading == "這份問卷只接受受邀者填答"
    assert _responses(reader, opened) == 0
    assert _invitations_used(reader, opened) == [False, False, False]
