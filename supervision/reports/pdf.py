"""The supervision report as a PDF: an HTML template rendered by WeasyPrint.

WeasyPrint needs Pango (a system library) and finds fonts through fontconfig; the Chinese text
is set in Noto Sans CJK SC (Debian: fonts-noto-cjk). Without Pango, importing WeasyPrint fails
with OSError: `write_pdf` raises PdfUnavailableError, and the page says what to install.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language

from supervision.reports.content import ReportContent


class PdfUnavailableError(Exception):
    """The PDF cannot be made here: a system library WeasyPrint needs is missing."""


def write_pdf(content: ReportContent) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise PdfUnavailableError(str(error)) from error
    html = render_to_string(
        "supervision/overview_report_pdf.html",
        {"content": content, "language": get_language()},
    )
    # The styles are a static file, as the pages' are: no template carries a <style> element.
    stylesheet = weasyprint.CSS(filename=finders.find("css/report-pdf.css"))
    # Column widths are the <col width> attributes (presentational hints), not inline styles.
    return weasyprint.HTML(string=html).write_pdf(
        stylesheets=[stylesheet], presentational_hints=True
    )
