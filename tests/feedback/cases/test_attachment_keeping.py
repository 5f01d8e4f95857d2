"""Attachments over time: key rotation seals the files again, purging and discarding delete them, sealed bytes hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from feedback.cases import handling
from feedback.cases.attachments import file_path, read_attachment, store_attachment
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.keys import key_ring
from feedback.cases.models import Case, CaseAttachment
from feedback.cases.retention import discard_unconfirmed, purge_closed
from feedback.cases.sealing import KeyRing, SealError
from feedback.cases.states import CaseState, Channel
from portal.db import db, utcnow
from tests.feedback.cases import files

OLD = "old:" + "o" * 40
NEW = "new:" + "n" * 40
KEYS = IntakeKeys("p" * 40, "e" * 40)
DAY = date(2040, 5, 2)
CALENDAR = OfficeCalendar({DAY + timedelta(n): False for n in range(60)})


# --- sealed bytes ---------------------------------------------------------------------------------


@given(st.binary(max_size=2000), st.binary(max_size=40))
def test_any_bytes_round_trip_bound_to_their_context(data: bytes, context: bytes) -> None:
    ring = KeyRing.parse(NEW)
    sealed = ring.seal_bytes(data, context)
    assert ring.open_bytes(sealed, context) == data
    assert ring.key_of_bytes(sealed) == "new"


def test_sealed_bytes_open_only_with_their_key_and_context_and_unaltered() -> None:
    ring = KeyRing.parse(NEW)
    sealed = ring.seal_bytes(b"%PDF-1.7 secret", b"key-a")
    assert b"secret" not in sealed
    with pytest.raises(SealError):
        ring.open_bytes(sealed, b"key-b")
    altered = bytearray(sealed)
    altered[-3] ^= 0x40
    with pytest.raises(SealError):
        ring.open_bytes(bytes(altered), b"key-a")
    with pytest.raises(SealError):
        KeyRing.parse(OLD).open_bytes(sealed, b"key-a")
    with pytest.raises(SealError):
        ring.open_bytes(b"not sealed at all", b"key-a")
    rotated = KeyRing.parse(f"{OLD},{NEW}")
    assert rotated.open_bytes(sealed, b"key-a") == b"%PDF-1.7 secret"
    assert rotated.key_of_bytes(rotated.seal_bytes(b"x")) == "old"


def test_a_text_sealed_value_cannot_pass_for_sealed_bytes() -> None:
    ring = KeyRing.parse(NEW)
    with pytest.raises(SealError):
        ring.open_bytes(ring.seal("文字").encode())


# --- rotation -------------------------------------------------------------------------------------


@pytest.fixture
def keyed_app(bound_app: Callable[..., Flask], tmp_path: Path) -> Callable[[str], Flask]:
    """Applications with the given CASE_DATA_KEYS, on the test's transaction and one storage folder."""
    return lambda keys: bound_app(CASE_DATA_KEYS=keys, STORAGE_PATH=str(tmp_path / "storage"))


def case_with_file(application: Flask) -> tuple[int, str]:
    with application.app_context():
        seed_case_types(db.session)
        draft = CaseDraft(
            "inquiry", "KL", Channel.PHONE, "帳單", "三月帳單", "林美玲", contact_phone="02-2345-6789"
        )
        case = open_case(
            db.session, draft, today=DAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=False
        ).case
        stored = store_attachment(db.session, case, files.good_pdf(), "帳單照片.pdf", from_citizen=True)
        db.session.commit()
        return stored.id, stored.storage_key


def test_resealing_moves_attachment_files_and_names_to_the_new_key(
    app: Flask, keyed_app: Callable[[str], Flask]
) -> None:
    before = keyed_app(OLD)
    attachment_id, storage_key = case_with_file(before)
    with before.app_context():
        assert key_ring().key_of_bytes(file_path(storage_key).read_bytes()) == "old"
    rotating = keyed_app(f"{NEW},{OLD},{app.config['CASE_DATA_KEYS']}")
    runner = rotating.test_cli_runner()
    result = runner.invoke(args=["cases", "reseal"])
    assert result.exit_code == 0, result.output
    assert "1 attachment files sealed again with key new" in result.output
    again = runner.invoke(args=["cases", "reseal"])
    assert "0 attachment files sealed again" in again.output
    after = keyed_app(NEW)
    with after.app_context():
        raw_name = db.session.execute(
            text("SELECT name FROM case_attachment WHERE id = :id"), {"id": attachment_id}
        ).scalar_one()
        assert raw_name.split(".")[1] == "new"
        attachment = db.session.get(CaseAttachment, attachment_id)
        assert attachment is not None
        assert attachment.name == "帳單照片.pdf"
        assert read_attachment(attachment) == files.good_pdf()
        assert key_ring().key_of_bytes(file_path(storage_key).read_bytes()) == "new"


# --- retention ------------------------------------------------------------------------------------


def test_purging_a_closed_case_deletes_its_attachments_and_their_files(app_context: None) -> None:
    seed_case_types(db.session)
    draft = CaseDraft(
        "complaint", "KL", Channel.PHONE, "水管", "水管破了", "蔡宗翰", contact_phone="0922-333-444"
    )
    case = open_case(
        db.session, draft, today=DAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=False
    ).case
    stored = store_attachment(db.session, case, files.plain_png(), "現場.png", from_citizen=True)
    closed_at = utcnow()
    handling.move(case, CaseState.CLOSED, calendar=CALENDAR, now=closed_at, staff_id=None)
    db.session.commit()
    path = file_path(stored.storage_key)
    assert path.is_file()
    later = closed_at + timedelta(days=365 * 5 + 3)
    assert purge_closed(db.session, later, years=5) >= 1
    assert path.is_file(), "the file stays until the purge is committed"
    db.session.commit()
    assert not path.exists()
    assert db.session.scalar(select(CaseAttachment).where(CaseAttachment.case_id == case.id)) is None


def test_discarding_an_unconfirmed_web_case_deletes_its_files(app_context: None) -> None:
    seed_case_types(db.session)
    draft = CaseDraft(
        "complaint", "KL", Channel.WEB, "停水", "停水沒公告", "蔡宗翰", contact_email="tsai@example.org"
    )
    case = open_case(db.session, draft, today=DAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=True).case
    stored = store_attachment(db.session, case, files.good_pdf(), "公告.pdf", from_citizen=True)
    case.created_at = utcnow() - timedelta(days=4)
    db.session.commit()
    path = file_path(stored.storage_key)
    assert discard_unconfirmed(db.session, utcnow()) >= 1
    db.session.commit()
    assert db.session.get(Case, case.id) is None
    assert not path.exists()
