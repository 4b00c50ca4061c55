"""One urgency everywhere: a grid of tasks classified alike by every page, count and digest.

"Today" is Thursday 2024-02-08, before the 2024 Spring Festival: Friday 2024-02-09 is a working
day, 10 to 17 February are statutory holidays and Sunday 18 February is a make-up working day.
With REMINDER_DUE_SOON_DAYS = 3 (today counted) the third working day is Sunday 18 February:
every task due from today to then is "due soon", one due on the 19th is on track, although the
19th is only eleven calendar days away. The grid's due dates run from ten days ago (past the
make-up Sunday of 4 February) to ten days ahead, in every status, plus a task without a due date.
"""

import datetime
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory
from workplan.models import TaskStatus
from workplan.reminders.policy import reminders_for
from workplan.urgency import Urgency, urgency_of, urgency_window

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 2, 8)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


class LinkUrgencies(HTMLParser):
    """Collect {href: urgency} for every link inside (or on) an element with data-urgency."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        urgency = attrs.get("data-urgency")
        if urgency is None and self.stack:
            urgency = self.stack[-1][1]
        if tag == "a" and urgency and attrs.get("href"):
            self.found.setdefault(attrs["href"], urgency)
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.stack.append((tag, urgency))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def link_urgencies(html: str, pattern: str) -> dict[int, str]:
    parser = LinkUrgencies()
    parser.feed(html)
    found = {}
    for href, urgency in parser.found.items():
        match = re.search(pattern, href)
        if match:
            found[int(match.group(1))] = urgency
    return found


@pytest.fixture
def frozen_today(monkeypatch, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.REMINDER_DUE_SOON_DAYS = 3
    moment = datetime.datetime.combine(TODAY, datetime.time(9, 0), tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


@pytest.fixture
def grid(frozen_today):
    department = DepartmentFactory()
    official = UserFactory(role=Role.OFFICIAL, department=department)
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    dues = [TODAY + datetime.timedelta(days=offset) for offset in range(-10, 11)] + [None]
    tasks = [
        TaskFactory(
            area=area,
            owner=official,
            title=f"Due {due or 'never'} {status}",
            start_date=datetime.date(2024, 1, 1),
            due_date=due,
            status=status,
            progress=100 if status == TaskStatus.COMPLETED else 40,
        )
        for due in dues
        for status in TaskStatus.values
    ]
    return {"official": official, "supervisor": supervisor, "area": area, "tasks": tasks}


def expected_urgency(task) -> str:
    """The rule as SPEC words it, written out once more here to hold the code to it."""
    if task.status == TaskStatus.COMPLETED:
        return "done"
    if task.due_date is None:
        return "on_track"
    if task.due_date < TODAY:
        return "overdue"
    # Working days from 8 February 2024: the 8th, the 9th, then Sunday the 18th.
    if task.due_date <= datetime.date(2024, 2, 18):
        return "due_soon"
    return "on_track"


def test_the_grid_spans_the_cases_the_rule_must_tell_apart(grid):
    kinds = {expected_urgency(task) for task in grid["tasks"]}
    assert kinds == {"done", "overdue", "due_soon", "on_track"}
    window = urgency_window()
    assert window.today == TODAY
    assert window.due_soon_until == datetime.date(2024, 2, 18)


def test_python_and_sql_forms_of_the_rule_agree_with_the_contract(grid):
    from workplan.models import Task

    window = urgency_window()
    annotated = dict(
        Task.objects.filter(area=grid["area"])
        .annotate(urgency=window.case())
        .values_list("pk", "urgency")
    )
    for task in grid["tasks"]:
        expected = expected_urgency(task)
        assert urgency_of(task) == expected, task.title
        assert annotated[task.pk] == expected, task.title
        assert Task.objects.filter(window.q(expected), pk=task.pk).exists(), task.title


def test_the_digest_lists_exactly_the_overdue_and_due_soon_tasks(grid):
    digests = [r for r in reminders_for(TODAY) if r.recipient_id == grid["official"].pk]

    assert len(digests) == 1
    by_urgency = {
        urgency: {task.pk for task in grid["tasks"] if expected_urgency(task) == urgency}
        for urgency in ("overdue", "due_soon")
    }
    assert set(digests[0].overdue_task_ids) == by_urgency["overdue"]
    assert set(digests[0].due_soon_task_ids) == by_urgency["due_soon"]


def pages(client, url: str, pattern: str) -> dict[int, str]:
    """Follow a paginated list from its first page; return {task id: data-urgency} of its rows."""
    found, number = {}, 1
    while True:
        joiner = "&" if "?" in url else "?"
        response = client.get(f"{url}{joiner}page={number}" if number > 1 else url)
        assert response.status_code == 200
        found |= link_urgencies(response.text, pattern)
        if not response.context["page"].has_next():
            return found
        number += 1


def test_every_page_count_filter_and_digest_gives_each_task_the_same_urgency(client, grid):
    expected = {task.pk: expected_urgency(task) for task in grid["tasks"]}
    by_urgency = {
        urgency: {pk for pk, found in expected.items() if found == urgency}
        for urgency in Urgency.values
    }
    official, supervisor = grid["official"], grid["supervisor"]

    # The portal, as the official who owns the tasks and as the supervisor of their area.
    for user in (official, supervisor):
        client.force_login(user)
        assert pages(client, "/tasks/", r"^/tasks/(\d+)/$") == expected, user.role
        for urgency, wanted in by_urgency.items():
            listed = pages(client, f"/tasks/?urgency={urgency}", r"^/tasks/(\d+)/$")
            assert set(listed) == wanted, (user.role, urgency)
        dashboard = client.get("/")
        assert dashboard.context["board"].counts == {
            urgency: len(wanted) for urgency, wanted in by_urgency.items() if wanted
        }
        assert link_urgencies(dashboard.text, r"^/tasks/(\d+)/$").items() <= expected.items()
    for pk, urgency in expected.items():
        page = client.get(reverse("workplan:task_detail", args=[pk]))
        assert f'data-urgency="{urgency}"' in page.text, pk

    # The back office, as the supervisor: the changelist, its urgency filter and the index.
    change_link = r"^/admin/workplan/task/(\d+)/change/"
    changelist = reverse("admin:workplan_task_changelist")
    everything = client.get(changelist, {"all": ""})  # the grid's 88 tasks on one page
    assert link_urgencies(everything.text, change_link) == expected
    for urgency, wanted in by_urgency.items():
        response = client.get(changelist, {"urgency": urgency, "all": ""})
        assert {task.pk for task in response.context["cl"].result_list} <= wanted
        assert response.context["cl"].paginator.count == len(wanted), urgency
    work = client.get(reverse("admin:index")).context["work"]
    assert work.overdue_count == len(by_urgency["overdue"])
    assert work.due_soon_count == len(by_urgency["due_soon"])
    assert {task.pk for task in work.overdue_tasks} <= by_urgency["overdue"]
    assert {task.pk for task in work.due_soon_tasks} <= by_urgency["due_soon"]

    # The reminders: the official's digest of the same day.
    (digest,) = [r for r in reminders_for(TODAY) if r.recipient_id == official.pk]
    assert set(digest.overdue_task_ids) == by_urgency["overdue"]
    assert set(digest.due_soon_task_ids) == by_urgency["due_soon"]
