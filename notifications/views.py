from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from notifications.selectors import notifications_for
from notifications.services import notifications_mark_read
from notifications.wording import notification_detail, notification_text

NOTIFICATIONS_PER_PAGE = 25


@require_GET
def notification_list(request):
    paginator = Paginator(notifications_for(request.user), NOTIFICATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    items = [
        {
            "notification": notification,
            "text": notification_text(notification),
            "detail": notification_detail(notification),
        }
        for notification in page
    ]
    return render(request, "notifications/list.html", {"page": page, "items": items})


@require_GET
def notification_open(request, pk: int):
    # Someone else's notification answers as a missing one.
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    if notification.read_at is None:
        notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(notification.url)


@require_POST
def notification_mark_all_read(request):
    count = notifications_mark_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Marked %(count)d notification read.", "Marked %(count)d notifications read.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect("notifications:list")
