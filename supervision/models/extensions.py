"""Extension requests (延期申请): an official asks for a later due date; a supervisor decides."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from accounts.models import User


class ExtensionRequestState(models.TextChoices):
    OPEN = "open", pgettext_lazy("extension request", "Awaiting a decision")
    APPROVED = "approved", pgettext_lazy("extension request", "Approved")
    DENIED = "denied", pgettext_lazy("extension request", "Denied")
    WITHDRAWN = "withdrawn", pgettext_lazy("extension request", "Withdrawn")


class ExtensionRequest(models.Model):
    task = models.ForeignKey(
        "workplan.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The due date when it was asked; a decision later compares it with the task's date then.
    current_due_date = models.DateField(_("current due date"), null=True, blank=True)
    new_due_date = models.DateField(_("requested due date"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionRequestState, default=ExtensionRequestState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    # The extension an approval recorded (workplan.services.deadline_extend).
    extension = models.OneToOneField(
        "workplan.DeadlineExtension",
        verbose_name=_("extension"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords()

    # Who asked or decided, set before a save for simple-history's record of it.
    _history_user: "User"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(state="open"),
                name="one_open_extension_request_per_task",
                violation_error_message=_("This task already has an open extension request."),
            ),
            models.CheckConstraint(
                condition=Q(current_due_date__isnull=True)
                | Q(new_due_date__gt=F("current_due_date")),
                name="extension_request_moves_later",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_request_reason"),
        ]
        indexes = [
            # The queue: open requests, oldest first; a task's latest request.
            models.Index(fields=["state", "created_at"], name="extreq_state_created_idx"),
            models.Index(fields=["task", "-created_at"], name="extreq_task_recent_idx"),
        ]

    def __str__(self):
        return f"{self.task}: {self.current_due_date or '—'} → {self.new_due_date}"

    @property
    def is_open(self) -> bool:
        return self.state == ExtensionRequestState.OPEN
