"""Case attachments: recognised by content, images cleaned of every metadata, bombs and broken PDFs refused, files sealed."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import LazyString
from PIL import Image
from sqlalchemy import text

from feedback.cases.attachment_checks import (
    AttachmentError,
    clean_image,
    clean_name,
    examine,
    recognise,
    sniff,
)
from feedback.cases.attachments import (
    AttachmentUnavailableError,
    attachments_folder,
    delete_attachments,
    file_path,
    read_attachment,
    send_attachment,
    store_attachment,
)
from feedback.cases.case_types import seed_case_types
from feedback.cases.deadlines import OfficeCalendar
from feedback.cases.intake import CaseDraft, IntakeKeys, open_case
from feedback.cases.models import Case, CaseAttachment
from feedback.cases.states import Channel
from portal.db import db
from tests.feedback.cases import files

MB = 1024 * 1024
KEYS = IntakeKeys("p" * 40, "e" * 40)
DAY = date(2039, 3, 1)
CALENDAR = OfficeCalendar({DAY + timedelta(n): False for n in range(60)})


def a_case() -> Case:
    seed_case_types(db.session)
    draft = CaseDraft(
        "complaint", "KL", Channel.PHONE, "水管破裂", "路口水管破裂", "陳怡君", contact_phone="02-1234-5678"
    )
    return open_case(
        db.session, draft, today=DAY, calendar=CALENDAR, keys=KEYS, needs_confirmation=False
    ).case


# --- what a file is -------------------------------------------------------------------------------


def test_types_are_told_by_content() -> None:
    assert sniff(files.photo_with_gps()) == "image/jpeg"
    assert sniff(files.plain_png()) == "image/png"
    assert sniff(files.webp_image()) == "image/webp"
    assert sniff(files.good_pdf()) == "application/pdf"
    assert sniff(files.windows_program()) is None
    assert sniff(b"GIF89a....") is None


def test_an_extension_that_lies_about_an_accepted_type_is_corrected() -> None:
    checked = examine(files.plain_png(), "照片.jpg", 10 * MB)
    assert (checked.media_type, checked.name) == ("image/png", "照片.png")
    pdf = examine(files.good_pdf(), "掃描.png", 10 * MB)
    assert (pdf.media_type, pdf.name) == ("application/pdf", "掃描.pdf")


def test_an_extension_that_lies_about_a_refused_type_names_what_it_really_is() -> None:
    with pytest.raises(AttachmentError) as refused:
        examine(files.windows_program(), "帳單.pdf", 10 * MB)
    assert "帳單.pdf" in str(refused.value)
    assert "Windows 程式" in str(refused.value)
    with pytest.raises(AttachmentError) as zipped:
        examine(b"PK\x03\x04" + b"\x00" * 50, "照片.jpg", 10 * MB)
    assert "ZIP" in str(zipped.value)
    assert "HEIC" in str(recognise(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 20))


def test_names_lose_folders_and_control_characters_and_keep_to_their_length() -> None:
    assert clean_name("C:\\Users\\王\\Desktop\\漏水.JPG", "image/jpeg") == "漏水.jpg"
    assert clean_name("../../etc/pass\nwd.jpeg", "image/jpeg") == "pass wd.jpeg"
    assert clean_name("報告.最終版", "application/pdf") == "報告.最終版.pdf"
    assert clean_name("", "image/png") == "attachment.png"
    long = clean_name("長" * 300 + ".pdf", "application/pdf")
    assert len(long) == 100
    assert long.endswith(".pdf")


# --- images ---------------------------------------------------------------------------------------


def test_exif_gps_and_comments_are_really_gone_and_the_photo_is_upright() -> None:
    original = files.photo_with_gps(width=40, height=20, orientation=6)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(files.GPS_IFD), "the test photo carries a position"
        assert b"12 Ai 3rd Rd" in original
    cleaned = examine(original, "IMG_0001.JPG", 10 * MB).data
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.format == "JPEG"
        assert dict(after.getexif()) == {}
        assert not after.getexif().get_ifd(files.GPS_IFD)
        assert not {"exif", "comment", "xmp", "icc_profile", "photoshop"} & set(after.info)
        assert after.size == (20, 40), "orientation 6 is applied before the tag goes"
        # The left half was blue; turned clockwise, it is now on top.
        red, _green, blue = after.convert("RGB").getpixel((10, 5))
        assert blue > 150
        assert red < 100
    for needle in (b"PhoneMaker", b"Phone 15", b"2026:11:26", b"12 Ai 3rd Rd", b"Exif"):
        assert needle not in cleaned


def test_png_text_chunks_and_exif_are_gone_and_transparency_stays() -> None:
    cleaned = examine(files.png_with_text(), "scan.png", 10 * MB).data
    assert b"Wang Xiaoming" not in cleaned
    assert b"ScannerMaker" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as after:
        assert after.mode == "RGBA"
        assert after.getpixel((0, 0))[3] == 128
        assert not set(after.info) - {"dpi", "gamma"}


def test_webp_is_taken_and_kept_as_webp() -> None:
    checked = examine(files.webp_image(), "a.webp", 10 * MB)
    assert checked.media_type == "image/webp"
    with Image.open(io.BytesIO(checked.data)) as after:
        assert after.format == "WEBP"


def test_a_decompression_bomb_is_refused_from_its_header_before_it_is_decoded() -> None:
    bomb = files.decompression_bomb()
    assert len(bomb) < 200 * 1024, "a small file"
    started = time.perf_counter()
    with pytest.raises(AttachmentError) as refused:
        examine(bomb, "bomb.png", 10 * MB)
    assert time.perf_counter() - started < 2, "refused without decoding 900 megapixels"
    assert "像素太多" in str(refused.value)


def test_pillows_own_bomb_check_is_caught_too() -> None:
    # Our check from the header is given a limit above Pillow's: Pillow's error is turned into ours.
    with pytest.raises(AttachmentError) as refused:
        clean_image(files.decompression_bomb(), "image/png", "bomb.png", max_pixels=10**12)
    assert "像素太多" in str(refused.value)


def test_a_truncated_image_is_refused_as_broken() -> None:
    with pytest.raises(AttachmentError) as refused:
        examine(files.photo_with_gps()[:300], "cut.jpg", 10 * MB)
    assert "損壞" in str(refused.value)


# --- PDFs and sizes -------------------------------------------------------------------------------


def test_a_pdf_that_opens_is_kept_as_sent() -> None:
    pdf = files.good_pdf(pages=2)
    assert examine(pdf, "申請書.pdf", 10 * MB).data == pdf


@pytest.mark.parametrize(
    ("data", "words"),
    [(files.broken_pdf(), "損壞"), (files.encrypted_pdf(), "密碼"), (b"%PDF-1.4\n%%EOF\n", "損壞")],
    ids=["broken", "encrypted", "empty"],
)
def test_broken_and_encrypted_pdfs_are_refused_with_the_reason(data: bytes, words: str) -> None:
    with pytest.raises(AttachmentError) as refused:
        examine(data, "文件.pdf", 10 * MB)
    assert words in str(refused.value)


def test_a_file_over_the_limit_or_empty_is_refused() -> None:
    with pytest.raises(AttachmentError) as large:
        examine(b"\xff\xd8\xff" + b"\x00" * (2 * MB), "big.jpg", MB)
    assert "每個檔案最多 1 MB" in str(large.value)
    with pytest.raises(AttachmentError) as empty:
        examine(b"", "nothing.pdf", MB)
    assert "空的檔案" in str(empty.value)


def test_messages_are_translated_when_shown_not_when_made() -> None:
    with pytest.raises(AttachmentError) as refused:
        examine(files.windows_program(), "bill.pdf", MB)
    assert isinstance(refused.value.message, LazyString), "shown in the language of the page that shows it"


# --- storage --------------------------------------------------------------------------------------


def test_a_stored_file_is_sealed_in_private_storage_and_reads_back(app: Flask, app_context: None) -> None:
    case = a_case()
    pdf = files.good_pdf()
    stored = store_attachment(db.session, case, pdf, "申請書.pdf", from_citizen=True)
    db.session.commit()
    path = file_path(stored.storage_key)
    assert path.is_file()
    assert attachments_folder() == Path(app.config["STORAGE_PATH"]) / "private" / "case-attachments"
    assert path.stat().st_mode & 0o077 == 0, "readable by its owner only"
    raw = path.read_bytes()
    assert b"%PDF" not in raw
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (stored.media_type, stored.size, stored.name) == ("application/pdf", len(pdf), "申請書.pdf")
    assert read_attachment(stored) == pdf
    raw_name = db.session.execute(
        text("SELECT name FROM case_attachment WHERE id = :id"), {"id": stored.id}
    ).scalar_one()
    assert "申請書" not in raw_name, "the name is sealed too"


def test_an_altered_or_swapped_file_does_not_open(app_context: None) -> None:
    case = a_case()
    first = store_attachment(db.session, case, files.good_pdf(), "a.pdf", from_citizen=True)
    second = store_attachment(db.session, case, files.plain_png(), "b.png", from_citizen=True)
    db.session.commit()
    swapped = file_path(second.storage_key).read_bytes()
    file_path(first.storage_key).write_bytes(swapped)
    with pytest.raises(AttachmentUnavailableError):
        read_attachment(first)
    damaged = bytearray(swapped)
    damaged[-1] ^= 1
    file_path(second.storage_key).write_bytes(bytes(damaged))
    with pytest.raises(AttachmentUnavailableError):
        read_attachment(second)


def test_a_refused_file_stores_nothing_and_a_rollback_removes_what_was_written(app_context: None) -> None:
    case = a_case()
    before = set(attachments_folder().rglob("*")) if attachments_folder().exists() else set()
    with pytest.raises(AttachmentError):
        store_attachment(db.session, case, files.windows_program(), "x.pdf", from_citizen=True)
    kept = store_attachment(db.session, case, files.plain_png(), "ok.png", from_citizen=True)
    path = file_path(kept.storage_key)
    assert path.is_file()
    db.session.rollback()
    assert not path.exists(), "the file of a transaction rolled back is removed"
    after = {item for item in attachments_folder().rglob("*") if item.is_file()}
    assert after <= before


def test_deleted_attachments_lose_their_files_only_once_committed(app_context: None) -> None:
    case = a_case()
    stored = store_attachment(db.session, case, files.plain_png(), "ok.png", from_citizen=True)
    db.session.commit()
    path = file_path(stored.storage_key)
    delete_attachments(db.session, [stored])
    db.session.rollback()
    assert path.is_file(), "a deletion rolled back keeps the file"
    again = db.session.get(CaseAttachment, stored.id)
    assert again is not None
    delete_attachments(db.session, [again])
    db.session.commit()
    assert not path.exists()


def test_sending_a_file_never_caches_it_and_names_it_cleanly(app: Flask, app_context: None) -> None:
    case = a_case()
    pdf = store_attachment(db.session, case, files.good_pdf(), "申請書\n第二頁.pdf", from_citizen=True)
    image = store_attachment(db.session, case, files.plain_png(), "photo.jpg", from_citizen=True)
    db.session.commit()
    with app.test_request_context("/cases/status/attachments/1"):
        response = send_attachment(pdf)
        assert response.mimetype == "application/pdf"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "\n" not in disposition
        assert response.get_data() == files.good_pdf() or response.get_data().startswith(b"%PDF")
        shown = send_attachment(image)
        assert shown.mimetype == "image/png"
        assert shown.headers["Content-Disposition"].startswith('inline; filename="photo.png"')


def test_the_private_folder_is_not_reachable_through_the_site(app: Flask, app_context: None) -> None:
    case = a_case()
    stored = store_attachment(db.session, case, files.plain_png(), "ok.png", from_citizen=True)
    db.session.commit()
    client = app.test_client()
    for url in (
        f"/static/../private/case-attachments/{stored.storage_key[:2]}/{stored.storage_key}",
        f"/storage/private/case-attachments/{stored.storage_key[:2]}/{stored.storage_key}",
        f"/cases/status/attachments/{stored.id}",
    ):
        response = client.get(url)
        assert response.status_code in {303, 404}, url
        assert files.plain_png() not in response.get_data()
