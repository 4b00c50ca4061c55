"""Small presentation helpers for the portal's templates; access questions go to permissions."""

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from accounts import permissions
from workplan.models import TaskStatus, today
from workplan.urgency import LIGHTS, Urgency

register = template.Library()

STATUS_BADGES = {
    TaskStatus.NOT_STARTED: "text-bg-secondary",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.BLOCKED: "text-bg-danger",
    TaskStatus.COMPLETED: "text-bg-success",
}
REVIEW_BADGES = {
    "pending": "text-bg-warning",
    "approved": "text-bg-success",
    "returned": "text-bg-danger",
}


@register.filter
def traffic_light(urgency):
    """Return the colour name of an urgency (red, amber, green, grey)."""
    return LIGHTS.get(urgency, "grey")


@register.filter
def urgency_label(urgency):
    try:
        return Urgency(urgency).label
    except ValueError:
        return ""


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "text-bg-secondary")


@register.filter
def review_badge(state):
    return REVIEW_BADGES.get(state, "text-bg-secondary")


@register.filter
def status_label(status):
    try:
        return TaskStatus(status).label
    except ValueError:
        return ""


@register.filter
def can_use_admin(user):
    return permissions.can_use_admin(user)


@register.filter
def can_see_overview(user):
    return permissions.can_see_overview(user)


@register.filter
def percent_width(value):
    """Return a 0..100 integer for a progress bar's width."""
    try:
        return max(0, min(100, round(float(value))))
    except (TypeError, ValueError):
        return 0


@register.filter
def percent(value):
    """A percentage written the reader's way: "60 %" in English here, "60%" in Chinese."""
    if value is None or value == "":
        return ""
    return pgettext("percentage", "%(value)s %%") % {"value": formats.number_format(value)}


# The due date and the progress bar of a task are drawn on every row of every list: written in
# Python they cost a tenth of the same markup as included templates (bench/RESULTS.md).


# How a due date's distance is written, by the task's urgency.
DUE_CLASSES = {
    Urgency.OVERDUE: "text-danger fw-semibold",
    Urgency.DUE_SOON: "text-warning-emphasis fw-semibold",
}


@register.simple_tag
def task_due(task):
    """Return the due date of `task` and how far it is: days left, overdue, done.

    Its colour is the task's urgency (`task.urgency`, as the selectors give it to every row);
    the distance is counted in calendar days.
    """
    if task.due_date is None:
        return format_html('<span class="text-body-secondary">{}</span>', _("no due date"))
    urgency = task.urgency
    days_left = (task.due_date - today()).days
    if urgency == Urgency.DONE:
        distance = _("done")
    elif urgency == Urgency.OVERDUE:
        days = -days_left
        distance = ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}
    elif days_left == 0:
        distance = _("due today")
    else:
        days = days_left
        distance = ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
    return format_html(
        '<span class="text-nowrap">{}</span><br><small class="{}">{}</small>',
        formats.date_format(task.due_date, "DATE_FORMAT"),
        DUE_CLASSES.get(urgency, "text-body-secondary"),
        distance,
    )


@register.simple_tag
def task_progress(task):
    """Return the progress bar of `task`: the reported progress while it awaits review."""
    if task.pending_progress is not None:
        value = task.pending_progress
        label = _("Reported progress, awaiting review")
        bar_class = "progress-bar progress-bar-striped bg-warning text-dark"
        note = format_html('<small class="text-body-secondary">{}</small>', _("awaiting review"))
    else:
        value, label, bar_class, note = task.progress, _("Progress"), "progress-bar", ""
    return format_html(
        '<div class="progress" role="progressbar" aria-label="{}" aria-valuenow="{}"'
        ' aria-valuemin="0" aria-valuemax="100"><div class="{} pct-{}">{}</div></div>{}',
        label,
        value,
        bar_class,
        percent_width(value),
        percent(value),
        note,
    )
