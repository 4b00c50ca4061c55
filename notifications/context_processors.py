"""The unread count in the header of every page (templates/base.html, the admin's header)."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count_for

REQUEST_ATTRIBUTE = "notifications_unread_count"


def notifications(request) -> dict:
    """Offer the count lazily: one COUNT query, only on a page that shows it, once per request."""
    count = getattr(request, REQUEST_ATTRIBUTE, None)
    if count is None:
        user = getattr(request, "user", None)
        count = SimpleLazyObject(lambda: unread_count_for(user))
        setattr(request, REQUEST_ATTRIBUTE, count)
    return {"unread_notifications": count}
