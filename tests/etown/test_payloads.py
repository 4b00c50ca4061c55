"""Hostile input comes out inert: escaped in pages and mails, text in exports, refused uploads.

The payloads are real: a script, an attribute break-out and a spreadsheet formula, placed in
task titles, report notes, evidence file names, department names and review comments.
"""

import io

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from etown.resources import formula_neutralise
from tests.factories import (
    AreaFactory,
    DepartmentFactory,
    ProgressReportFactory,
    TaskFactory,
    UserFactory,
)
from tests.workplan import evidence_samples as samples
from workplan.models import Evidence, ProgressReport, TaskStatus
from workplan.resources import TaskResource
from workplan.services import report_return

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + BREAKOUT
# What must never appear in a page: the payload's tags, live.
LIVE = ["<script>alert(", "<img src=x onerror"]


@pytest.fixture
def hostile(db):
    department = DepartmentFactory(code="evil", name=f"Dept {PAYLOAD}")
    supervisor = UserFactory(role=Role.SUPERVISOR)
    official = UserFactory(role=Role.OFFICIAL, department=department, first_name=PAYLOAD)
    area = AreaFactory(title=f"Area {PAYLOAD}")
    area.supervisors.add(supervisor)
    task = TaskFactory(
        area=area,
        owner=official,
        lead_department=department,
        title=f"Task {PAYLOAD}",
        description=f"Description {PAYLOAD}",
    )
    report = ProgressReportFactory(task=task, author=official, note=f"Note {PAYLOAD}")
    Evidence.objects.create(
        report=report,
        file=samples.pdf(),
        original_name=f"{PAYLOAD}.pdf",
        content_type="application/pdf",
        size=len(samples.PDF_BYTES),
    )
    return {"official": official, "supervisor": supervisor, "task": task, "report": report}


def assert_inert(response):
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    for live in LIVE:
        assert live not in text, f"{live!r} reached the page unescaped"
    # The payload is shown, escaped, not dropped.
    assert "&lt;script&gt;alert(" in text or "\\u003Cscript\\u003Ealert(" in text


@pytest.mark.parametrize("page", ["dashboard", "task_list", "task_detail"])
def test_payloads_are_escaped_in_every_portal_page(client, hostile, page):
    client.force_login(hostile["official"])
    args = [hostile["task"].pk] if page == "task_detail" else []
    assert_inert(client.get(reverse(f"workplan:{page}", args=args)))


def test_payloads_are_escaped_in_the_portal_task_list_search_and_filters(client, hostile):
    client.force_login(hostile["official"])
    response = client.get(reverse("workplan:task_list"), {"q": PAYLOAD, "status": PAYLOAD})
    assert response.status_code == 200
    for live in LIVE:
        assert live not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "admin:index",
        "admin:workplan_task_changelist",
        "admin:workplan_task_change",
        "admin:workplan_task_history",
        "admin:workplan_progressreport_changelist",
        "admin:workplan_progressreport_change",
        "admin:workplan_evidence_changelist",
        "admin:workplan_area_changelist",
    ],
)
def test_payloads_are_escaped_in_the_supervisors_admin_pages(client, hostile, url):
    client.force_login(hostile["supervisor"])
    if url.endswith("progressreport_change"):
        args = [hostile["report"].pk]
    elif url.endswith(("_change", "_history")):
        args = [hostile["task"].pk]
    else:
        args = []
    assert_inert(client.get(reverse(url, args=args)))


def test_payloads_are_escaped_in_the_admins_department_and_user_pages(client, hostile):
    client.force_login(UserFactory(role=Role.ADMIN))
    for url in ("admin:accounts_department_changelist", "admin:accounts_user_changelist"):
        assert_inert(client.get(reverse(url)))


def test_payloads_are_escaped_in_the_returned_report_mail_and_plain_in_its_text(hostile):
    report_return(
        report=hostile["report"], reviewer=hostile["supervisor"], comment=f"Fix {PAYLOAD}"
    )
    # The mail goes out after commit; the test transaction never commits, so send it here.
    from workplan.emails import send_report_reviewed

    send_report_reviewed(report_id=hostile["report"].pk)
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    for live in LIVE:
        assert live not in html
    assert "&lt;script&gt;alert(" in html
    # Plain text is not HTML: the words arrive as typed, not as entities.
    assert f"Fix {PAYLOAD}" in message.body
    assert "&lt;" not in message.body
    assert "\n" not in message.subject


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://evil")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"],
)
def test_a_cell_a_spreadsheet_would_evaluate_is_exported_as_text(value):
    assert formula_neutralise(value) == "'" + value
    assert formula_neutralise("Plain title") == "Plain title"
    assert formula_neutralise(7) == 7


@pytest.mark.parametrize("file_format", ["0", "1"])
def test_exported_task_titles_starting_a_formula_are_neutralised_in_csv_and_xlsx(
    client, hostile, file_format
):
    task = hostile["task"]
    task.title = '=HYPERLINK("http://evil.example","Click")'
    task.description = "@SUM(1+1)*cmd|' /C calc'!A0"
    task.save()
    client.force_login(hostile["supervisor"])
    response = client.post(
        reverse("admin:workplan_task_export"),
        {
            "format": file_format,
            "resource": "0",
            **{f"taskresource_{name}": "on" for name in TaskResource.Meta.fields},
        },
    )
    assert response.status_code == 200
    if file_format == "0":
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        text = text.decode("utf-8-sig")
        assert "'=HYPERLINK(" in text
        assert "'@SUM(1+1)" in text
        assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [cell for row in workbook.active.iter_rows() for cell in row]
        titles = [cell.value for cell in cells if isinstance(cell.value, str)]
        assert '\'=HYPERLINK("http://evil.example","Click")' in titles
        assert all(cell.data_type != "f" for cell in cells), "a formula cell was written"


# --- Uploads ---------------------------------------------------------------------------------


def _stored_files(tmp_path) -> int:
    media = tmp_path / "media"
    return sum(1 for path in media.rglob("*") if path.is_file()) if media.exists() else 0


def _post_report(client, task, upload):
    return client.post(
        reverse("workplan:task_detail", args=[task.pk]),
        {
            "progress": 40,
            "status": TaskStatus.IN_PROGRESS,
            "note": "With evidence",
            "version": task.version,
            "evidence": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("report.exe", samples.PDF_BYTES, "does not end in .pdf"),
        ("minutes.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "not a PDF"),
        ("minutes.pdf", b"MZ\x90\x00\x03 a Windows program", "not a PDF"),
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "not a PDF"),
    ],
)
def test_an_upload_whose_content_or_name_is_wrong_is_refused_and_nothing_stored(
    client, hostile, settings, tmp_path, name, content, says
):
    client.force_login(hostile["official"])
    task = hostile["task"]
    reports, files = ProgressReport.objects.count(), _stored_files(tmp_path)
    response = _post_report(client, task, samples.upload(name, content))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert ProgressReport.objects.count() == reports
    assert Evidence.objects.filter(original_name=name).count() == 0
    assert _stored_files(tmp_path) == files


def test_an_oversized_upload_is_refused_with_the_limit_and_nothing_stored(
    client, hostile, settings, tmp_path
):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(hostile["official"])
    big = samples.PDF_BYTES + b"0" * 2048
    files = _stored_files(tmp_path)
    response = _post_report(client, hostile["task"], samples.upload("big.pdf", big))
    assert response.status_code == 200
    assert "a file may be at most 1.0" in response.content.decode()
    assert not Evidence.objects.filter(original_name="big.pdf").exists()
    assert _stored_files(tmp_path) == files


def test_evidence_downloads_as_an_attachment_that_the_browser_may_not_sniff(client, hostile):
    client.force_login(hostile["official"])
    evidence = hostile["report"].evidence.get()
    response = client.get(reverse("workplan:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The hostile name cannot break out of the header's quoted file name.
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.replace('\\"', "").count('"') == 2


def test_evidence_has_no_public_url(client, hostile, settings):
    evidence = hostile["report"].evidence.get()
    client.force_login(hostile["official"])
    assert client.get(settings.MEDIA_URL + evidence.file.name).status_code == 404


@pytest.mark.parametrize("kind", ["digest", "escalation"])
def test_payloads_are_escaped_in_reminder_mails_and_plain_in_their_text(hostile, kind):
    import datetime

    from workplan.models import Reminder
    from workplan.reminders.mails import reminder_message

    task = hostile["task"]
    task.due_date = datetime.date(2024, 6, 1)
    task.start_date = datetime.date(2024, 1, 1)
    task.save()
    recipient = hostile["official"] if kind == "digest" else hostile["supervisor"]
    reminder = Reminder.objects.create(
        recipient=recipient, kind=kind, date=datetime.date(2024, 6, 10), overdue_task_ids=[task.pk]
    )
    task = type(task).objects.select_related("area", "owner").get(pk=task.pk)

    message = reminder_message(reminder=reminder, tasks={task.pk: task})

    html = message.alternatives[0][0]
    for live in LIVE:
        assert live not in html
    assert "&lt;script&gt;alert(" in html
    assert f"Task {PAYLOAD}" in message.body
    assert "&lt;" not in message.body
    assert "\n" not in message.subject
