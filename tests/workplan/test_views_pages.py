"""What the dashboard and the task list show, and what they cost in queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from tests.workplan.days import FRIDAY, D, portal_today
from workplan.models import ProgressReport, Task, TaskStatus, today
from workplan.services import task_mark_done

pytestmark = pytest.mark.django_db

# With an empty cache (the worst case): session, user, the working-day overrides (the urgency
# window), the grouped counts, the most urgent ids, their rows, their pending reports, the
# areas and the areas' completion. Cached figures (workplan/caching.py) save the counts and
# the completion on the next request. And the header's unread notifications. The supervision
# panels (settings WORKPLAN_DASHBOARD_PANELS) add two: the open instructions and the urge
# notices awaiting the user (their instructions' answers only when there are some). One
# more: the headline indicators with their latest readings. The report cycles in use (each
# row's marks, workplan/marks.py): one more on both lists.
DASHBOARD_QUERIES = 14
DASHBOARD_QUERIES_CACHED = 12
# Session, user, the working-day overrides, the area choices (cached afterwards), the
# department choices, the count (cached afterwards), the page's sort keys, its rows and their
# pending reports; the header's unread notifications.
TASK_LIST_QUERIES = 11
TASK_LIST_QUERIES_CACHED = 9


def days(n):
    return today() + datetime.timedelta(days=n)


def make_tasks(official, count):
    """Create `count` tasks for `official` across areas, with every kind of urgency."""
    areas = [AreaFactory() for _ in range(3)]
    supporting = DepartmentFactory()
    statuses = [
        TaskStatus.IN_PROGRESS,
        TaskStatus.BLOCKED,
        TaskStatus.COMPLETED,
        TaskStatus.NOT_STARTED,
    ]
    tasks = Task.objects.bulk_create(
        Task(
            area=areas[n % 3],
            title=f"Bulk task {n}",
            owner=official,
            lead_department=official.department,
            start_date=days(-120),
            due_date=days((n % 90) - 30),
            status=statuses[n % 4],
            progress=(n * 7) % 100,
        )
        for n in range(count)
    )
    Task.supporting_departments.through.objects.bulk_create(
        Task.supporting_departments.through(task_id=task.pk, department_id=supporting.pk)
        for task in tasks
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=task, author=official, progress=50, status="in_progress", task_version=1
        )
        for task in tasks[::2]
    )
    return tasks


def count_queries(client, url):
    # Counted with an empty cache: the worst case, the same whatever ran before.
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/", DASHBOARD_QUERIES),
        ("/tasks/", TASK_LIST_QUERIES),
        ("/tasks/?q=Bulk&overdue=on&sort=-progress&page=2", TASK_LIST_QUERIES),
    ],
)
def test_a_page_costs_the_same_queries_for_5_tasks_and_for_500(
    client, django_assert_max_num_queries, url, budget
):
    few = UserFactory(role=Role.OFFICIAL)
    many = UserFactory(role=Role.OFFICIAL)
    make_tasks(few, 5)
    make_tasks(many, 500)
    client.force_login(few)
    with django_assert_max_num_queries(budget):
        small = count_queries(client, url.replace("page=2", "page=1"))
    client.force_login(many)
    with django_assert_max_num_queries(budget):
        large = count_queries(client, url)
    assert small == large


def test_the_supervisors_dashboard_costs_the_same_for_5_and_500_tasks(
    client, django_assert_max_num_queries
):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    few = UserFactory(role=Role.OFFICIAL)
    make_tasks(few, 5)
    for area in {task.area for task in Task.objects.all()}:
        area.supervisors.add(supervisor)
    client.force_login(supervisor)
    small = count_queries(client, "/")
    many = UserFactory(role=Role.OFFICIAL)
    make_tasks(many, 500)
    for area in {task.area for task in Task.objects.all()}:
        area.supervisors.add(supervisor)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        large = count_queries(client, "/")
    assert small == large


def test_the_dashboard_counts_and_lists_the_most_urgent_task_first(client, official):
    TaskFactory(owner=official, title="Later", due_date=days(60))
    TaskFactory(owner=official, title="Late one", due_date=days(-4))
    client.force_login(official)
    response = client.get("/")
    content = response.content.decode()
    assert response.context["board"].counts["overdue"] == 1
    assert content.index("Late one") < content.index("Later")
    assert "4 days overdue" in content
    assert "traffic-red" in content
    assert 'id="dashboard-data"' in content
    assert "chart.umd.min.js" in content


def test_the_dashboard_has_no_inline_script_and_no_external_url(client, official, task):
    client.force_login(official)
    content = client.get("/").content.decode()
    for chunk in content.split("<script")[1:]:
        opening = chunk.split(">", 1)[0]
        assert "src=" in opening or 'type="application/json"' in opening
    assert "http://" not in content.replace("http://www.w3.org", "")
    assert "https://" not in content
    assert " on" + "click=" not in content


def test_a_new_official_is_told_what_to_do(client):
    newcomer = UserFactory(role=Role.OFFICIAL)
    client.force_login(newcomer)
    content = client.get("/").content.decode()
    assert 'id="empty-state"' in content
    assert "No tasks are assigned to you yet." in content
    assert "/accounts/calendar/" in content


def test_the_task_list_links_each_title_to_its_page(client, official, task):
    client.force_login(official)
    content = client.get("/tasks/").content.decode()
    assert f'href="/tasks/{task.pk}/"' in content
    assert task.title in content


def test_the_task_list_keeps_filters_in_the_page_links(client, official):
    for n in range(30):
        TaskFactory(owner=official, title=f"Road {n}", due_date=days(n + 10))
    client.force_login(official)
    response = client.get("/tasks/?q=Road&sort=due")
    content = response.content.decode()
    assert response.context["page"].paginator.count == 30
    assert "?q=Road&amp;sort=due&amp;page=2" in content
    page_two = client.get("/tasks/?q=Road&sort=due&page=2")
    assert len(page_two.context["tasks"]) == 5


def test_a_filter_that_matches_nothing_says_so_and_offers_to_clear(client, official, task):
    client.force_login(official)
    content = client.get("/tasks/?q=nothing-like-this").content.decode()
    assert "No task matches these filters." in content
    assert "Clear filters" in content


def test_a_malformed_filter_is_reported_not_a_crash(client, official, task):
    client.force_login(official)
    response = client.get("/tasks/?due_after=not-a-date&area=abc")
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


def test_the_task_page_shows_area_parent_subtasks_departments_and_days_left(client, official, task):
    support = DepartmentFactory(name="Ecology Bureau")
    task.supporting_departments.add(support)
    sub = TaskFactory(area=task.area, parent=task, owner=official, title="First phase")
    parent = TaskFactory(area=task.area, owner=official, title="The big programme")
    task.parent = parent
    task.save()
    client.force_login(official)
    content = client.get(f"/tasks/{task.pk}/").content.decode()
    assert task.area.title in content
    assert "The big programme" in content
    assert f'href="/tasks/{sub.pk}/"' in content
    assert "Ecology Bureau" in content
    assert official.department.name in content
    assert "30 days left" in content


def test_a_completed_task_is_grey_and_says_done(client, official):
    done = TaskFactory(owner=official, status=TaskStatus.COMPLETED, progress=100, due_date=days(-2))
    client.force_login(official)
    content = client.get(f"/tasks/{done.pk}/").content.decode()
    assert "traffic-grey" in content
    assert "overdue" not in content.split('id="due"')[1].split("</dd>")[0]


def test_the_task_page_costs_the_same_queries_for_1_report_and_for_30(client, official, task):
    from tests.factories import ProgressReportFactory
    from tests.workplan import evidence_samples as samples
    from workplan.models import Evidence

    def add_reports(count):
        for _ in range(count):
            report = ProgressReportFactory(task=task)
            Evidence.objects.create(
                report=report,
                file=samples.pdf(),
                original_name="minutes.pdf",
                content_type="application/pdf",
                size=10,
            )
        TaskFactory(area=task.area, parent=task, owner=official)

    client.force_login(official)
    add_reports(1)
    small = count_queries(client, f"/tasks/{task.pk}/")
    add_reports(29)
    large = count_queries(client, f"/tasks/{task.pk}/")
    assert small == large


def test_the_dashboard_reads_its_cached_figures_until_a_task_changes(
    client, official, area, supervisor, django_assert_num_queries
):
    task = TaskFactory(owner=official, area=area, due_date=days(-3), progress=0)
    client.force_login(official)
    assert count_queries(client, "/") == DASHBOARD_QUERIES
    with django_assert_num_queries(DASHBOARD_QUERIES_CACHED):
        response = client.get("/")
    assert response.context["board"].counts["overdue"] == 1
    assert response.context["board"].areas[0].completion == 0

    task_mark_done(task=task, user=supervisor)
    response = client.get("/")
    assert response.context["board"].counts == {
        "overdue": 0,
        "due_soon": 0,
        "on_track": 0,
        "done": 1,
    }
    assert response.context["board"].areas[0].completion == 100


def test_the_task_list_reads_its_cached_figures_on_the_next_request(
    client, official, django_assert_num_queries
):
    TaskFactory(owner=official)
    client.force_login(official)
    assert count_queries(client, "/tasks/") == TASK_LIST_QUERIES
    with django_assert_num_queries(TASK_LIST_QUERIES_CACHED):
        response = client.get("/tasks/")
    assert response.context["page"].paginator.count == 1


def test_an_officials_area_filter_offers_the_areas_of_their_tasks(client, official):
    mine = TaskFactory(owner=official)
    TaskFactory()  # in another area, not visible
    client.force_login(official)
    areas = [pk for pk, _ in client.get("/tasks/").context["filter"].form.fields["area"].choices]
    assert areas == ["", mine.area.pk]


@pytest.fixture
def tasks_around_friday(official, monkeypatch, settings):
    """Tasks of every urgency on Friday 2024-03-08 (due soon until Tuesday, 3 working days)."""
    settings.REMINDER_DUE_SOON_DAYS = 3
    portal_today(monkeypatch, FRIDAY)

    def task(title, due, status=TaskStatus.IN_PROGRESS):
        return TaskFactory(
            owner=official, title=title, start_date=None, due_date=due, status=status
        )

    return {
        "overdue": task("Late", D(2024, 3, 7)),
        "due_soon": task("Monday", D(2024, 3, 11), TaskStatus.BLOCKED),
        "on_track": task("Wednesday", D(2024, 3, 13), TaskStatus.BLOCKED),
        "done": task("Finished", D(2024, 3, 1), TaskStatus.COMPLETED),
    }


def rows_by_urgency(content):
    """Return {task page URL: data-urgency} for the rows holding a task's link."""
    rows = {}
    for row in content.split("<tr")[1:]:
        if 'href="/tasks/' not in row:
            continue
        urgency = row.split('data-urgency="', 1)[1].split('"', 1)[0]
        href = row.split('href="', 1)[1].split('"', 1)[0]
        rows[href] = urgency
    return rows


@pytest.mark.parametrize("url", ["/", "/tasks/"])
def test_each_task_row_carries_its_urgency(client, official, tasks_around_friday, url):
    client.force_login(official)
    content = client.get(url).content.decode()
    assert rows_by_urgency(content) == {
        f"/tasks/{task.pk}/": urgency for urgency, task in tasks_around_friday.items()
    }


def test_the_task_page_shows_the_urgency_its_row_shows(client, official, tasks_around_friday):
    client.force_login(official)
    for urgency, task in tasks_around_friday.items():
        content = client.get(f"/tasks/{task.pk}/").content.decode()
        heading = content.split('id="task-heading"', 1)[1].split(">", 1)[0]
        assert f'data-urgency="{urgency}"' in heading
        assert 'id="urgency"' in content


def test_the_dashboards_counts_link_to_the_tasks_they_count(client, official, tasks_around_friday):
    client.force_login(official)
    response = client.get("/")
    content = response.content.decode()
    for urgency, task in tasks_around_friday.items():
        assert response.context["board"].counts[urgency] == 1
        link = f"/tasks/?urgency={urgency}&amp;involvement=mine"
        assert link in content
        listed = client.get(link.replace("&amp;", "&")).context["tasks"]
        assert [row.pk for row in listed] == [task.pk]


def test_a_blocked_task_due_later_is_not_red(client, official, tasks_around_friday):
    client.force_login(official)
    content = client.get("/tasks/?status=blocked").content.decode()
    assert set(rows_by_urgency(content).values()) == {"due_soon", "on_track"}
    assert "traffic-red" not in content


def test_the_urgency_filter_is_offered_and_keeps_its_choice(client, official, tasks_around_friday):
    client.force_login(official)
    content = client.get("/tasks/?urgency=due_soon").content.decode()
    urgency_select = content.split('name="urgency"')[1].split("</select>")[0]
    assert '<option value="due_soon" selected>' in urgency_select
    assert rows_by_urgency(content) == {f"/tasks/{tasks_around_friday['due_soon'].pk}/": "due_soon"}


def test_the_task_list_shows_the_chosen_sort_and_filters_selected(client, official):
    TaskFactory(owner=official)
    client.force_login(official)
    content = client.get("/tasks/?sort=-due&status=blocked").content.decode()
    assert '<option value="-due" selected>' in content
    assert '<option value="blocked" selected>' in content
    status_select = content.split('name="status"')[1].split("</select>")[0]
    assert '<option value="" selected>' not in status_select


def test_the_dashboard_shows_each_headline_indicator_against_its_target(client, official):
    import datetime as dt
    from decimal import Decimal

    from tests.factories import PlanFactory
    from workplan.models import Indicator, IndicatorReading

    plan = PlanFactory()
    gdp = Indicator.objects.create(
        plan=plan, code="gdp", name="GDP growth", target=Decimal("6"), direction="about"
    )
    Indicator.objects.create(plan=plan, code="output", name="Output growth", target=Decimal("7"))
    for day, value in ((dt.date(2024, 3, 31), "5.1"), (dt.date(2024, 6, 30), "5.8")):
        IndicatorReading.objects.create(indicator=gdp, period_end=day, value=Decimal(value))
    client.force_login(official)
    html = client.get("/").content.decode()
    section = html[html.index('id="headline-indicators"') :]
    assert "GDP growth" in section and "5.8 %" in section and "2024-06-30" in section
    assert "On course" in section  # 5.8 is about 6 (within half a point)
    assert "Output growth" in section and "none recorded yet" in section
