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
