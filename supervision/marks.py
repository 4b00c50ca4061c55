"""The "report missing" mark on tasks (workplan/marks.py), from the report-cycle rule.

Named in `settings.TASK_MARKS`, so the plan's task list, its filter, the task page and the admin's
task list show it without `workplan` importing `supervision`.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.cycles import ReportStatus, missing_q
from workplan.marks import MarkNote


class ReportMissingMark:
    key = "report_missing"
    label = _("Report missing")
    filter_label = _("Report missing only")

    def q(self, on: datetime.date) -> Q:
        return missing_q(on)

    def notes(self, task, *, on: datetime.date) -> list[MarkNote]:
        status = ReportStatus.of_task(task, on=on)
        if status is None:
            return []
        notes = []
        if status.missing and status.last is not None:
            notes.append(
                MarkNote(
                    key=self.key,
                    label=gettext("Report missing"),
                    text=gettext("The report due %(date)s was not received.")
                    % {"date": formats.date_format(status.last.deadline)},
                    alert=True,
                )
            )
        text = gettext("Due %(schedule)s.") % {"schedule": status.cycle.schedule_label}
        if status.next_deadline is not None:
            text += " " + gettext("Next report due %(date)s.") % {
                "date": formats.date_format(status.next_deadline)
            }
        notes.append(MarkNote(key="report_cycle", label=gettext("Periodic report"), text=text))
        return notes


REPORT_MISSING = ReportMissingMark()
