"""The printable receipt of a case taken at the counter, on the phone or from a letter (PDF, A5).

In Traditional Chinese with the English beside it, set in Noto Sans CJK TC embedded as a
subset (`PDF_FONT`), so that it prints and `pdftotext` reads it anywhere. It carries the
case number, the case password, the type, the office, the day of receipt and the due
date in ROC dates, as Taiwanese receipts do, and a QR code (drawn as vector squares) that
opens the lookup page with the number filled in. The password is only known when the
case is opened, so the receipt is made then, from `ReceiptContent`, and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import segno
from fpdf import FPDF

from portal.pdf_fonts import add_body_fonts

_MARGIN = 12
_QR_SIZE_MM = 34


@dataclass(frozen=True)
class ReceiptContent:
    """What a receipt shows."""

    agency: str
    office: str
    office_phone: str
    number: str
    password: str
    type_name: str
    channel: str
    received: date
    due: date | None
    lookup_url: str


def _row(pdf: FPDF, label: str, value: str, *, size: float = 11, bold: bool = False) -> None:
    pdf.set_font("body", size=9)
    pdf.cell(38, 7, label)
    pdf.set_font("body", style="B" if bold else "", size=size)
    pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    """The lookup link as a QR code of filled squares, with its quiet zone left white."""
    matrix = segno.make(url, error="m").matrix
    module = _QR_SIZE_MM / (len(matrix) + 8)
    pdf.set_fill_color(0, 0, 0)
    for row_number, row in enumerate(matrix):
        for column_number, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + (column_number + 4) * module, y + (row_number + 4) * module, module, module, style="F"
                )


def receipt_pdf(content: ReceiptContent, *, font_path: str, font_index: int) -> bytes:
    """The receipt as PDF bytes."""
    pdf = FPDF(orientation="P", unit="mm", format=(148, 210))  # A5
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"案件收件回執 {content.number}")
    pdf.set_lang("zh-Hant-TW")
    add_body_fonts(pdf, font_path, font_index)
    pdf.add_page()
    pdf.set_font("body", size=10)
    pdf.cell(0, 6, content.agency, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", style="B", size=16)
    pdf.cell(0, 10, "案件收件回執  Case receipt", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _row(pdf, "案件編號 Case number", content.number, size=15, bold=True)
    _row(pdf, "案件密碼 Password", content.password, size=15, bold=True)
    _row(pdf, "類別 Type", content.type_name)
    _row(pdf, "承辦單位 Office", content.office)
    _row(pdf, "受理方式 Channel", content.channel)
    _row(pdf, "收件日期 Received", f"{roc_date_words(content.received)}（{content.received.isoformat()}）")
    due = (
        f"{roc_date_words(content.due)}（{content.due.isoformat()}）"
        if content.due
        else "依辦公日曆計算後通知"
    )
    _row(pdf, "預定完成 Due by", due)
    pdf.ln(3)
    top = pdf.get_y()
    _qr(pdf, content.lookup_url, pdf.w - _MARGIN - _QR_SIZE_MM, top)
    pdf.set_font("body", size=9)
    text_width = pdf.w - 2 * _MARGIN - _QR_SIZE_MM - 4
    lines = [
        "掃描右方條碼或前往以下網址，輸入案件密碼即可查詢處理進度：",
        content.lookup_url,
        "Scan the code or open the address above and type the password to follow your case.",
        "請妥善保管案件密碼；本公司人員不會向您索取密碼。",
        f"洽詢電話 Phone: {content.office_phone or '1910'}",
    ]
    for line in lines:
        pdf.multi_cell(text_width, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def roc_date_words(day: date) -> str:
    """民國115年12月2日: the ROC date as receipts write it."""
    return f"民國{day.year - 1911}年{day.month}月{day.day}日"
