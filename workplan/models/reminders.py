"""The working-day overrides and the reminder log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingDayOverride(models.Model):
    """A day an admin declares working or not, over what the Chinese calendar library says."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Tick for a working day, leave empty for a day off.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self):
        kind = _("working day") if self.is_working_day else _("day off")
        return f"{self.date}: {kind}"


class ReminderKind(models.TextChoices):
    DIGEST = "digest", _("Daily digest")
    ESCALATION = "escalation", _("Escalation")


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class Reminder(models.Model):
    """One digest for one recipient on one date: the unit that is sent exactly once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind)
    date = models.DateField(_("date"))
    overdue_task_ids = models.JSONField(_("overdue tasks"), default=list, blank=True)
    due_soon_task_ids = models.JSONField(_("tasks due soon"), default=list, blank=True)
    # The digest's other lists (workplan/reminders/sections.py): section key -> object ids.
    sections = models.JSONField(_("other items"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReminderStatus, default=ReminderStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "kind", "recipient_id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "date"], name="reminder_once_per_recipient_kind_date"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date"], name="reminder_status_date_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recipient_id} · {self.date}"

    @property
    def task_ids(self) -> list[int]:
        return [*self.overdue_task_ids, *self.due_soon_task_ids]
