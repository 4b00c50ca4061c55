"""The supervision panels on the portal's pages (the task page's extension request)."""

from django import template

from supervision.forms.extensions import ExtensionRequestForm
from supervision.permissions import can_request_extension, can_withdraw_extension
from supervision.selectors.extensions import extension_panel_for

register = template.Library()


@register.inclusion_tag("supervision/includes/extension_request.html", takes_context=True)
def extension_request_panel(context, task):
    """The task's latest extension request, its extension count, and the form to ask for one.

    A refused request comes back as `extension_form` (bound, with its errors) in the context.
    """
    user = context["request"].user
    panel = extension_panel_for(task)
    may_ask = can_request_extension(user, task) and not (panel.latest and panel.latest.is_open)
    form = context.get("extension_form")
    if form is None and may_ask:
        form = ExtensionRequestForm()
    return {
        "task": task,
        "panel": panel,
        "may_ask": may_ask or form is not None and form.is_bound,
        "form": form,
        "may_withdraw": bool(
            panel.latest and panel.latest.is_open and can_withdraw_extension(user, task)
        ),
        "csrf_token": context.get("csrf_token"),
    }
