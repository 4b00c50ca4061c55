"""Supervisors review officials' progress reports: approve makes a report the task's own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from etown.jobs import job_enqueue
from notifications.models import NotificationKind
from notifications.services import notification_send
from workplan.emails import send_report_reviewed_job
from workplan.models import ProgressReport, ReviewState
from workplan.permissions import can_review_report
from workplan.services.tasks import task_take_report

# A comment goes to the official by mail and on the report; no review needs more.
COMMENT_MAX_CHARS = 2000


def _checked_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            _("A comment may be at most %(limit)d characters; this one has %(count)d."),
            params={"limit": COMMENT_MAX_CHARS, "count": len(comment)},
            code="comment_too_long",
        )
    return comment


def _lock_pending(report: ProgressReport, reviewer) -> ProgressReport:
    locked = (
        ProgressReport.objects.select_for_update().select_related("task__area").get(pk=report.pk)
    )
    if not can_review_report(reviewer, locked):
        raise PermissionDenied(
            _("You may only review reports on tasks in the areas you supervise.")
        )
    if locked.review_state != ReviewState.PENDING:
        raise ValidationError(
            _("This report was already %(state)s; reload the review queue."),
            params={"state": locked.get_review_state_display().lower()},
            code="already_reviewed",
        )
    return locked


def _mark_reviewed(report: ProgressReport, *, state: str, reviewer, comment: str) -> None:
    report.review_state = state
    report.reviewed_by = reviewer
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report._history_user = reviewer
    report.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "review_comment"])


def _tell_author(report: ProgressReport, *, kind: str, reviewer) -> None:
    # The inbox gets a notification; the mail stays the review mail (workplan.emails), which
    # carries the progress and the whole comment: one mail per review, not two.
    task = report.task
    notification_send(
        recipient=report.author,
        kind=kind,
        url=reverse("workplan:task_detail", args=[task.pk]),
        params={"task": task.title, "task_zh": task.title_zh, "comment": report.review_comment},
        actor=reviewer,
        mail=False,
    )
    # Queued once the review is committed; a mail server that refuses is the job's to retry,
    # never the reviewer's error, and never stops a bulk review half way.
    transaction.on_commit(lambda: job_enqueue(send_report_reviewed_job, report.pk))


@transaction.atomic
def report_approve(*, report: ProgressReport, reviewer, comment: str = "") -> ProgressReport:
    """Approve a pending report: its progress and status become the task's own."""
    comment = _checked_comment(comment)
    report = _lock_pending(report, reviewer)
    _mark_reviewed(report, state=ReviewState.APPROVED, reviewer=reviewer, comment=comment)
    report.task = task_take_report(
        task=report.task, user=reviewer, status=report.status, progress=report.progress
    )
    _tell_author(report, kind=NotificationKind.REPORT_APPROVED, reviewer=reviewer)
    return report


@transaction.atomic
def report_return(*, report: ProgressReport, reviewer, comment: str) -> ProgressReport:
    """Return a pending report to its author with a comment saying what to fix."""
    comment = _checked_comment(comment)
    if not comment:
        raise ValidationError(
            _("Say why the report goes back: the official reads this comment."),
            code="comment_required",
        )
    report = _lock_pending(report, reviewer)
    _mark_reviewed(report, state=ReviewState.RETURNED, reviewer=reviewer, comment=comment)
    _tell_author(report, kind=NotificationKind.REPORT_RETURNED, reviewer=reviewer)
    return report
