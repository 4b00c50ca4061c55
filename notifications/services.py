"""Writes of the inbox: the one way other apps tell a user something happened, and reading it.

Apps above this one (workplan, supervision) call `notification_send` from the service that makes
the event, inside its transaction: the row commits with the event, and its mail is queued only
once both have committed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from etown.jobs import job_enqueue
from notifications.models import MailStatus, Notification, NotificationKind


def _checked_url(url: str) -> str:
    # Opening a notification redirects here: only a path inside the portal, never elsewhere.
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise ValidationError(
            _("A notification leads to a page of the portal: %(url)s is not one."),
            params={"url": url},
            code="bad_url",
        )
    return url


def _mailable(user) -> bool:
    return bool(user.is_active and user.email)


@transaction.atomic
def notification_send(
    *,
    recipient,
    kind: str,
    url: str,
    params: dict | None = None,
    actor=None,
    mail: bool = True,
) -> Notification:
    """Record a notification for `recipient` and, if `mail`, queue its mail once committed.

    `url` is the path the notification opens (made with reverse()); `params` are the values its
    wording needs (notifications.wording). The mail goes out exactly once, in the recipient's
    language; a mail server that fails is retried by the job and never fails the caller.
    """
    if kind not in NotificationKind.values:
        raise ValidationError(_("Unknown notification kind: %(kind)s."), params={"kind": kind})
    params = dict(params or {})
    if actor is not None:
        params.setdefault("actor", actor.get_full_name() or actor.get_username())
    mailed = mail and _mailable(recipient)
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        actor=actor,
        url=_checked_url(url),
        params=params,
        mail_status=MailStatus.PENDING if mailed else MailStatus.SKIPPED,
    )
    if mailed:
        from notifications.tasks import send_notification_mail

        transaction.on_commit(lambda: job_enqueue(send_notification_mail, notification.pk))
    return notification


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark `user`'s unread notifications read (those of `ids`, or all); return how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
