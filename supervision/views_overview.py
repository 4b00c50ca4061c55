"""The leaders' overview and its report: thin views over supervision/overview.py."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can_see_overview
from supervision.forms_overview import period_from
from supervision.overview import SORTS, Period, overview_for, sorted_rows
from supervision.reports import PdfUnavailableError, report_docx, report_filename, report_pdf
from supervision.services.overview_reports import (
    REPORT_FORMATS,
    JobState,
    report_job_file,
    report_job_for,
    report_job_start,
)
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
    # Plain ids and ISO dates: nothing to quote (200 rows of five links each).
    query = "&".join(
        [*(f"{name}={value}" for name, value in scope.items()),
         f"due_after={period.start.isoformat()}", f"due_before={period.end.isoformat()}"]
    )  # fmt: skip
    return {
        name: f"{base}?{query}" + "".join(f"&{key}={value}" for key, value in extra.items())
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
    missing = reverse("workplan:task_list")
    for row in board.departments:
        row.links = task_links(period, lead=row.department.pk)
        # No filter lists the deadlines behind "reports on time"; the task list's "report
        # missing" mark lists the department's tasks whose report is missing today.
        row.links["report_missing"] = f"{missing}?lead={row.department.pk}&report_missing=on"
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
    )


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _attachment(body: bytes, period: Period, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[extension])
    name = report_filename(period, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _report(request, build, content_type: str, extension: str):
    _check(request)
    form, period = period_from(request.GET, on=today())
    if form.errors:
        errors = " ".join(str(message) for messages in form.errors.values() for message in messages)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    return _attachment(build(request.user, period), period, extension)


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


# The page's way to a report: a job (a year's PDF takes seconds), its state polled by
# static/js/overview.js, which shows the progress and then downloads the file. The GET links
# above stay for readers without scripts.


@require_POST
def report_job_start_view(request):
    _check(request)
    form, period = period_from(request.POST, on=today())
    extension = request.POST.get("format", "")
    if form.errors or extension not in REPORT_FORMATS:
        errors = [str(message) for messages in form.errors.values() for message in messages]
        return JsonResponse({"errors": errors or [_("Choose .docx or .pdf.")]}, status=400)
    job_id = report_job_start(user=request.user, period=period, extension=extension)
    status_url = reverse("supervision:overview_report_status", args=[job_id])
    return JsonResponse({"job": job_id, "status_url": status_url}, status=202)


@require_GET
def report_job_status_view(request, job_id):
    _check(request)
    job = report_job_for(user=request.user, job_id=job_id)
    if job is None:
        raise Http404
    answer = {"state": job["state"]}
    if job["state"] == JobState.READY:
        answer["download_url"] = reverse("supervision:overview_report_file", args=[job_id])
    if job["state"] == JobState.FAILED:
        answer["error"] = _("The report could not be made: %(error)s") % {"error": job["error"]}
    return JsonResponse(answer)


@require_GET
def report_job_file_view(request, job_id):
    _check(request)
    found = report_job_file(user=request.user, job_id=job_id)
    if found is None:
        raise Http404
    job, body = found
    period = Period(
        datetime.date.fromisoformat(job["start"]), datetime.date.fromisoformat(job["end"])
    )
    return _attachment(body, period, job["extension"])
