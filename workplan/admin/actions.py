"""Admin actions that need an intermediate page: a form, then one service call per object.

`done_message(count)` returns the success message for `count` objects (plural-aware).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PREVIEW_LENGTH = 20


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or str(_("Not allowed."))


def apply_each(model_admin, request, queryset, apply: Callable, done_message: Callable) -> None:
    """Call `apply(obj)` for each object; report what worked and, object by object, what not."""
    done = 0
    for obj in queryset:
        try:
            apply(obj)
        except (ValidationError, PermissionDenied) as error:
            model_admin.message_user(request, f"{obj}: {error_text(error)}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message(done), messages.SUCCESS)


def apply_all(queryset, apply: Callable) -> list[str]:
    """Call `apply(obj)` for each object in one transaction; on any refusal undo them all.

    Return the refusals, each prefixed with its object (empty when everything was applied).
    """
    refusals = []
    with transaction.atomic():
        for obj in queryset:
            try:
                with transaction.atomic():
                    apply(obj)
            except (ValidationError, PermissionDenied) as error:
                refusals.append(f"{obj}: {error_text(error)}")
        if refusals:
            transaction.set_rollback(True)
    return refusals


def form_action(
    model_admin,
    request,
    queryset,
    *,
    form_class,
    title: str,
    apply: Callable,
    done_message: Callable[[int], str],
    together: bool = False,
):
    """Show `form_class` for the selected objects; on a valid POST apply it to each of them.

    All or nothing: if any object refuses the change, nothing is changed and the form comes
    back with what was typed and, object by object, why. With `together`, `apply(objects, data)`
    is called once with all of them (one urge notice for many tasks), and succeeds or fails as
    a whole.
    """
    form = None
    if "apply" in request.POST:
        form = form_class(request.POST, admin_site=model_admin.admin_site)
        if form.is_valid():
            data = form.cleaned_data
            if together:
                objects = list(queryset)
                try:
                    with transaction.atomic():
                        apply(objects, data)
                except (ValidationError, PermissionDenied) as error:
                    form.add_error(None, error_text(error))
                else:
                    model_admin.message_user(request, done_message(len(objects)), messages.SUCCESS)
                    return None
            else:
                refusals = apply_all(queryset, lambda obj: apply(obj, data))
                if not refusals:
                    model_admin.message_user(
                        request, done_message(queryset.count()), messages.SUCCESS
                    )
                    return None
                for refusal in refusals:
                    form.add_error(None, refusal)
    if form is None:
        form = form_class(admin_site=model_admin.admin_site)
    count = queryset.count()
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": opts,
        "form": form,
        "media": model_admin.media + form.media,
        "objects": queryset[:PREVIEW_LENGTH],
        "count": count,
        "more": max(count - PREVIEW_LENGTH, 0),
        "action": request.POST.get("action"),
        "select_across": request.POST.get("select_across", "0"),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "summary": ngettext("%(count)d item selected", "%(count)d items selected", count)
        % {"count": count},
    }
    return TemplateResponse(request, "admin/workplan/action_form.html", context)
