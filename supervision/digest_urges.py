"""The digest's list of urge notices left unacknowledged (REMINDER_DIGEST_SECTIONS).

Every working day, until the recipient acknowledges it, a notice not acknowledged within
URGE_ACK_DAYS working days is repeated in their digest; one acknowledged between the dispatch
and the mail is left out.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.models import UrgeRecipient, UrgeState
from supervision.selectors.urges import unacknowledged_rows
from workplan.emails import task_absolute_url
from workplan.reminders.sections import DigestLine


class UnacknowledgedUrges:
    key = "urges"
    heading = _("Urge notices to acknowledge")

    def plan(self, date: datetime.date) -> dict[int, list[int]]:
        planned: dict[int, list[int]] = {}
        rows = unacknowledged_rows(date).order_by("recipient_id", "pk")
        for recipient_id, pk in rows.values_list("recipient_id", "pk"):
            planned.setdefault(recipient_id, []).append(pk)
        return planned

    def lines(self, ids: list[int], *, date: datetime.date) -> list[DigestLine]:
        rows = (
            UrgeRecipient.objects.filter(pk__in=ids, state=UrgeState.SENT)
            .select_related("task", "notice__sender")
            .order_by("notice__created_at", "pk")
        )
        lines = []
        for row in rows:
            sender = row.notice.sender
            sent = formats.date_format(timezone.localtime(row.notice.created_at), "DATE_FORMAT")
            lines.append(
                DigestLine(
                    text=f"{row.task}: {row.notice.message}",
                    url=task_absolute_url(row.task_id) + "#urges",
                    detail=gettext("Sent by %(sender)s on %(day)s, not yet acknowledged")
                    % {"sender": sender.get_full_name() or sender.username, "day": sent},
                )
            )
        return lines


UNACKNOWLEDGED_URGES = UnacknowledgedUrges()
