"""What happened that a user must know about: one row per recipient and event, kept as a record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    EXTENSION_DECIDED = "extension_decided", _("Extension request decided")
    URGE_RECEIVED = "urge_received", _("Urge notice received")
    URGE_UNACKNOWLEDGED = "urge_unacknowledged", _("Urge notice not acknowledged")
    INSTRUCTION_RECEIVED = "instruction_received", _("Instruction received")
    INSTRUCTION_ANSWERED = "instruction_answered", _("Instruction answered")
    REPORT_MISSING = "report_missing", _("Report missing")


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Claimed by a worker that is sending it now (notifications.delivery).
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # No mail for this one: not asked for, or the recipient has no address or is inactive.
    SKIPPED = "skipped", _("Skipped")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Where opening it leads: a path inside the portal, made with reverse() by the caller.
    url = models.CharField(_("link"), max_length=300)
    # What the wording needs (titles, names, dates, a comment): rendered when it is read, in
    # the reader's language (notifications.wording).
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail_status = models.CharField(
        _("mail"), max_length=10, choices=MailStatus, default=MailStatus.SKIPPED
    )
    mail_claimed_at = models.DateTimeField(_("mail claimed at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField(_("mail attempts"), default=0)
    mail_error = models.TextField(_("mail error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox and the header's unread count.
            models.Index(
                "recipient", "read_at", models.F("created_at").desc(), name="notif_inbox_idx"
            ),
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notif_recipient_recent_idx"
            ),
            # The recovery of mails a dead worker left unsent.
            models.Index(
                fields=["mail_status", "mail_claimed_at"],
                name="notif_mail_pending_idx",
                condition=models.Q(mail_status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        from notifications.wording import notification_text

        return notification_text(self)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
