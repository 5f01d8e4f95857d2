"""The body font of every generated PDF: Noto Sans CJK TC (`PDF_FONT`), regular and bold, embedded as subsets."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF


def add_body_fonts(pdf: FPDF, font_path: str, font_index: int) -> None:
    """Add the family "body" to `pdf`: the font file's regular face, and its bold face when installed beside it."""
    pdf.add_font("body", fname=font_path, collection_font_number=font_index)
    bold = font_path.replace("Regular", "Bold")
    pdf.add_font(
        "body", style="B", fname=bold if Path(bold).exists() else font_path, collection_font_number=font_index
    )


class FootedA4(FPDF):
    """An A4 document in the body font, with one footer line: a text and the page number."""

    def __init__(
        self,
        font_path: str,
        font_index: int,
        footer_text: str,
        *,
        orientation: str,
        margin: float,
        footer_y: float,
    ) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = footer_text
        self.footer_y = footer_y
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(auto=True, margin=margin)
        add_body_fonts(self, font_path, font_index)
        self.set_font("body", size=10)

    def footer(self) -> None:
        """The footer text and the page number, centred."""
        self.set_y(self.footer_y)
        self.set_font("body", size=7)
        self.cell(0, 4, f"{self.footer_text}    {self.page_no()}", align="C")
