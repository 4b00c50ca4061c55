"""Urgency in the back office: the portal's rule (workplan/urgency.py), shown, never restated.

A page asks for the urgency of many rows and may filter and count by it too: all of them use
one window per request (`request_window`), so a row's light, the filter it passes and the
index's figures agree even on a page served across midnight.
"""

from __future__ import annotations

from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html

from workplan.urgency import LIGHTS, Urgency, UrgencyWindow, urgency_window


def request_window(request) -> UrgencyWindow:
    """Return the urgency window of `request`, built on first use (one calendar query)."""
    window = getattr(request, "urgency_window", None)
    if window is None:
        window = request.urgency_window = urgency_window()
    return window


def urgency_light(urgency: Urgency) -> str:
    """Return the traffic light of `urgency` with its name: colour is never the only sign."""
    return format_html(
        '<span class="traffic-light traffic-light-{}" aria-hidden="true"></span> '
        '<span class="urgency-label">{}</span>',
        LIGHTS[urgency],
        urgency.label,
    )


class UrgencyChangeList(ChangeList):
    """A changelist whose rows' tasks carry their urgency (`task.urgency`) and change link.

    The model admin's `task_path` leads from a row to its task ("" for a task itself). The
    change link (`row.change_link`) keeps the list's filters, as Django's own row links do, for
    a column that draws the link itself.
    """

    def get_results(self, request):
        super().get_results(request)
        window = request_window(request)
        path = getattr(self.model_admin, "task_path", "")
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        context = {"preserved_filters": self.preserved_filters, "opts": self.opts}
        for row in self.result_list:  # fills the page's result cache: the rows are read once
            task = getattr(row, path) if path else row
            task.urgency = window.of_task(task)
            url = reverse(
                change, args=[quote(row.pk)], current_app=self.model_admin.admin_site.name
            )
            row.change_link = add_preserved_filters(context, url)
