"""The "report missing" section of the owner's daily digest (workplan/reminders/sections.py).

Named in settings.REMINDER_DIGEST_SECTIONS. Each day the digest is sent, an owner finds there
their tasks whose periodic report is missing (supervision/cycles.py), until they report.
"""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.cycles import last_deadline, missing_tasks
from workplan.emails import task_absolute_url
from workplan.reminders.sections import DigestLine


class ReportMissingSection:
    key = "report_missing"
    heading = _("Report missing")

    def plan(self, date: datetime.date) -> dict[int, list[int]]:
        """Return {owner id: ids of their tasks whose report is missing on `date`}."""
        planned: dict[int, list[int]] = {}
        rows = (
            missing_tasks(date)
            .filter(owner__isnull=False)
            .order_by("owner_id", "pk")
            .values_list("owner_id", "pk")
        )
        for owner_id, task_id in rows:
            planned.setdefault(owner_id, []).append(task_id)
        return planned

    def lines(self, ids: list[int], *, date: datetime.date) -> list[DigestLine]:
        """Return a line per task among `ids` whose report is still missing (sent since: none)."""
        tasks = list(missing_tasks(date).filter(pk__in=ids).order_by("area__number", "code", "pk"))
        deadlines = last_deadline([task.pk for task in tasks], date)
        return [
            DigestLine(
                text=str(task),
                url=task_absolute_url(task.pk),
                detail=gettext("The report due %(date)s was not received.")
                % {"date": formats.date_format(deadlines[task.pk])},
            )
            for task in tasks
            if task.pk in deadlines
        ]


REPORT_MISSING = ReportMissingSection()
