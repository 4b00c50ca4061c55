"""The supervisors' back office: review queue, task actions, history, index, query budgets."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import ProgressReportFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension, ReviewState, Task, TaskStatus, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def _reports(task, count):
    now = datetime.datetime.now(tz=datetime.UTC)
    return [
        ProgressReportFactory(
            task=task, note=f"Report {n}", created_at=now - datetime.timedelta(days=count - n)
        )
        for n in range(count)
    ]


def test_the_review_queue_lists_pending_reports_oldest_first_with_the_task_beside(sup_client, task):
    oldest, middle, newest = _reports(task, 3)
    middle.review_state = ReviewState.APPROVED
    middle.save()
    response = sup_client.get(reverse("admin:workplan_progressreport_changelist"))
    listed = list(response.context["cl"].result_list)
    assert listed == [oldest, newest]
    assert "Task now" in response.text


def test_a_report_is_returned_from_its_page_with_a_comment_that_reaches_the_official(
    sup_client, task, django_capture_on_commit_callbacks
):
    report = ProgressReportFactory(task=task)
    url = reverse("admin:workplan_progressreport_change", args=[report.pk])
    page = sup_client.get(url)
    assert 'name="_return"' in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = sup_client.post(url, {"_return": "1", "comment": "Numbers do not add up."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.review_state == ReviewState.RETURNED
    assert [m.to for m in mail.outbox] == [[task.owner.email]]
    assert "Numbers do not add up." in mail.outbox[0].body


def test_returning_without_a_comment_says_so_and_keeps_the_report_pending(sup_client, task):
    report = ProgressReportFactory(task=task)
    url = reverse("admin:workplan_progressreport_change", args=[report.pk])
    response = sup_client.post(url, {"_return": "1", "comment": ""}, follow=True)
    assert "Say why the report goes back" in response.text
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING


def test_a_return_comment_over_2000_characters_is_refused_and_the_field_says_its_limit(
    sup_client, task
):
    report = ProgressReportFactory(task=task)
    url = reverse("admin:workplan_progressreport_change", args=[report.pk])
    assert 'maxlength="2000"' in sup_client.get(url).text
    response = sup_client.post(url, {"_return": "1", "comment": "x" * 2001}, follow=True)
    assert "at most 2000 characters" in response.text
    report.refresh_from_db()
    assert report.review_state == ReviewState.PENDING


def test_a_report_reviewed_meanwhile_by_a_colleague_is_not_reviewed_twice(
    sup_client, task, supervisor
):
    from workplan.services import report_approve

    report = ProgressReportFactory(task=task)
    url = reverse("admin:workplan_progressreport_change", args=[report.pk])
    page = sup_client.get(url)  # the supervisor opens the report...
    assert page.status_code == 200
    report_approve(report=report, reviewer=supervisor)  # ...a colleague approves it meanwhile
    response = sup_client.post(url, {"_return": "1", "comment": "Check the totals."}, follow=True)
    assert "already approved" in response.text
    report.refresh_from_db()
    assert report.review_state == ReviewState.APPROVED
    assert report.review_comment == ""


def test_a_report_is_approved_from_its_page(sup_client, task):
    report = ProgressReportFactory(task=task, progress=75)
    url = reverse("admin:workplan_progressreport_change", args=[report.pk])
    sup_client.post(url, {"_approve": "1", "comment": ""})
    task.refresh_from_db()
    assert task.progress == 75


def test_bulk_return_asks_for_a_comment_first_then_returns_every_selected_report(
    sup_client, task, django_capture_on_commit_callbacks
):
    reports = _reports(task, 2)
    url = reverse("admin:workplan_progressreport_changelist")
    selected = [r.pk for r in reports]
    page = sup_client.post(
        url, {"action": "return_selected", "_selected_action": selected, "index": 0}
    )
    assert page.status_code == 200
    assert 'name="comment"' in page.text
    assert all(
        r.review_state == ReviewState.PENDING
        for r in type(reports[0]).objects.filter(pk__in=selected)
    )

    empty = sup_client.post(
        url, {"action": "return_selected", "_selected_action": selected, "apply": "1"}
    )
    assert empty.status_code == 200
    assert "This field is required" in empty.text

    with django_capture_on_commit_callbacks(execute=True):
        sup_client.post(
            url,
            {
                "action": "return_selected",
                "_selected_action": selected,
                "apply": "1",
                "comment": "Add the evidence.",
            },
        )
    states = set(type(reports[0]).objects.filter(pk__in=selected).values_list("review_state"))
    assert states == {(ReviewState.RETURNED,)}
    assert len(mail.outbox) == 2


def test_bulk_approve_approves_the_selected_reports(sup_client, task):
    reports = _reports(task, 2)
    sup_client.post(
        reverse("admin:workplan_progressreport_changelist"),
        {"action": "approve_selected", "_selected_action": [r.pk for r in reports], "index": 0},
    )
    for report in reports:
        report.refresh_from_db()
        assert report.review_state == ReviewState.APPROVED


def test_the_extend_deadline_action_needs_a_reason_and_then_records_the_extension(sup_client, task):
    url = reverse("admin:workplan_task_changelist")
    new_date = task.due_date + datetime.timedelta(days=20)
    data = {
        "action": "extend_deadline",
        "_selected_action": [task.pk],
        "apply": "1",
        "new_due_date": new_date.isoformat(),
        "reason": "",
    }
    response = sup_client.post(url, data)
    assert response.status_code == 200
    assert new_date.isoformat() in response.text  # what was typed is still there
    assert not DeadlineExtension.objects.exists()

    sup_client.post(url, {**data, "reason": "Permits late."})
    task.refresh_from_db()
    assert task.due_date == new_date
    assert task.extensions.get().reason == "Permits late."


def test_the_reassign_action_changes_the_owner(sup_client, task):
    new_owner = UserFactory(role=Role.OFFICIAL)
    sup_client.post(
        reverse("admin:workplan_task_changelist"),
        {
            "action": "reassign_owner",
            "_selected_action": [task.pk],
            "apply": "1",
            "owner": new_owner.pk,
        },
    )
    task.refresh_from_db()
    assert task.owner == new_owner


def test_the_mark_done_action_completes_the_task(sup_client, task):
    sup_client.post(
        reverse("admin:workplan_task_changelist"),
        {"action": "mark_done", "_selected_action": [task.pk], "index": 0},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED


def test_the_task_page_offers_the_actions_and_counts_the_extensions(sup_client, task, supervisor):
    from workplan.services import deadline_extend

    deadline_extend(
        task=task,
        new_due_date=task.due_date + datetime.timedelta(days=5),
        reason="Rain.",
        user=supervisor,
    )
    response = sup_client.get(reverse("admin:workplan_task_change", args=[task.pk]))
    assert response.status_code == 200
    for action in ("reassign_owner", "extend_deadline", "mark_done"):
        assert f'value="{action}"' in response.text
    assert response.context["adminform"].form.instance.extensions.count() == 1
    # Owner and due date change only through the actions, which record why.
    assert "due_date" not in response.context["adminform"].form.fields
    assert "owner" not in response.context["adminform"].form.fields


def test_the_history_view_flags_deadline_and_owner_changes(sup_client, task, supervisor):
    from workplan.services import deadline_extend, task_reassign

    deadline_extend(
        task=task,
        new_due_date=task.due_date + datetime.timedelta(days=5),
        reason="Rain.",
        user=supervisor,
    )
    task_reassign(task=task, owner=UserFactory(), user=supervisor)
    response = sup_client.get(reverse("admin:workplan_task_history", args=[task.pk]))
    assert response.status_code == 200
    assert response.text.count('class="history-key-change"') == 2
    assert "Deadline changed" in response.text
    assert "Owner changed" in response.text


def test_the_task_list_shows_days_overdue_a_named_traffic_light_and_a_progress_bar(
    sup_client, area
):
    TaskFactory(
        area=area,
        start_date=today() - datetime.timedelta(days=30),
        due_date=today() - datetime.timedelta(days=4),
        progress=40,
    )
    response = sup_client.get(reverse("admin:workplan_task_changelist"))
    assert (
        '<span class="traffic-light traffic-light-red" aria-hidden="true"></span> '
        '<span class="urgency-label">Overdue</span>'
    ) in response.text
    assert '<progress class="task-progress" max="100" value="40">' in response.text
    assert '<td class="field-overdue_days">4</td>' in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"urgency": "overdue"},
        {"urgency": "due_soon"},
        {"urgency": "on_track"},
        {"urgency": "done"},
        {"urgency": "no-such-urgency"},
        {"lead_department__id__exact": "1"},
        {"area": "1"},
        {"review": "pending"},
        {"review": "none"},
        {"owner": "user"},
        {"status__exact": "blocked"},
        {"q": "Task"},
    ],
)
def test_every_task_filter_answers(sup_client, task, query):
    response = sup_client.get(reverse("admin:workplan_task_changelist"), query)
    assert response.status_code == 200


def test_the_urgency_filter_keeps_only_overdue_tasks(sup_client, area):
    late = TaskFactory(area=area, due_date=today() - datetime.timedelta(days=1))
    TaskFactory(area=area)
    response = sup_client.get(reverse("admin:workplan_task_changelist"), {"urgency": "overdue"})
    assert list(response.context["cl"].result_list) == [late]


def _bulk_tasks(area, owner, count):
    due = today() + datetime.timedelta(days=10)
    Task.objects.bulk_create(
        Task(
            area=area,
            title=f"Bulk task {n}",
            owner=owner,
            lead_department=owner.department,
            due_date=due,
        )
        for n in range(count)
    )


def _changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:workplan_task_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_the_task_list_costs_the_same_queries_for_10_and_1000_tasks(
    sup_client, area, official, django_assert_max_num_queries
):
    _bulk_tasks(area, official, 10)
    with django_assert_max_num_queries(14):
        few = _changelist_queries(sup_client)
    _bulk_tasks(area, official, 990)
    many = _changelist_queries(sup_client)
    assert many == few


@pytest.mark.parametrize(
    "url", ["admin:workplan_task_changelist", "admin:workplan_progressreport_changelist"]
)
def test_a_page_of_100_rows_costs_no_more_queries_than_a_page_of_5(
    sup_client, area, official, monkeypatch, url
):
    from django.contrib import admin

    from workplan.models import ProgressReport

    for model in (Task, ProgressReport):
        monkeypatch.setattr(admin.site.get_model_admin(model), "list_per_page", 100)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            response = sup_client.get(reverse(url))
        assert response.status_code == 200
        return len(queries), len(response.context["cl"].result_list)

    _bulk_tasks(area, official, 5)
    for task in Task.objects.all():
        ProgressReportFactory(task=task, author=official)
    few, rows = cost()
    assert rows == 5
    _bulk_tasks(area, official, 95)
    for task in Task.objects.filter(reports__isnull=True):
        ProgressReportFactory(task=task, author=official)
    many, rows = cost()
    assert rows == 100
    assert many == few


def test_the_review_queue_and_index_cost_the_same_queries_for_few_and_many_rows(
    sup_client, area, official
):
    _bulk_tasks(area, official, 3)
    for task in Task.objects.all():
        ProgressReportFactory(task=task)

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert sup_client.get(url).status_code == 200
        return len(queries)

    queue, index = reverse("admin:workplan_progressreport_changelist"), reverse("admin:index")
    before = cost(queue), cost(index)
    _bulk_tasks(area, official, 30)
    for task in Task.objects.filter(reports__isnull=True):
        ProgressReportFactory(task=task)
    assert (cost(queue), cost(index)) == before


def test_the_index_opens_on_what_to_do_today(sup_client, task):
    ProgressReportFactory(task=task)
    response = sup_client.get(reverse("admin:index"))
    assert response.context["work"].pending_count == 1
    assert "Reports awaiting review" in response.text
    assert "Overdue tasks in my areas" in response.text
    assert "Tasks due soon in my areas" in response.text


def test_the_index_leaves_a_place_for_the_reminder_schedule_and_log(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    labels = [str(link["label"]) for link in response.context["reminder_links"]]
    assert labels == ["Reminder log", "Reminder schedule"]
    assert reverse("admin:django_celery_beat_periodictask_changelist") in response.text


@pytest.mark.parametrize("term", ["Jade", "ROADS", "Pave ring"])
def test_the_task_search_finds_tasks_by_title_owner_or_lead_department(sup_client, area, term):
    from tests.factories import DepartmentFactory

    owner = UserFactory(first_name="Jade", department=DepartmentFactory(name="Roads bureau"))
    wanted = TaskFactory(area=area, owner=owner, title="Pave the ring road")
    TaskFactory(area=area, title="Plant trees")
    response = sup_client.get(reverse("admin:workplan_task_changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [wanted]
