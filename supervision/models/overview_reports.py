"""The monthly supervision report mailed to every leader: one row per leader per month."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MonthlyReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class MonthlyReportDelivery(models.Model):
    """The report of one month for one leader: the unit that is mailed exactly once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="monthly_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MonthlyReportStatus,
        default=MonthlyReportStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "recipient_id"]
        verbose_name = _("monthly report mail")
        verbose_name_plural = _("monthly report mails")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "month"], name="monthly_report_once_per_leader_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="monthly_report_month_first_day"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.recipient}"
