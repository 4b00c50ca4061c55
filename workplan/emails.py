"""Mails after a review (a report approved or returned), in the recipient's language.

The services queue them as Celery jobs once their transaction commits (`etown.jobs.job_enqueue`);
the job lives here, below the services that queue it, and `workplan.tasks` names it for the
worker.
"""

import logging
import smtplib

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)

# What a mail server that is down, busy or refusing raises (socket errors are OSErrors).
MAIL_ERRORS = (smtplib.SMTPException, OSError)
# A refused review mail is tried again after 10 s, 20 s, 40 s ... at most an hour apart: ten
# times over about two and a half hours.
MAIL_RETRIES = 10
MAIL_RETRY_BACKOFF_SECONDS = 10
MAIL_RETRY_BACKOFF_MAX_SECONDS = 60 * 60


def task_absolute_url(task_id: int) -> str:
    """Return the link to a task's page for a mail (SITE_URL and the task's URL)."""
    return settings.SITE_URL.rstrip("/") + reverse("workplan:task_detail", args=[task_id])


def _send(*, user, template: str, context: dict) -> bool:
    """Render templates/emails/<template>.{txt,html} and its subject for `user`; send it."""
    if not user.email:
        return False
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message.send() == 1


def send_report_reviewed(*, report_id: int) -> bool:
    """Tell a report's author that it was approved or returned, with the reviewer's comment."""
    from workplan.models import ProgressReport, ReviewState

    report = ProgressReport.objects.select_related("task__area", "author", "reviewed_by").get(
        pk=report_id
    )
    if report.review_state == ReviewState.PENDING:
        return False
    template = (
        "workplan/report_approved"
        if report.review_state == ReviewState.APPROVED
        else "workplan/report_returned"
    )
    return _send(
        user=report.author,
        template=template,
        context={
            "report": report,
            "task": report.task,
            "task_url": task_absolute_url(report.task_id),
        },
    )


@shared_task(bind=True, name="workplan.tasks.send_report_reviewed", ignore_result=True)
def send_report_reviewed_job(self, report_id: int) -> bool:
    """Send the review mail of a report; retry later, with backoff, while the server fails."""
    try:
        return send_report_reviewed(report_id=report_id)
    except MAIL_ERRORS as error:
        retries = self.request.retries
        # In-process (no REDIS_URL) no worker would retry later, and retrying now holds the
        # reviewer's page: the review stands, the mail is lost, and this line says so.
        final = self.request.is_eager or retries >= MAIL_RETRIES
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "mail_not_sent",
            extra={
                "task": self.name,
                "report": report_id,
                "retries": retries,
                "retrying": not final,
                "error": error.__class__.__name__,
            },
        )
        if self.request.is_eager:
            return False
        countdown = get_exponential_backoff_interval(
            MAIL_RETRY_BACKOFF_SECONDS, retries, MAIL_RETRY_BACKOFF_MAX_SECONDS
        )
        raise self.retry(exc=error, countdown=countdown, max_retries=MAIL_RETRIES) from None
