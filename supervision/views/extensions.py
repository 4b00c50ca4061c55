"""Asking for an extension from the task page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.forms.extensions import ExtensionRequestForm
from supervision.services.extensions import (
    extension_request_create,
    extension_request_withdraw,
)
from workplan.permissions import can_report_on_task
from workplan.selectors import task_for_report
from workplan.views import task_page_response


@require_POST
def extension_request_create_view(request, pk):
    # A task the user may not see is missing; one they may see but not report on is refused.
    task = get_object_or_404(task_for_report(request.user), pk=pk)
    if not can_report_on_task(request.user, task):
        raise PermissionDenied(
            _("Only the task's owner or its lead department may ask for more time.")
        )
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            extension_request_create(
                task=task,
                user=request.user,
                new_due_date=form.cleaned_data["new_due_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your extension request is sent; the supervisor will decide on it.")
            )
            return redirect("workplan:task_detail", pk=task.pk)
    return task_page_response(request, task.pk, extra_context={"extension_form": form})


@require_POST
def extension_request_withdraw_view(request, pk):
    task = get_object_or_404(task_for_report(request.user), pk=pk)
    if not can_report_on_task(request.user, task):
        raise PermissionDenied(
            _("Only the task's owner or its lead department may withdraw its extension request.")
        )
    try:
        extension_request_withdraw(task=task, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your extension request is withdrawn."))
    return redirect("workplan:task_detail", pk=task.pk)
