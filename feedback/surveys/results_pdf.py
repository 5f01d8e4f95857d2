"""A questionnaire's results summary as PDF: each question's chart and table, in Traditional Chinese.

Set in Noto Sans CJK TC, embedded as a subset (`PDF_FONT`), so that it prints and
`pdftotext` reads it anywhere. The charts are the same SVG the pages show
(`portal.charts.svg_for_pdf` sets them in the document's font).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from feedback.surveys.results import QuestionFigure
from portal.charts import svg_for_pdf
from portal.pdf_fonts import FootedA4

_MARGIN = 15
_CHART_WIDTH = 150


@dataclass(frozen=True)
class SummaryContent:
    """What the summary shows."""

    title: str
    subtitle: str
    figures: Sequence[QuestionFigure]
    footer: str


class _Document(FootedA4):
    def __init__(self, font_path: str, font_index: int, footer_text: str) -> None:
        super().__init__(font_path, font_index, footer_text, orientation="P", margin=_MARGIN, footer_y=-10)


def _table(pdf: _Document, figure: QuestionFigure) -> None:
    width = (pdf.w - 2 * _MARGIN) / max(1, len(figure.headers))
    pdf.set_font("body", style="B", size=9)
    for header in figure.headers:
        pdf.cell(width, 6, header, border="B")
    pdf.ln()
    pdf.set_font("body", size=9)
    for row in figure.rows:
        for index, cell in enumerate(row):
            pdf.cell(width, 6, cell, align="L" if index == 0 else "R")
        pdf.ln()


def summary_pdf(content: SummaryContent, *, font_path: str, font_index: int) -> bytes:
    """The summary as PDF bytes."""
    pdf = _Document(font_path, font_index, content.footer)
    pdf.add_page()
    pdf.set_font("body", style="B", size=16)
    pdf.multi_cell(0, 9, content.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=10)
    pdf.multi_cell(0, 6, content.subtitle, new_x="LMARGIN", new_y="NEXT")
    for figure in content.figures:
        pdf.ln(4)
        pdf.set_font("body", style="B", size=12)
        pdf.multi_cell(0, 7, figure.title, new_x="LMARGIN", new_y="NEXT")
        if figure.summary:
            pdf.set_font("body", size=9)
            pdf.multi_cell(0, 5, figure.summary, new_x="LMARGIN", new_y="NEXT")
        if figure.chart is not None:
            if pdf.get_y() > pdf.h - 90:
                pdf.add_page()
            pdf.image(io.BytesIO(svg_for_pdf(str(figure.chart))), x=_MARGIN, w=_CHART_WIDTH)
        _table(pdf, figure)
    return bytes(pdf.output())
