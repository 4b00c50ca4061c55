"""Urge notices in the portal: send from a task's page, acknowledge and reply, follow them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supervision.forms.urges import UrgeForm, UrgeReplyForm
from supervision.models import UrgeNotice, UrgeRecipient
from supervision.permissions import (
    can_answer_urge,
    can_follow_notice,
    can_urge_at_all,
    can_urge_task,
)
from supervision.selectors.urges import (
    notice_detail,
    notices_sent_by,
    urge_row_for,
    urges_received_by,
)
from supervision.services import urge_acknowledge, urge_reply, urge_send
from supervision.views.common import back_to, page_of
from workplan.permissions import can_view_task
from workplan.selectors import task_for_report


def _task_url(task) -> str:
    return reverse("workplan:task_detail", args=[task.pk])


@require_http_methods(["GET", "POST"])
def task_urge(request, pk):
    task = get_object_or_404(task_for_report(request.user).select_related("area", "owner"), pk=pk)
    if not can_urge_task(request.user, task):
        raise PermissionDenied(_("You may view this task but not urge it."))
    form = UrgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            urge_send(sender=request.user, tasks=[task], message=form.cleaned_data["message"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The urge notice is sent to the task's owner."))
            return back_to(request, _task_url(task))
    return render(request, "supervision/urge_form.html", {"task": task, "form": form})


@require_GET
def urge_list(request):
    user = request.user
    if can_urge_at_all(user):
        return render(
            request,
            "supervision/urge_list_sent.html",
            {"page": page_of(request, notices_sent_by(user))},
        )
    return render(
        request,
        "supervision/urge_list_received.html",
        {"page": page_of(request, urges_received_by(user)), "reply_form": UrgeReplyForm()},
    )


@require_GET
def urge_detail(request, pk):
    try:
        notice = notice_detail(pk)
    except UrgeNotice.DoesNotExist:
        raise Http404 from None
    if not can_follow_notice(request.user, notice):
        raise Http404
    return render(request, "supervision/urge_detail.html", {"notice": notice})


def _row_to_answer(request, pk) -> UrgeRecipient:
    """Return the row; 404 unless the user may see its task, 403 unless it was sent to them."""
    try:
        row = urge_row_for(pk)
    except UrgeRecipient.DoesNotExist:
        raise Http404 from None
    if can_answer_urge(request.user, row):
        return row
    if can_follow_notice(request.user, row.notice) or can_view_task(request.user, row.task):
        raise PermissionDenied(_("Only the person this notice was sent to can answer it."))
    raise Http404


@require_POST
def urge_acknowledge_view(request, pk):
    row = _row_to_answer(request, pk)
    urge_acknowledge(row=row, user=request.user)
    messages.success(request, _("You acknowledged the urge notice. Reply once you have acted."))
    return back_to(request, _task_url(row.task))


@require_http_methods(["GET", "POST"])
def urge_reply_view(request, pk):
    row = _row_to_answer(request, pk)
    form = UrgeReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            urge_reply(row=row, user=request.user, reply=form.cleaned_data["reply"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply is sent to the sender of the notice."))
            return back_to(request, _task_url(row.task))
    return render(
        request, "supervision/urge_reply_form.html", {"row": row, "task": row.task, "form": form}
    )
