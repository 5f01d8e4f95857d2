"""Disclosure files are ODF or PDF by their content: the rest refused with how to convert, PDFs opened, scans flagged."""

from __future__ import annotations

import pytest

from disclosure import file_checks
from disclosure.file_checks import DocumentFileError, clean_name, examine_document, join_ideographs
from portal.file_kinds import odf_media_type, recognise
from tests.disclosure import samples

MB = 1024 * 1024
TEXT = "臺灣自來水公司第一區管理處 停水公告：基隆市七堵區 水壓不足 Water supply notice 2026"


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return samples.pdf_with_text(TEXT, pages=2)


def refusal(data: bytes, name: str, max_bytes: int = 10 * MB) -> str:
    with pytest.raises(DocumentFileError) as refused:
        examine_document(data, name, max_bytes)
    return str(refused.value.message)


def test_a_text_document_is_accepted_with_its_words() -> None:
    checked = examine_document(samples.odt("停水公告", "基隆市七堵區 水壓不足"), "公告.odt", MB)
    assert checked.media_type == "application/vnd.oasis.opendocument.text"
    assert checked.editable
    assert checked.has_text
    assert checked.text == "停水公告\n基隆市七堵區 水壓不足"
    assert checked.pages is None


def test_a_spreadsheet_and_a_presentation_are_accepted() -> None:
    sheet = examine_document(samples.ods(("月份", "供水量"), ("一月", "1,234")), "統計.ODS", MB)
    assert sheet.media_type.endswith("spreadsheet")
    assert "供水量" in sheet.text
    assert "1,234" in sheet.text
    slides = examine_document(samples.odp(), "簡報.odp", MB)
    assert slides.media_type.endswith("presentation")
    assert slides.has_text is False  # an empty presentation has nothing to read


def test_a_pdf_is_accepted_with_its_pages_and_its_text_joined_as_written(text_pdf: bytes) -> None:
    checked = examine_document(text_pdf, "計畫.pdf", MB)
    assert checked.media_type == "application/pdf"
    assert not checked.editable
    assert checked.pages == 2
    assert checked.has_text
    # The PDF's letters come back one by one; words in Chinese are joined again for search.
    assert "臺灣自來水公司第一區管理處" in checked.text
    assert "水壓不足" in checked.text
    assert "Water supply notice" in checked.text
    assert "\x00" not in checked.text


def test_a_pdf_of_scanned_pages_is_accepted_and_flagged() -> None:
    checked = examine_document(samples.scanned_pdf(pages=3), "掃描.pdf", MB)
    assert checked.pages == 3
    assert checked.has_text is False


@pytest.mark.parametrize(
    ("folder", "words"),
    [("word/", "Word 文件（.docx）"), ("xl/", "Excel 試算表（.xlsx）"), ("ppt/", "PowerPoint 簡報（.pptx）")],
)
def test_office_open_xml_is_refused_saying_what_it_is_and_how_to_convert(folder: str, words: str) -> None:
    message = refusal(samples.ooxml(folder), "報告.odt")
    assert words in message
    for words_of_the_way in ("ODF", "PDF", "另存新檔"):
        assert words_of_the_way in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "舊版 Office 文件"),
        (b"<!doctype html><html><script>alert(1)</script></html>", "網頁"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG 圖片"),
        (b"PK\x03\x04" + b"\x00" * 60, "ZIP 壓縮檔"),
    ],
)
def test_other_formats_are_refused_saying_what_they_are(data: bytes, words: str) -> None:
    message = refusal(data, "檔案.pdf")
    assert words in message
    assert "不能公開" in message


def test_plain_text_is_refused_with_how_to_convert() -> None:
    message = refusal("純文字的公告".encode(), "公告.txt")
    assert "不是 ODF 或 PDF 檔案" in message
    assert ".odt" in message


def test_an_odf_drawing_is_refused_as_none_of_the_three_kinds() -> None:
    message = refusal(samples.odg(), "圖.odg")
    assert "不是文字文件、試算表或簡報" in message


def test_an_extension_that_lies_about_the_content_is_refused(text_pdf: bytes) -> None:
    assert "副檔名是 .pdf，內容卻是ODF 文件（.odt）" in refusal(samples.odt("標題"), "公告.pdf")
    assert "副檔名是 .odt，內容卻是PDF 文件" in refusal(text_pdf, "公告.odt")
    assert "副檔名是 .ods" in refusal(samples.odt("標題"), "公告.ods")
    assert "沒有副檔名" in refusal(text_pdf, "公告")


def test_an_encrypted_pdf_is_refused(text_pdf: bytes) -> None:
    assert "設有密碼或加密" in refusal(samples.encrypted_pdf(text_pdf), "加密.pdf")


@pytest.mark.parametrize("cut", [40, 400, 2000])
def test_a_broken_pdf_is_refused(text_pdf: bytes, cut: int) -> None:
    assert "已損壞或不完整" in refusal(text_pdf[:cut], "壞掉.pdf")


def test_a_pdf_without_pages_is_refused() -> None:
    empty = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
    message = refusal(empty, "空白.pdf")
    assert "沒有任何頁面" in message or "已損壞" in message


def test_broken_and_hostile_odf_packages_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "已損壞或不完整" in refusal(samples.odf_package("<office:document-content"), "壞掉.odt")
    no_content = samples.zipped({"mimetype": "application/vnd.oasis.opendocument.text"}, first="mimetype")
    assert "已損壞或不完整" in refusal(no_content, "空的.odt")
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<d xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><text:p>&b;</text:p></d>'
    )
    assert "已損壞或不完整" in refusal(samples.odf_package(bomb), "實體.odt")
    monkeypatch.setattr(file_checks, "MAX_UNPACKED", 1000)
    big = samples.odf_package("<d>" + "x" * 5000 + "</d>")
    assert "已損壞或不完整" in refusal(big, "大.odt")


def test_a_password_protected_odf_file_is_refused() -> None:
    manifest = "<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"
    message = refusal(samples.odf_package("<d/>", manifest=manifest), "密碼.odt")
    assert "設有密碼" in message


def test_sizes_are_checked_before_the_content() -> None:
    assert "是空的檔案" in refusal(b"", "空.pdf")
    message = refusal(b"%PDF-" + b"x" * (2 * MB), "大檔.pdf", max_bytes=MB)
    assert "太大（2.0 MB），每個檔案最多 1 MB" in message


def test_names_lose_folders_and_control_characters_and_keep_their_extension() -> None:
    assert clean_name("C:\\Users\\官員\\文件\\預算書.pdf") == "預算書.pdf"
    assert clean_name("../../etc/計畫\t書.odt") == "計畫 書.odt"
    long = clean_name("很" * 300 + ".pdf")
    assert len(long) == file_checks.NAME_MAX
    assert long.endswith(".pdf")


def test_ideographs_are_joined_but_words_in_latin_letters_keep_their_spaces() -> None:
    assert join_ideographs("停 水\n公 告 Water  supply 停\x00水") == "停水公告 Water  supply 停水"


def test_what_a_file_is_is_told_from_its_bytes() -> None:
    assert odf_media_type(samples.odt("x")) == "application/vnd.oasis.opendocument.text"
    assert odf_media_type(samples.ooxml("word/")) is None
    assert odf_media_type(b"PK\x03\x04") is None
    assert str(recognise(samples.odt("x"))) == "OpenDocument 文件"
    assert str(recognise(b"%PDF-1.7")) == "PDF 文件"
    assert recognise(b"\x00\x01\x02 nothing known") is None


# 420 different ideographs: past the 254th glyph of a font, pypdf reads other characters.
MANY_IDEOGRAPHS = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 1680, 4))


def test_a_long_chinese_pdf_is_read_whole_by_pdftotext() -> None:
    checked = examine_document(samples.pdf_with_text(MANY_IDEOGRAPHS), "長文.pdf", MB)
    assert MANY_IDEOGRAPHS in checked.text.replace("\n", "")


def test_without_pdftotext_the_text_is_read_with_pypdf_and_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, text_pdf: bytes
) -> None:
    from disclosure import pdf_text

    monkeypatch.setattr(pdf_text.shutil, "which", lambda _name: None)
    with caplog.at_level("WARNING", logger="disclosure.pdf_text"):
        checked = examine_document(text_pdf, "計畫.pdf", MB)
    assert "臺灣自來水公司第一區管理處" in checked.text
    assert "pdftotext (poppler-utils) is not installed" in caplog.text
