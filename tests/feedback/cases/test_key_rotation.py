"""Rotating CASE_DATA_KEYS: a new key first, `flask cases reseal`, then the old key can go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select, text

from feedback.cases.case_types import seed_case_types
from feedback.cases.models import Case, CaseEvent, CaseType
from feedback.cases.numbering import issue_number
from feedback.cases.sealing import SealError
from feedback.cases.states import Channel
from portal.db import db
from portal.offices.models import Office

OLD = "old:" + "o" * 40
NEW = "new:" + "n" * 40


@pytest.fixture
def keyed_app(bound_app: Callable[..., Flask]) -> Callable[[str], Flask]:
    """Applications with the given CASE_DATA_KEYS, all on the test's transaction."""
    return lambda keys: bound_app(CASE_DATA_KEYS=keys)


def _store_case(application: Flask) -> int:
    with application.app_context():
        seed_case_types(db.session)
        office = db.session.scalars(select(Office)).first()
        kind = db.session.scalar(select(CaseType).where(CaseType.code == "inquiry"))
        assert office is not None
        assert kind is not None
        number, sequence = issue_number(db.session, date(2032, 3, 3))
        case = Case(
            number=number, received_on=date(2032, 3, 3), sequence=sequence, password_hash="x",
            type_id=kind.id, office_id=office.id, channel=Channel.PHONE, subject="帳單疑問",
            description="三月帳單金額比平常高", contact_name="林美玲", contact_phone="02-2345-6789",
            working_days=kind.working_days,
        )  # fmt: skip
        case.events.append(CaseEvent(kind="note", body="已致電林小姐"))
        db.session.add(case)
        db.session.commit()
        return case.id


def _raw_keys(application: Flask, case_id: int) -> set[str]:
    with application.app_context():
        row = db.session.execute(
            text("SELECT subject, description, contact_name, contact_phone FROM citizen_case WHERE id = :id"),
            {"id": case_id},
        ).one()
        body = db.session.execute(
            text("SELECT body FROM case_event WHERE case_id = :id"), {"id": case_id}
        ).one()
        return {value.split(".")[1] for value in (*row, *body)}


def test_resealing_moves_every_value_to_the_new_key_and_the_old_key_can_then_go(
    app: Flask, keyed_app: Callable[[str], Flask]
) -> None:
    before = keyed_app(OLD)
    case_id = _store_case(before)
    assert _raw_keys(before, case_id) == {"old"}

    # The suite's own key stays listed: the demo's cases are sealed with it and are resealed too.
    rotating = keyed_app(f"{NEW},{OLD},{app.config['CASE_DATA_KEYS']}")
    runner = rotating.test_cli_runner()
    result = runner.invoke(args=["cases", "reseal"])
    assert result.exit_code == 0, result.output
    assert "sealed again with key new" in result.output
    assert _raw_keys(rotating, case_id) == {"new"}
    again = runner.invoke(args=["cases", "reseal"])
    assert "0 rows sealed again" in again.output

    after = keyed_app(NEW)
    with after.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        assert (case.contact_name, case.description) == ("林美玲", "三月帳單金額比平常高")
        assert case.events[0].body == "已致電林小姐"
    with before.app_context(), pytest.raises(SealError):
        db.session.get(Case, case_id)
