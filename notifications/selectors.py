"""Reads of the inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """Return `user`'s notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count_for(user) -> int:
    """Return how many of `user`'s notifications are unread: one COUNT on the inbox index."""
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
