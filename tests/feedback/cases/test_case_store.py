"""Case numbers issued per day under concurrency, case types seeded once, citizens' data sealed at rest."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection

from feedback.cases.case_types import SEEDS, seed_case_types
from feedback.cases.models import Case, CaseDayCounter, CaseType
from feedback.cases.numbering import issue_number, next_sequence
from feedback.cases.states import Channel
from portal.db import db
from portal.offices.models import Office


def test_numbers_run_per_day_from_one(app_context: None) -> None:
    day, other = date(2031, 5, 6), date(2031, 5, 7)
    assert [issue_number(db.session, day) for _ in range(3)] == [
        ("1200506-0001", 1),
        ("1200506-0002", 2),
        ("1200506-0003", 3),
    ]
    assert issue_number(db.session, other) == ("1200507-0001", 1)


def test_a_case_that_is_not_stored_gives_its_number_back(app_context: None) -> None:
    day = date(2031, 6, 1)
    assert next_sequence(db.session, day) == 1
    attempt = db.session.begin_nested()
    assert next_sequence(db.session, day) == 2
    attempt.rollback()
    assert next_sequence(db.session, day) == 2


def test_concurrent_issuers_never_share_a_number(make_app: Callable[..., Flask]) -> None:
    application = make_app()
    day = date(2090, 1, random.randint(1, 28))
    issued: list[int] = []
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def issuer() -> None:
        try:
            start.wait()
            for _ in range(10):
                with application.app_context():
                    session = db.use_writer_session()
                    issued.append(next_sequence(session, day))
                    session.commit()
        except BaseException as error:  # reported below, with the thread's own error
            failures.append(error)

    threads = [threading.Thread(target=issuer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert not failures, failures
        assert sorted(issued) == list(range(1, 81))
    finally:
        with application.app_context():
            db.session.execute(delete(CaseDayCounter).where(CaseDayCounter.day == day))
            db.session.commit()


def test_seeding_adds_the_standard_types_once_and_keeps_what_administrators_changed(
    app_context: None,
) -> None:
    seed_case_types(db.session)
    codes = set(db.session.scalars(select(CaseType.code)))
    assert {seed.code for seed in SEEDS} <= codes
    meter = db.session.scalar(select(CaseType).where(CaseType.code == "meter-check"))
    assert meter is not None
    meter.working_days = 14
    db.session.flush()
    assert seed_case_types(db.session) == 0
    assert db.session.get(CaseType, meter.id).working_days == 14


def test_citizens_data_is_sealed_in_the_database(app_context: None, db_transaction: Connection) -> None:
    seed_case_types(db.session)
    office = db.session.scalars(select(Office)).first()
    kind = db.session.scalar(select(CaseType).where(CaseType.code == "complaint"))
    assert office is not None
    assert kind is not None
    number, sequence = issue_number(db.session, date(2031, 7, 1))
    case = Case(
        number=number,
        received_on=date(2031, 7, 1),
        sequence=sequence,
        password_hash="not-a-real-hash",
        type_id=kind.id,
        office_id=office.id,
        channel=Channel.WEB,
        subject="水壓太低",
        description="住在信義路三段的王大明家水壓很低",
        contact_name="王大明",
        contact_phone="0912-345-678",
        contact_email="daming@example.org",
        working_days=kind.working_days,
    )
    db.session.add(case)
    db.session.flush()
    stored = db.session.execute(
        text(
            "SELECT subject, description, contact_name, contact_phone, contact_email FROM citizen_case WHERE id = :id"
        ),
        {"id": case.id},
    ).one()
    for value, secret in zip(stored, ["水壓", "王大明", "王大明", "0912", "daming"], strict=True):
        assert value.startswith("s1.")
        assert secret not in value
    db.session.expire_all()
    again = db.session.get(Case, case.id)
    assert again is not None
    assert (again.contact_name, again.contact_phone) == ("王大明", "0912-345-678")
    assert again.case_type.code == "complaint"


@pytest.mark.parametrize("setting", ["", "k1:short"])
def test_a_site_with_malformed_keys_does_not_start(make_app: Callable[..., Flask], setting: str) -> None:
    with pytest.raises(ValueError, match="CASE_DATA_KEYS"):
        make_app(CASE_DATA_KEYS=setting or " , ")
