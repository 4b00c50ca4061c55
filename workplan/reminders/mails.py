"""The reminder mails: the daily digest and the supervisors' escalation, in the recipient's
language."""

import urllib.parse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

from workplan.emails import task_absolute_url
from workplan.models import ReminderKind
from workplan.reminders.sections import digest_sections


def reminder_headers(reminder) -> dict[str, str]:
    host = urllib.parse.urlsplit(settings.SITE_URL).hostname or "localhost"
    return {
        # RFC 3834: no out-of-office replies, no auto-forward loops.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "List-Id": f"E-Town work-plan reminders <reminders.{host}>",
        "X-Etown-Reminder": f"{reminder.kind}-{reminder.date.isoformat()}-{reminder.pk}",
    }


def _when(due_date, days_left: int) -> str:
    # Worded here, once for both templates: a {% blocktranslate %} per task and per template
    # was a third of the rendering time of a digest.
    due = formats.date_format(due_date, "DATE_FORMAT")  # 2024年3月1日 or March 1, 2024
    if days_left < 0:
        return ngettext(
            "Due %(due)s, %(days)d day overdue", "Due %(due)s, %(days)d days overdue", -days_left
        ) % {"due": due, "days": -days_left}
    if days_left == 0:
        return gettext("Due today, %(due)s") % {"due": due}
    return ngettext(
        "Due %(due)s, %(days)d day left", "Due %(due)s, %(days)d days left", days_left
    ) % {"due": due, "days": days_left}


def _item(task, reminder):
    days_left = (task.due_date - reminder.date).days
    return {
        "task": task,
        "area": task.area,
        "owner": task.owner,
        "due_date": task.due_date,
        "days_overdue": -days_left,
        "days_left": days_left,
        "when": _when(task.due_date, days_left),
        "url": task_absolute_url(task.pk),
    }


def reminder_subject(reminder, *, overdue: int, due_soon: int, other: int = 0) -> str:
    if reminder.kind == ReminderKind.ESCALATION:
        return ngettext(
            "%(count)d task overdue in your areas: E-Town work plan",
            "%(count)d tasks overdue in your areas: E-Town work plan",
            overdue,
        ) % {"count": overdue}
    if not overdue and not due_soon:
        return ngettext(
            "%(count)d item needs your attention: E-Town work plan",
            "%(count)d items need your attention: E-Town work plan",
            other,
        ) % {"count": other}
    return gettext("%(overdue)d overdue, %(due_soon)d due soon: E-Town work plan") % {
        "overdue": overdue,
        "due_soon": due_soon,
    }


def _section_lists(reminder) -> list[dict]:
    """Return the digest sections' lists still worth sending, in the active language."""
    lists = []
    for section in digest_sections():
        ids = reminder.sections.get(section.key)
        if ids:
            lines = section.lines(list(ids), date=reminder.date)
            if lines:
                lists.append({"heading": str(section.heading), "lines": lines})
    return lists


def reminder_message(*, reminder, tasks: dict, connection=None):
    """Build the digest or escalation for `reminder`; None when nothing in it is still open.

    `tasks` maps task ids to open tasks (with area and owner loaded); ids missing from it were
    completed or deleted since the dispatch and are left out, as are the digest sections'
    items settled since.
    """
    recipient = reminder.recipient
    overdue_ids = [i for i in reminder.overdue_task_ids if i in tasks]
    due_soon_ids = [i for i in reminder.due_soon_task_ids if i in tasks]
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        sections = _section_lists(reminder) if reminder.sections else []
    if not overdue_ids and not due_soon_ids and not sections:
        return None
    with translation.override(language):
        overdue = [_item(tasks[i], reminder) for i in overdue_ids]
        due_soon = [_item(tasks[i], reminder) for i in due_soon_ids]
    if reminder.kind == ReminderKind.ESCALATION:
        overdue.sort(
            key=lambda item: (
                item["area"].number,
                str(item["owner"] or ""),
                item["due_date"],
                item["task"].pk,
            )
        )
        template = "emails/workplan/escalation"
    else:
        template = "emails/workplan/digest"
    with translation.override(language):
        context = {
            "recipient": recipient,
            "reminder": reminder,
            "overdue": overdue,
            "due_soon": due_soon,
            "sections": sections,
            "site_url": settings.SITE_URL,
            "escalate_after_days": settings.REMINDER_ESCALATE_AFTER_DAYS,
            "due_soon_days": settings.REMINDER_DUE_SOON_DAYS,
        }
        subject = reminder_subject(
            reminder,
            overdue=len(overdue),
            due_soon=len(due_soon),
            other=sum(len(section["lines"]) for section in sections),
        )
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers=reminder_headers(reminder),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
