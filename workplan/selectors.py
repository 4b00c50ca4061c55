"""Reads of the work plan, role scope applied first."""

from accounts.permissions import visible_tasks
from workplan.models import Task


def task_list_for(user):
    """Return the tasks `user` may see, with what list pages show, most urgent first."""
    return (
        visible_tasks(user, Task.objects.all())
        .select_related("area", "owner", "lead_department")
        .order_by("due_date", "area__number", "code")
    )
