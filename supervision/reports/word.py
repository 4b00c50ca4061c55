"""The supervision report as a Word document (python-docx)."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from supervision.reports.content import ReportContent

# Word picks a font per script: the East Asian one must be named apart, or Chinese falls back
# to whatever the reader's Word chooses.
LATIN_FONT = "Calibri"
CHINESE_FONT = "Noto Sans CJK SC"


def _fonts(document) -> None:
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(10.5)
    properties = style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), CHINESE_FONT)


def write_docx(content: ReportContent) -> bytes:
    document = Document()
    _fonts(document)
    document.core_properties.title = content.title
    document.add_heading(content.title, level=0)
    document.add_paragraph(content.subtitle)
    for section in content.sections:
        document.add_heading(section.heading, level=section.level)
        for text in section.paragraphs:
            document.add_paragraph(text)
        if section.table is not None:
            table = document.add_table(rows=1, cols=len(section.table.header))
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = text
            for values in section.table.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, values, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
