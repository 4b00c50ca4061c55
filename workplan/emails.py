"""Mails after a review (a report approved or returned), in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


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
