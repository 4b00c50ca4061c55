"""The leaders' overview and its report: thin views over supervision/overview.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import can_see_overview
from supervision.forms_overview import period_from
from supervision.overview import SORTS, Period, overview_for, sorted_rows
from supervision.reports import PdfUnavailableError, report_docx, report_filename, report_pdf
from workplan.models import today

# The task list's filters behind each figure of a department's row (workplan/filters.py).
FIGURE_FILTERS = {
    "tasks": {},
    "on_time": {"timeliness": "on_time"},
    "overdue": {"urgency": "overdue"},
    "days_late": {"timeliness": "late"},
    "extensions": {"extended": "on"},
}


def task_links(period: Period, **scope) -> dict[str, str]:
    """Return the task list's URL for each figure of a row (`scope`: lead=..., area=...)."""
    base = reverse("workplan:task_list")
    dates = {"due_after": period.start.isoformat(), "due_before": period.end.isoformat()}
    return {
        name: f"{base}?{urlencode({**scope, **dates, **extra})}"
        for name, extra in FIGURE_FILTERS.items()
    }


def _check(request):
    if not can_see_overview(request.user):
        raise Http404


@require_GET
def overview(request):
    _check(request)
    form, period = period_from(request.GET, on=today())
    board = overview_for(request.user, period)
    sort = request.GET.get("sort", "rank")
    if sort.lstrip("-") not in SORTS:
        sort = "rank"
    for row in board.departments:
        row.links = task_links(period, lead=row.department.pk)
    for row in board.areas:
        row.links = task_links(period, area=row.area.pk)
    period_query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if period.kind != "custom":
        period_query = {"period": period.kind}
    return render(
        request,
        "supervision/overview.html",
        {
            "form": form,
            "board": board,
            "period": period,
            "departments": sorted_rows(board.departments, sort),
            "sort": sort,
            "period_query": urlencode(period_query),
            "sort_columns": list(SORTS),
            "totals_links": task_links(period),
        },
        status=400 if form.errors else 200,
    )


def _report(request, build, content_type: str, extension: str):
    _check(request)
    form, period = period_from(request.GET, on=today())
    if form.errors:
        errors = " ".join(str(message) for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    body = build(request.user, period)
    response = HttpResponse(body, content_type=content_type)
    name = report_filename(period, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def report_docx_view(request):
    return _report(
        request,
        report_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    )


@require_GET
def report_pdf_view(request):
    try:
        return _report(request, report_pdf, "application/pdf", "pdf")
    except PdfUnavailableError as error:
        message = _(
            "The PDF cannot be made on this server: %(error)s. Install WeasyPrint's system "
            "libraries (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "fonts-noto-cjk); the .docx report works without them."
        ) % {"error": error}
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
