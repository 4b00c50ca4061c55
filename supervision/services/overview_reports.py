"""Writes around the supervision report: the monthly mail to leaders, and report jobs.

The monthly mail, exactly once per leader and month, as the reminder digests are
(workplan/reminders/delivery.py):
- `monthly_reports_dispatch` records one row per active leader for the month before, under a
  unique constraint (leader, month): a second dispatch (a duplicate beat, a retry) adds nothing.
- `monthly_report_claim` moves one row from pending (or failed, or `sending` whose claim is older
  than the lease: a dead worker's) to `sending` with a conditional UPDATE: of two workers only
  one gets it.
- `monthly_report_send` builds the leader's report in their language, mails it, and marks the
  row sent, guarded by its claim timestamp.

Report jobs: a report asked for from the page is built by a Celery job (a year's PDF takes
seconds); the page polls the job's state and downloads the file when it is ready. The job's
state and file live in the cache for REPORT_JOB_TIMEOUT.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Role, User
from etown.jobs import job_enqueue
from supervision.models import MonthlyReportDelivery, MonthlyReportStatus
from supervision.overview import Period, previous_month
from supervision.reports import PdfUnavailableError, report_content, report_filename
from supervision.reports.pdf import write_pdf
from supervision.reports.word import write_docx
from workplan import caching
from workplan.calendar import WorkingCalendar

logger = logging.getLogger(__name__)

# A claim older than this is a dead worker's: the next dispatch sends the row again.
CLAIM_LEASE = datetime.timedelta(minutes=15)
# The days after the first working day on which a missed dispatch still runs (beat was down).
CATCH_UP_DAYS = 7
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def first_working_day(day: datetime.date) -> datetime.date:
    """Return the first working day (Chinese calendar, admin overrides) of `day`'s month."""
    first = day.replace(day=1)
    return WorkingCalendar(first, span_days=31).nth_working_day(first, 1)


@transaction.atomic
def monthly_reports_dispatch(*, on: datetime.date) -> list[int]:
    """Record the month before's report for every leader, on the month's first working day.

    Also on the CATCH_UP_DAYS after it, in case beat did not run that day; a row once recorded
    is never added again. Return the ids of the rows waiting to be sent.
    """
    start = first_working_day(on)
    if not start <= on <= start + datetime.timedelta(days=CATCH_UP_DAYS):
        return []
    month = previous_month(on).start
    leaders = User.objects.filter(role=Role.LEADER, is_active=True).exclude(email="")
    MonthlyReportDelivery.objects.bulk_create(
        [MonthlyReportDelivery(recipient=leader, month=month) for leader in leaders],
        ignore_conflicts=True,
    )
    return list(
        MonthlyReportDelivery.objects.filter(month=month)
        .filter(_claimable())
        .values_list("pk", flat=True)
    )


def _claimable() -> Q:
    stale = timezone.now() - CLAIM_LEASE
    return Q(status__in=[MonthlyReportStatus.PENDING, MonthlyReportStatus.FAILED]) | Q(
        status=MonthlyReportStatus.SENDING, claimed_at__lt=stale
    )


def monthly_report_claim(*, delivery_id: int) -> datetime.datetime | None:
    """Take one row for sending; return the claim's time, or None if another worker has it."""
    claimed_at = timezone.now()
    taken = (
        MonthlyReportDelivery.objects.filter(_claimable(), pk=delivery_id)
        .exclude(status=MonthlyReportStatus.SENT)
        .update(
            status=MonthlyReportStatus.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1
        )
    )
    return claimed_at if taken == 1 else None


def _mail(delivery: MonthlyReportDelivery) -> EmailMessage:
    leader = delivery.recipient
    month = delivery.month
    end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    period = Period(month, end, "month")
    with translation.override(leader.preferred_language or settings.LANGUAGE_CODE):
        content = report_content(leader, period)
        context = {"leader": leader, "period": period, "content": content}
        subject = " ".join(
            render_to_string("emails/supervision/monthly_report_subject.txt", context).split()
        )
        body = render_to_string("emails/supervision/monthly_report.txt", context)
        message = EmailMessage(subject, body, to=[leader.email])
        message.attach(report_filename(period, "docx"), write_docx(content), DOCX_TYPE)
        try:
            message.attach(report_filename(period, "pdf"), write_pdf(content), "application/pdf")
        except PdfUnavailableError as error:
            # The .docx says it all; the PDF needs system libraries this server lacks.
            logger.warning("monthly_report_without_pdf", extra={"error": str(error)})
    return message


def monthly_report_send(*, delivery_id: int) -> bool:
    """Mail one leader's monthly report, exactly once; return whether this call sent it.

    A failure to build or send gives the row back (pending, with the error) and raises, so
    the job retries it.
    """
    claimed_at = monthly_report_claim(delivery_id=delivery_id)
    if claimed_at is None:
        return False
    delivery = MonthlyReportDelivery.objects.select_related("recipient").get(pk=delivery_id)
    mine = MonthlyReportDelivery.objects.filter(
        pk=delivery_id, status=MonthlyReportStatus.SENDING, claimed_at=claimed_at
    )
    try:
        _mail(delivery).send()
    except Exception as error:
        mine.update(status=MonthlyReportStatus.PENDING, error=str(error)[:2000])
        raise
    mine.update(status=MonthlyReportStatus.SENT, sent_at=timezone.now(), error="")
    return True


def monthly_report_fail(*, delivery_id: int, error: str) -> None:
    """Mark a row whose last try failed; the next dispatch (or an operator) takes it again."""
    MonthlyReportDelivery.objects.filter(pk=delivery_id, status=MonthlyReportStatus.PENDING).update(
        status=MonthlyReportStatus.FAILED, error=error[:2000]
    )


# -- Report jobs ------------------------------------------------------------------------------

REPORT_JOB_TIMEOUT = 60 * 60
REPORT_FORMATS = ("docx", "pdf")


class JobState:
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


def report_job_start(*, user, period: Period, extension: str) -> str:
    """Queue a report job for `user`; return its id. The file is for `user` alone."""
    if extension not in REPORT_FORMATS:
        raise ValueError(f"Unknown report format {extension!r}")
    job_id = uuid.uuid4().hex
    job = {
        "user": user.pk,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "extension": extension,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "state": JobState.RUNNING,
        "error": "",
    }
    cache.set(caching.report_job_key(job_id), job, REPORT_JOB_TIMEOUT)
    # The job's module imports this one: imported here, when a job is queued.
    from supervision.tasks import build_report

    if not job_enqueue(build_report, job_id):
        job.update(state=JobState.FAILED, error="queue")
        cache.set(caching.report_job_key(job_id), job, REPORT_JOB_TIMEOUT)
    return job_id


def report_job_run(*, job_id: str) -> bool:
    """Build the job's file and keep it in the cache; return whether it was built."""
    job = cache.get(caching.report_job_key(job_id))
    if job is None:
        return False
    user = User.objects.get(pk=job["user"])
    period = Period(
        datetime.date.fromisoformat(job["start"]), datetime.date.fromisoformat(job["end"])
    )
    try:
        with translation.override(job["language"]):
            content = report_content(user, period)
            body = write_pdf(content) if job["extension"] == "pdf" else write_docx(content)
    except PdfUnavailableError as error:
        job.update(state=JobState.FAILED, error=str(error))
        cache.set(caching.report_job_key(job_id), job, REPORT_JOB_TIMEOUT)
        return False
    cache.set(caching.report_file_key(job_id), body, REPORT_JOB_TIMEOUT)
    job.update(state=JobState.READY)
    cache.set(caching.report_job_key(job_id), job, REPORT_JOB_TIMEOUT)
    return True


def report_job_for(*, user, job_id: str) -> dict | None:
    """Return the job if it is `user`'s (None otherwise: another's job does not exist)."""
    job = cache.get(caching.report_job_key(job_id))
    if job is None or job["user"] != user.pk:
        return None
    return job


def report_job_file(*, user, job_id: str) -> tuple[dict, bytes] | None:
    job = report_job_for(user=user, job_id=job_id)
    if job is None or job["state"] != JobState.READY:
        return None
    body = cache.get(caching.report_file_key(job_id))
    return (job, body) if body is not None else None
