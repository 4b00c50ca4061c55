"""The supervision report (督查通报): one content, two files (.docx and .pdf)."""

from __future__ import annotations

from supervision.overview import Period
from supervision.reports.content import ReportContent, report_content
from supervision.reports.pdf import PdfUnavailableError, write_pdf
from supervision.reports.word import write_docx

__all__ = [
    "PdfUnavailableError",
    "ReportContent",
    "report_content",
    "report_docx",
    "report_filename",
    "report_pdf",
]


def report_docx(user, period: Period) -> bytes:
    return write_docx(report_content(user, period))


def report_pdf(user, period: Period) -> bytes:
    return write_pdf(report_content(user, period))


def report_filename(period: Period, extension: str) -> str:
    return (
        f"etown-supervision-report-{period.start.isoformat()}-{period.end.isoformat()}.{extension}"
    )
