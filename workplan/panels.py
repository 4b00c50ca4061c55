"""What the apps above the plan add to its pages, without the plan importing them.

The site's settings list them by dotted path: `WORKPLAN_TASK_PANELS` (called with the request
and the task, on the task's page), `WORKPLAN_DASHBOARD_PANELS` (called with the request, on the
dashboard) and `WORKPLAN_TASK_ADMIN_ACTIONS` (admin actions on the task list). A panel callable
returns a `Panel` to show, or None; it reads with its own selectors and decides access with
its own permissions, in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def task_panels(request, task) -> list[Panel]:
    panels = (import_string(path)(request, task) for path in settings.WORKPLAN_TASK_PANELS)
    return [panel for panel in panels if panel is not None]


def dashboard_panels(request) -> list[Panel]:
    panels = (import_string(path)(request) for path in settings.WORKPLAN_DASHBOARD_PANELS)
    return [panel for panel in panels if panel is not None]


def task_admin_actions() -> list:
    return [import_string(path) for path in settings.WORKPLAN_TASK_ADMIN_ACTIONS]
