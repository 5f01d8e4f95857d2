"""The supervisor's follow-up pages: who sees which, recording the work, marking it done (audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from feedback.cases.models import Case
from feedback.surveys.models import FollowUp
from portal.audit import AuditRecord
from portal.auth.roles import Role
from portal.db import db
from tests.feedback.cases.staff.conftest import forget_request_state, token
from tests.feedback.surveys.test_case_surveys import close_with_reply, closure_mail, face_links
from tests.support.pages import PageClient


@pytest.fixture
def dissatisfied(open_today: Callable[..., Any], client_as: Callable[..., Any], client: Any) -> FollowUp:
    """A KL case closed with a reply whose citizen clicked the face 1 in the closure mail."""
    case: Case = open_today("KL").case
    pages, _account = client_as(Role.CASE_OFFICER, office_code="KL")
    close_with_reply(pages, case)
    forget_request_state()
    links = face_links(closure_mail(case).body)
    assert client.get(links[1]).status_code == 200
    follow_up = db.session.scalar(select(FollowUp).order_by(FollowUp.id.desc()))
    assert follow_up is not None
    return follow_up


def save(pages: PageClient, follow_up: FollowUp, **data: Any) -> Any:
    url = f"/staff/surveys/follow-ups/{follow_up.id}"
    return pages.client.post(url, data={"csrf_token": token(pages, url), **data})


def test_the_office_s_supervisor_sees_it_another_office_s_does_not_and_an_officer_may_not(
    dissatisfied: FollowUp, client_as: Callable[..., Any]
) -> None:
    supervisor, _ = client_as(Role.SUPERVISOR, office_code="KL")
    listing = str(supervisor.get("/staff/surveys/follow-ups/"))
    assert f"/staff/surveys/follow-ups/{dissatisfied.id}" in listing
    assert "非常不滿意" in listing
    assert supervisor.client.get(f"/staff/surveys/follow-ups/{dissatisfied.id}").status_code == 200
    elsewhere, _ = client_as(Role.SUPERVISOR, office_code="XZ")
    assert f"/staff/surveys/follow-ups/{dissatisfied.id}" not in str(
        elsewhere.get("/staff/surveys/follow-ups/")
    )
    assert elsewhere.client.get(f"/staff/surveys/follow-ups/{dissatisfied.id}").status_code == 404
    officer, _ = client_as(Role.CASE_OFFICER, office_code="KL")
    assert officer.client.get("/staff/surveys/follow-ups/").status_code == 403
    assert supervisor.client.get("/staff/surveys/follow-ups/?shown=bogus").status_code == 400
    assert supervisor.client.get("/staff/surveys/follow-ups/99999999999999999999").status_code == 404


def test_work_is_kept_then_marked_done_once_with_the_contact_and_outcome_and_audited(
    dissatisfied: FollowUp, client_as: Callable[..., Any]
) -> None:
    supervisor, account = client_as(Role.SUPERVISOR, office_code="KL")
    refused = save(supervisor, dissatisfied, contact_made="12/3 電話聯繫", done="y")
    assert refused.status_code == 400
    assert "請填寫聯繫情形與處理結果" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUp, dissatisfied.id).done_at is None
    no_improvement = save(supervisor, dissatisfied, improvement_public="y")
    assert no_improvement.status_code == 400
    assert save(supervisor, dissatisfied, contact_made="12/3 電話聯繫").status_code == 303
    done = save(
        supervisor,
        dissatisfied,
        contact_made="12/3 電話聯繫，說明換表流程",
        outcome="民眾接受說明",
        improvement="換表前一天以簡訊通知用戶",
        improvement_public="y",
        done="y",
    )
    assert done.status_code == 303
    db.session.expire_all()
    stored = db.session.get(FollowUp, dissatisfied.id)
    assert stored.done_at is not None
    assert stored.done_by_id == account.id
    assert stored.improvement_public is True
    assert save(supervisor, dissatisfied, contact_made="改寫", outcome="改寫", done="y").status_code == 400
    entries = db.session.scalars(
        select(AuditRecord).where(
            AuditRecord.entity == "survey_follow_up", AuditRecord.entity_id == str(stored.id)
        )
    ).all()
    assert entries
    assert all("民眾接受說明" not in str(entry.after) for entry in entries)  # the record's texts are redacted


def test_the_dashboard_card_counts_the_office_s_open_follow_ups(
    dissatisfied: FollowUp, client_as: Callable[..., Any]
) -> None:
    supervisor, _ = client_as(Role.SUPERVISOR, office_code="KL")
    dashboard = str(supervisor.get("/staff/"))
    assert "不滿意民眾追蹤" in dashboard
