"""What the API keeps of its own: one sign-in token per user, and the keys of retried POSTs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    """A user's API token, stored as its SHA-256 digest: the key itself is shown once.

    `password_stamp` is the user's session hash (an HMAC of the password hash) when the token
    was issued: a password change makes it differ, and the token stops working, as Django's
    sessions do, without accounts knowing that the API exists.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_token",
    )
    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    password_stamp = models.CharField(_("password stamp"), max_length=128, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["digest", "password_stamp"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return str(self.user)


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent with a reading, and the reading that POST recorded.

    A retry with the same key (the same user, the same request) gets that reading back instead
    of recording another; the same key with another request is refused.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(
        _("request fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the request's path and fields."),
    )
    reading = models.ForeignKey(
        "workplan.IndicatorReading",
        verbose_name=_("indicator reading"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
        ]

    def __str__(self):
        return self.key
