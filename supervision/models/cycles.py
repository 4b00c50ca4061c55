"""Report cycles (定期报送): an area or a task owes a progress report every week or month.

The rule that turns a cycle into deadlines and "report missing" is `supervision/cycles.py`.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workplan.models import choice_label

if TYPE_CHECKING:
    from accounts.models import User


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReportCycle(models.Model):
    """A progress report owed by every week's weekday or every month's day, from a start date.

    On an area it covers every task of the area that has no cycle of its own; a task's own
    cycle, active or not, wins over its area's (an inactive one exempts the task).
    """

    area = models.OneToOneField(
        "workplan.Area",
        verbose_name=_("key area of work"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_cycle",
    )
    task = models.OneToOneField(
        "workplan.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_cycle",
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday,
        null=True,
        blank=True,
        help_text=_("For a weekly cycle: the day of the week the report is due."),
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        help_text=_(
            "For a monthly cycle: 1 to 31; a shorter month uses its last day. A deadline on a "
            "day off moves to the next working day."
        ),
    )
    start_date = models.DateField(
        _("start date"), help_text=_("The first report is due at the first deadline after it.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    # Who changed the cycle, set before a save for simple-history's record of it.
    _history_user: "User"

    class Meta:
        ordering = ["area__number", "task__code", "pk"]
        verbose_name = _("report cycle")
        verbose_name_plural = _("report cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=True, task__isnull=False)
                | Q(area__isnull=False, task__isnull=True),
                name="report_cycle_area_xor_task",
                violation_error_message=_("Choose either a key area of work or a task, not both."),
            ),
            models.CheckConstraint(
                condition=Q(
                    frequency=Frequency.WEEKLY,
                    weekday__gte=0,
                    weekday__lte=6,
                    day_of_month__isnull=True,
                )
                | Q(
                    frequency=Frequency.MONTHLY,
                    day_of_month__gte=1,
                    day_of_month__lte=31,
                    weekday__isnull=True,
                ),
                name="report_cycle_day_fits_frequency",
                violation_error_message=_(
                    "A weekly cycle needs a weekday and no day of the month; a monthly cycle "
                    "needs a day of the month from 1 to 31 and no weekday."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.subject} · {self.schedule_label}"

    @property
    def subject(self):
        return self.task if self.task_id else self.area

    @property
    def schedule_label(self) -> str:
        if self.frequency == Frequency.WEEKLY:
            return _("weekly, on %(weekday)s") % {"weekday": choice_label(Weekday, self.weekday)}
        return _("monthly, on day %(day)s") % {"day": self.day_of_month}


class MissedReport(models.Model):
    """A cycle deadline that passed without a report from a task: recorded once, then notified.

    The unique (task, deadline) makes the daily job's notice go out exactly once, whatever
    the retries or overlapping runs.
    """

    task = models.ForeignKey(
        "workplan.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="missed_reports",
    )
    deadline = models.DateField(_("deadline"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The owner told of it."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline", "task"]
        verbose_name = _("missed report")
        verbose_name_plural = _("missed reports")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "deadline"], name="missed_report_once_per_deadline"
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.deadline}"
