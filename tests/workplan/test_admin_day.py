"""A supervisor's day in the back office, each form submitted as its page renders it."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import TaskFactory, UserFactory
from tests.rendered_forms import post_data, rendered_form
from workplan.models import DeadlineExtension

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def _action_page(client, task, action):
    """Open an action's form from the task page's button, as a supervisor clicks it."""
    page = client.get(reverse("admin:workplan_task_change", args=[task.pk]))
    assert page.status_code == 200
    buttons = [
        form
        for form in page.text.split("<form")
        if f'name="action" value="{action}"' in form and "object-tool-form" in form
    ]
    assert len(buttons) == 1
    button = rendered_form("<form" + buttons[0], method="post")
    response = client.post(button["action"], post_data(button))
    assert response.status_code == 200, response.status_code
    return response


def test_reassigning_from_the_task_page_renders_a_search_box_and_changes_the_owner(
    sup_client, task
):
    new_owner = UserFactory(role=Role.OFFICIAL, first_name="Wei", last_name="Zhang")
    response = _action_page(sup_client, task, "reassign_owner")
    assert "admin-autocomplete" in response.text
    form = rendered_form(response.text, id="action-form")
    done = sup_client.post(
        form["action"] or response.request["PATH_INFO"],
        post_data(form, "apply", owner=str(new_owner.pk)),
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.owner == new_owner


def test_reassigning_from_the_changelist_renders_the_form(sup_client, task):
    url = reverse("admin:workplan_task_changelist")
    response = sup_client.post(url, {"action": "reassign_owner", "_selected_action": [task.pk]})
    assert response.status_code == 200
    assert 'name="owner"' in response.text


def _extend(client, task, typed_date, reason="Permits came late.", language="en"):
    client.cookies["django_language"] = language
    page = _action_page(client, task, "extend_deadline")
    form = rendered_form(page.text, id="action-form")
    return client.post(
        page.request["PATH_INFO"],
        post_data(form, "apply", new_due_date=typed_date, reason=reason),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_an_extension_to_an_earlier_date_is_refused_on_the_form_and_changes_nothing(
    sup_client, task
):
    due = task.due_date
    earlier = due - datetime.timedelta(days=23)
    response = _extend(sup_client, task, earlier.isoformat())
    assert response.status_code == 200
    assert "an extension only moves a deadline later" in response.text
    assert earlier.isoformat() in response.text  # what was typed is still there
    assert "Permits came late." in response.text
    task.refresh_from_db()
    assert task.due_date == due
    assert not DeadlineExtension.objects.exists()


def test_an_extension_to_the_same_date_is_refused_on_the_form(sup_client, task):
    response = _extend(sup_client, task, task.due_date.isoformat())
    assert response.status_code == 200
    assert "pick another date" in response.text
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "written", ["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{d.year}年{d.month}月{d.day}日"]
)
def test_an_extension_takes_iso_and_chinese_dates_in_both_languages(
    sup_client, task, language, written
):
    later = task.due_date + datetime.timedelta(days=40)
    typed = written.format(later, d=later)
    response = _extend(sup_client, task, typed, language=language)
    assert response.status_code == 302, response.context["form"].errors
    task.refresh_from_db()
    assert task.due_date == later


def test_an_ambiguous_date_is_refused_with_the_format_to_use(sup_client, task):
    later = task.due_date + datetime.timedelta(days=40)
    response = _extend(sup_client, task, f"{later:%m/%d/%Y}")
    assert response.status_code == 200
    assert "2026-12-25" in response.text
    assert not DeadlineExtension.objects.exists()


def test_the_extend_form_carries_the_calendar_catalogue_and_a_format_hint(sup_client, task):
    for language in ("en", "zh-hans"):
        sup_client.cookies["django_language"] = language
        page = _action_page(sup_client, task, "extend_deadline")
        catalogue = page.text.index(reverse("admin:jsi18n"))
        assert catalogue < page.text.index("admin/js/calendar.js")
        assert catalogue < page.text.index("admin/js/admin/DateTimeShortcuts.js")
        assert "2026-12-25" in page.text
    assert sup_client.get(reverse("admin:jsi18n")).status_code == 200


def _report(task, author, progress=70, status="in_progress", note="Halfway."):
    from workplan.services import task_report_progress

    return task_report_progress(
        task=task,
        author=author,
        progress=progress,
        status=status,
        note=note,
        expected_version=task.version,
    )


def _review_page(client, report):
    return client.get(reverse("admin:workplan_progressreport_change", args=[report.pk]))


def test_a_fresh_report_is_not_flagged_as_stale(sup_client, task, official):
    report = _report(task, official)
    _report(task, official, progress=75, note="A colleague's later report changes nothing.")
    response = _review_page(sup_client, report)
    assert "changed after this report was written" not in response.text
    assert "Task version" not in response.text


def test_the_review_page_says_what_changed_since_the_report(sup_client, task, official, supervisor):
    from workplan.services import deadline_extend, report_approve

    earlier = _report(task, official, progress=40, status="blocked", note="Waiting for permits.")
    report = _report(task, official, progress=70)
    report_approve(report=earlier, reviewer=supervisor)
    old_due = task.due_date
    deadline_extend(
        task=task,
        new_due_date=old_due + datetime.timedelta(days=9),
        reason="Rain.",
        user=supervisor,
    )
    response = _review_page(sup_client, report)
    assert "changed after this report was written" in response.text
    changes = response.context["task_changes"]
    assert len(changes) == 3
    assert changes[0].endswith("→ 40 %")
    assert changes[1].startswith("Status:")
    assert changes[2].startswith("Due date:")


def test_approving_an_older_report_never_reopens_a_completed_task(sup_client, task, official):
    from workplan.models import ReviewState, TaskStatus

    older = _report(task, official, progress=70)
    task.refresh_from_db()
    final = _report(task, official, progress=100, status=TaskStatus.COMPLETED, note="Done.")
    for report in (final, older):
        page = _review_page(sup_client, report)
        if report is older:
            # Settled when the final report completed the task: nothing left to approve.
            assert 'name="_approve"' not in page.text
            continue
        form = rendered_form(page.text, id="progressreport_form")
        response = sup_client.post(page.request["PATH_INFO"], post_data(form, "_approve"))
        assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETED, 100)
    older.refresh_from_db()
    assert older.review_state == ReviewState.APPROVED
    assert "not applied" in older.review_comment


def test_approving_a_pending_report_of_a_completed_task_leaves_it_done(task, official, supervisor):
    from workplan.models import ProgressReport, ReviewState, TaskStatus
    from workplan.services import report_approve

    report = _report(task, official, progress=70)
    # A task completed before reports were settled on completion (older data).
    from workplan.models import Task

    Task.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED, progress=100)
    report_approve(report=ProgressReport.objects.get(pk=report.pk), reviewer=supervisor)
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETED, 100)
    report.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED


def test_mark_done_settles_the_tasks_pending_reports_and_tells_their_authors(
    sup_client, task, official, django_capture_on_commit_callbacks
):
    from django.core import mail

    from workplan.models import ReviewState, TaskStatus

    pending = [_report(task, official, progress=p) for p in (30, 60)]
    url = reverse("admin:workplan_task_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        sup_client.post(url, {"action": "mark_done", "_selected_action": [task.pk], "index": 0})
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    for report in pending:
        report.refresh_from_db()
        assert report.review_state == ReviewState.APPROVED
        assert "not applied" in report.review_comment
    queue = sup_client.get(reverse("admin:workplan_progressreport_changelist"))
    assert list(queue.context["cl"].result_list) == []
    assert len(mail.outbox) == 2


def test_a_supervisor_opens_evidence_from_the_review_page_the_list_and_its_page(
    sup_client, report_with_evidence
):
    evidence = report_with_evidence.evidence.get()
    download = reverse("workplan:evidence_download", args=[evidence.pk])
    pages = [
        reverse("admin:workplan_progressreport_change", args=[report_with_evidence.pk]),
        reverse("admin:workplan_evidence_changelist"),
        reverse("admin:workplan_evidence_change", args=[evidence.pk]),
    ]
    for url in pages:
        response = sup_client.get(url)
        assert f'href="{download}"' in response.text, url
    file = sup_client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"].startswith("attachment")


def test_evidence_outside_a_supervisors_areas_is_not_found(client, report_with_evidence):
    client.force_login(UserFactory(role=Role.SUPERVISOR))
    evidence = report_with_evidence.evidence.get()
    assert client.get(reverse("workplan:evidence_download", args=[evidence.pk])).status_code == 404


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Due date", "Owner", "Status", "Not started", "Completed", "Marked done"]),
        ("zh-hans", ["完成时限", "责任人", "未启动", "已完成", "已标记为已完成"]),
    ],
)
def test_the_task_history_reads_as_labels_names_and_local_dates(
    sup_client, area, supervisor, language, words
):
    from workplan.models import TaskStatus
    from workplan.services import task_mark_done, task_reassign

    task = TaskFactory(area=area, owner=None, status=TaskStatus.NOT_STARTED, progress=0)
    owner = UserFactory(role=Role.OFFICIAL, first_name="Wei", last_name="Zhang")
    task_reassign(task=task, owner=owner, user=supervisor)
    task_mark_done(task=task, user=supervisor)
    sup_client.cookies["django_language"] = language
    response = sup_client.get(reverse("admin:workplan_task_history", args=[task.pk]))
    text = response.content.decode()
    for word in words:
        assert word in text, word
    assert str(owner) in text
    for raw in ("pk=None", "not_started", ">None<", "due_date", "completed<", "style="):
        assert raw not in text, raw


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["Due date (due_date)", "Plan (year) (plan)", "Chinese title (title_zh)"]),
        ("zh-hans", ["完成时限 (due_date)", "牵头单位 (lead_department)"]),
    ],
)
def test_the_export_form_names_each_column_by_its_label(sup_client, task, language, labels):
    sup_client.cookies["django_language"] = language
    response = sup_client.get(reverse("admin:workplan_task_export"))
    assert response.status_code == 200
    for label in labels:
        assert label in response.text, label
    assert "Title Zh" not in response.text
