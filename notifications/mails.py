"""A notification's mail: its sentence and a link, in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import Notification
from notifications.wording import notification_detail, notification_text


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        text = notification_text(notification)
        context = {
            "user": recipient,
            "text": text,
            "detail": notification_detail(notification),
            "url": settings.SITE_URL.rstrip("/") + notification.url,
            "inbox_url": settings.SITE_URL.rstrip("/") + "/notifications/",
        }
        subject = gettext("%(text)s: E-Town work plan") % {"text": text.rstrip(".。")}
        body = render_to_string("emails/notifications/notification.txt", context)
        html = render_to_string("emails/notifications/notification.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    message.attach_alternative(html, "text/html")
    return message
