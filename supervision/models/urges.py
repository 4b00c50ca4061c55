"""Urge notices (催办): a message sent about one or more tasks, each owner's receipt and reply."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workplan.models import Task, choice_label

if TYPE_CHECKING:
    from accounts.models import User


class UrgeNotice(models.Model):
    """One urge notice: who sent it, what it says; its tasks are its recipients' rows."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        related_name="urge_notices_sent",
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    history = HistoricalRecords()

    # Who made the change, set before a save for simple-history's record of it.
    _history_user: "User"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("urge notice")
        verbose_name_plural = _("urge notices")
        constraints = [
            models.CheckConstraint(condition=~Q(message=""), name="urge_message_required"),
        ]
        indexes = [
            models.Index(fields=["sender", "-created_at"], name="urge_sender_idx"),
        ]

    def __str__(self):
        return f"{self.message[:60]}"


class UrgeState(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPLIED = "replied", _("Replied")


class UrgeRecipient(models.Model):
    """One task of a notice and the owner it went to, with their receipt and reply.

    The recipient is the task's owner when the notice was sent, and stays so: the notice asked
    that person, and their receipt is what the sender follows, even if the task moves on.
    """

    notice = models.ForeignKey(
        UrgeNotice,
        verbose_name=_("urge notice"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="urges"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="urges_received",
    )
    state = models.CharField(_("state"), max_length=20, choices=UrgeState, default=UrgeState.SENT)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    # When the sender was told the notice had not been acknowledged in time (once at most).
    overdue_reported_at = models.DateTimeField(
        _("reported unacknowledged at"), null=True, blank=True
    )

    history = HistoricalRecords()

    # Who made the change, set before a save for simple-history's record of it.
    _history_user: "User"
    # Set by the task page's panel: whether the reader is the recipient.
    mine: bool

    class Meta:
        ordering = ["notice", "pk"]
        verbose_name = _("urge notice recipient")
        verbose_name_plural = _("urge notice recipients")
        constraints = [
            models.UniqueConstraint(fields=["notice", "task"], name="urge_one_row_per_task"),
            models.CheckConstraint(
                condition=Q(state=UrgeState.SENT, acknowledged_at__isnull=True)
                | Q(state=UrgeState.ACKNOWLEDGED, acknowledged_at__isnull=False)
                | Q(
                    state=UrgeState.REPLIED,
                    acknowledged_at__isnull=False,
                    replied_at__isnull=False,
                ),
                name="urge_state_times",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "state"], name="urge_recipient_state_idx"),
            models.Index(fields=["task", "-notice"], name="urge_task_idx"),
            # The daily look for notices left unacknowledged: the few still "sent".
            models.Index(
                fields=["notice"],
                condition=Q(state="sent"),
                name="urge_unacknowledged_idx",
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.recipient} · {choice_label(UrgeState, self.state)}"
