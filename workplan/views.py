import datetime

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from workplan.forms import ProgressReportForm
from workplan.marks import mark_notes
from workplan.models import Evidence, Task
from workplan.panels import dashboard_panels, task_panels
from workplan.permissions import can_report_on_task, can_view_task, visible_tasks_among_few
from workplan.selectors import (
    calendar_tasks_for,
    dashboard_for,
    evidence_for_download,
    subtasks_for,
    task_detail_for,
    task_filter_for,
    task_for_report,
    task_page,
)
from workplan.services import TaskChangedError, task_report_progress
from workplan.urgency import Urgency, urgency_window

TASKS_PER_PAGE = 25


@require_GET
def dashboard(request):
    board = dashboard_for(request.user)
    return render(
        request,
        "workplan/dashboard.html",
        {
            "board": board,
            "tasks": board.tasks,
            "due_soon_days": settings.REMINDER_DUE_SOON_DAYS,
            "panels": dashboard_panels(request),
        },
    )


@require_GET
def task_list(request):
    task_filter = task_filter_for(request.user, request.GET, window=urgency_window())
    page = task_page(task_filter, request.user, request.GET.get("page"), TASKS_PER_PAGE)
    return render(
        request,
        "workplan/task_list.html",
        {
            "filter": task_filter,
            "page": page,
            "tasks": page.object_list,
            "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


def _report_form(request, task, data=None, files=None):
    pending_progress = getattr(task, "pending_progress", None)
    return ProgressReportForm(
        data,
        files,
        initial={
            "progress": pending_progress if pending_progress is not None else task.progress,
            "status": getattr(task, "pending_status", None) or task.status,
            "version": task.version,
        },
        max_size_label=filesizeformat(settings.EVIDENCE_MAX_BYTES),
    )


@require_http_methods(["GET", "POST"])
def task_detail(request, pk):
    if request.method == "POST":
        conflict = None
        # A report needs the task alone; the page's timeline and sub-tasks are read only if
        # the page is shown again (a refused or conflicting report).
        task = get_object_or_404(task_for_report(request.user), pk=pk)
        if not can_report_on_task(request.user, task):
            raise PermissionDenied(_("You may view this task but not report on it."))
        form = _report_form(request, task, request.POST, request.FILES)
        if form.is_valid():
            try:
                task_report_progress(
                    task=task,
                    author=request.user,
                    progress=form.cleaned_data["progress"],
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                    evidence=form.cleaned_data["evidence"],
                )
            except TaskChangedError as error:
                conflict = error
                data = request.POST.copy()
                data["version"] = str(error.task.version)
                form = _report_form(request, task, data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your report is saved and awaits your supervisor's review."),
                )
                return redirect("workplan:task_detail", pk=task.pk)
        # A browser cannot refill a file input: name the files so none is forgotten.
        files_dropped = [upload.name for upload in request.FILES.getlist("evidence")]
        return task_page_response(
            request, pk, form=form, conflict=conflict, files_dropped=files_dropped
        )
    return task_page_response(request, pk)


def task_page_response(
    request,
    pk,
    *,
    form=None,
    conflict=None,
    files_dropped=(),
    extra_context: dict | None = None,
):
    """Render task `pk`'s page for `request.user` (404 if they may not see it).

    `form` is a refused report to show again; `extra_context` carries what another form on the
    page (an extension request) brings back to be shown with its errors.
    """
    window = urgency_window()  # one for the task and its sub-tasks
    try:
        task = task_detail_for(request.user, pk, window=window)
    except Task.DoesNotExist:
        raise Http404 from None
    may_report = can_report_on_task(request.user, task)
    # The parent is named only to someone who may open it: its title is as private as its page.
    parent = None
    if task.parent_id is not None and (
        visible_tasks_among_few(request.user, Task.objects.filter(pk=task.parent_id)).exists()
    ):
        parent = task.parent
    if form is None and may_report:
        form = _report_form(request, task)
    return render(
        request,
        "workplan/task_detail.html",
        {
            "task": task,
            "parent": parent,
            "form": form,
            "may_report": may_report,
            "conflict": conflict,
            "files_dropped": list(files_dropped),
            "subtasks": subtasks_for(request.user, task, window=window),
            "reports": task.reports.all(),
            "mark_notes": mark_notes(task, on=window.today),
            "panels": task_panels(request, task),
            **(extra_context or {}),
        },
        status=409 if conflict else 200,
    )


@require_GET
def evidence_download(request, pk):
    try:
        evidence = evidence_for_download(pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    if not can_view_task(request.user, evidence.report.task):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The summary of a deadline in the calendar feed, by the task's urgency.
CALENDAR_SUMMARIES = {
    Urgency.OVERDUE: gettext_lazy("Overdue: %(task)s"),
    Urgency.DUE_SOON: gettext_lazy("Due soon: %(task)s"),
    Urgency.ON_TRACK: gettext_lazy("Due: %(task)s"),
    Urgency.DONE: gettext_lazy("Done: %(task)s"),
}


def _calendar(user, request) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Beijing E-Town//Work plan portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("E-Town work plan: my deadlines"))
    stamp = timezone.now()
    host = request.get_host().split(":")[0]
    window = urgency_window()
    for task in calendar_tasks_for(user):
        urgency = window.of_task(task)
        event = icalendar.Event()
        event.add("uid", f"task-{task.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.due_date)
        event.add("dtend", task.due_date + datetime.timedelta(days=1))
        event.add("summary", CALENDAR_SUMMARIES[urgency] % {"task": task})
        event.add("categories", [str(urgency.label)])
        event.add("description", f"{task.area}\n{task.progress} %\n{task.description}".strip())
        event.add(
            "url", request.build_absolute_uri(reverse("workplan:task_detail", args=[task.pk]))
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@login_not_required
@require_GET
def calendar_feed(request, token):
    """Serve a user's deadlines as iCalendar; the secret token in the URL stands for sign-in."""
    user = get_user_model().objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    # A calendar app fetches this, not the person: write it in the person's language.
    with translation.override(user.preferred_language or translation.get_language()):
        body = _calendar(user, request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="etown-deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
