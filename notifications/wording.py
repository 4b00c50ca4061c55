"""What a notification says, worded when it is read, in the reader's language.

A notification stores its kind and the values its sentence needs (`params`); the sentence is
made here, under the active language, so the inbox follows the language the user reads in and a
mail the recipient's `preferred_language`. One function per kind.

The params the callers pass (all optional, all plain JSON):
- `task`, `task_zh`: the task's title and its Chinese title (shown when reading Chinese);
- `actor`: the name of who did it (filled in by `notification_send` from its `actor`);
- `comment`: a comment or message, shown under the sentence;
- `date`: an ISO date (a new due date, a deadline), shown in the reader's date format;
- `decision`: "approved" or "denied" (extension decided);
- `owner`: the name of a task's owner (urge not acknowledged).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import formats, translation
from django.utils.translation import gettext

from notifications.models import Notification, NotificationKind


def _task(params: dict) -> str:
    chinese = (translation.get_language() or "").startswith("zh")
    title = params.get("task_zh") if chinese else None
    return title or params.get("task") or gettext("a task")


def _actor(params: dict) -> str:
    return params.get("actor") or gettext("Someone")


def _date(params: dict) -> str:
    value = params.get("date")
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return formats.date_format(day, "DATE_FORMAT")


def _report_returned(params: dict) -> str:
    return gettext("%(actor)s returned your progress report on “%(task)s”.") % {
        "actor": _actor(params),
        "task": _task(params),
    }


def _report_approved(params: dict) -> str:
    return gettext("%(actor)s approved your progress report on “%(task)s”.") % {
        "actor": _actor(params),
        "task": _task(params),
    }


def _extension_decided(params: dict) -> str:
    if params.get("decision") == "approved":
        return gettext(
            "%(actor)s approved your extension request on “%(task)s”: it is now due %(date)s."
        ) % {"actor": _actor(params), "task": _task(params), "date": _date(params)}
    return gettext("%(actor)s denied your extension request on “%(task)s”.") % {
        "actor": _actor(params),
        "task": _task(params),
    }


def _urge_received(params: dict) -> str:
    return gettext("%(actor)s urged “%(task)s”: please acknowledge it.") % {
        "actor": _actor(params),
        "task": _task(params),
    }


def _urge_unacknowledged(params: dict) -> str:
    return gettext("%(owner)s has not acknowledged your urge notice on “%(task)s”.") % {
        "owner": params.get("owner") or gettext("The owner"),
        "task": _task(params),
    }


def _instruction_received(params: dict) -> str:
    return gettext("%(actor)s wrote an instruction on “%(task)s”.") % {
        "actor": _actor(params),
        "task": _task(params),
    }


def _instruction_answered(params: dict) -> str:
    return gettext("%(actor)s answered your instruction on “%(task)s”.") % {
        "actor": _actor(params),
        "task": _task(params),
    }


def _report_missing(params: dict) -> str:
    if params.get("date"):
        return gettext("The progress report on “%(task)s” due %(date)s is missing.") % {
            "task": _task(params),
            "date": _date(params),
        }
    return gettext("The progress report on “%(task)s” is missing.") % {"task": _task(params)}


WORDING: dict[str, Callable[[dict], str]] = {
    NotificationKind.REPORT_RETURNED: _report_returned,
    NotificationKind.REPORT_APPROVED: _report_approved,
    NotificationKind.EXTENSION_DECIDED: _extension_decided,
    NotificationKind.URGE_RECEIVED: _urge_received,
    NotificationKind.URGE_UNACKNOWLEDGED: _urge_unacknowledged,
    NotificationKind.INSTRUCTION_RECEIVED: _instruction_received,
    NotificationKind.INSTRUCTION_ANSWERED: _instruction_answered,
    NotificationKind.REPORT_MISSING: _report_missing,
}


def notification_text(notification: Notification) -> str:
    """Return the sentence of `notification` in the active language."""
    return WORDING[notification.kind](notification.params or {})


def notification_detail(notification: Notification) -> str:
    """Return the comment or message that goes with it ("" when there is none)."""
    return str((notification.params or {}).get("comment") or "")
