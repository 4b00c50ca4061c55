"""One urgency for every task, on every portal page that shows one (SPEC: one rule everywhere).

A grid of tasks due from ten days before to ten days after Friday 2024-09-27, with every
status and without a due date: the days around it hold the make-up working Sunday 2024-09-29
and the National Day holiday (10-01 to 10-07). With three working days, today counted, "due
soon" runs to Monday 09-30 (Friday, Sunday, Monday).
"""

import datetime
import itertools
from collections import Counter

import icalendar
import pytest

from tests.factories import TaskFactory
from tests.workplan.days import D, portal_today
from workplan.models import Task, TaskStatus
from workplan.selectors import with_display_state
from workplan.urgency import Urgency, urgency_window

pytestmark = pytest.mark.django_db

TODAY = D(2024, 9, 27)
DUE_SOON_UNTIL = D(2024, 9, 30)


def expected_urgency(status, due):
    """The rule as SPEC words it, with the window worked out by hand above."""
    if status == TaskStatus.COMPLETED:
        return Urgency.DONE
    if due is None or due > DUE_SOON_UNTIL:
        return Urgency.ON_TRACK
    return Urgency.OVERDUE if due < TODAY else Urgency.DUE_SOON


@pytest.fixture
def grid(official, monkeypatch, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    portal_today(monkeypatch, TODAY)
    dues = [TODAY + datetime.timedelta(days=n) for n in range(-10, 11)] + [None]
    expected = {}
    for due, status in itertools.product(dues, TaskStatus.values):
        task = TaskFactory(
            owner=official,
            start_date=None,
            due_date=due,
            status=status,
            progress=100 if status == TaskStatus.COMPLETED else 30,
        )
        expected[task.pk] = expected_urgency(status, due)
    return expected


def test_the_window_runs_over_the_make_up_sunday(db, settings):
    settings.REMINDER_DUE_SOON_DAYS = 3
    assert urgency_window(TODAY).due_soon_until == DUE_SOON_UNTIL


def test_the_sql_and_the_python_forms_agree_on_every_task(grid):
    window = urgency_window(TODAY)
    annotated = with_display_state(Task.objects.all(), window=window)
    assert {task.pk: task.urgency for task in annotated} == grid
    assert {task.pk: window.of_task(task) for task in Task.objects.all()} == grid
    for urgency in Urgency:
        found = set(Task.objects.filter(window.q(urgency)).values_list("pk", flat=True))
        assert found == {pk for pk, expected in grid.items() if expected == urgency}


def rows(content):
    found = {}
    for row in content.split("<tr")[1:]:
        if 'href="/tasks/' in row:
            pk = int(row.split('href="/tasks/', 1)[1].split("/", 1)[0])
            found[pk] = row.split('data-urgency="', 1)[1].split('"', 1)[0]
    return found


def test_the_task_list_the_task_pages_the_filter_and_the_dashboard_agree(client, official, grid):
    client.force_login(official)
    listed = {}
    for number in itertools.count(1):
        response = client.get(f"/tasks/?page={number}")
        listed |= rows(response.content.decode())
        if not response.context["page"].has_next():
            break
    assert listed == grid
    for urgency in Urgency:
        response = client.get(f"/tasks/?urgency={urgency}")
        wanted = {pk for pk, expected in grid.items() if expected == urgency}
        assert response.context["page"].paginator.count == len(wanted)
        assert set(rows(response.content.decode())) <= wanted
    board = client.get("/").context["board"]
    assert board.counts == {urgency.value: n for urgency, n in Counter(grid.values()).items()}
    for pk, urgency in grid.items():
        page = client.get(f"/tasks/{pk}/").content.decode()
        assert f'data-urgency="{urgency}"' in page.split('id="task-heading"', 1)[1].split(">")[0]


def test_the_calendar_feed_agrees(client, official, grid):
    feed = client.get(f"/calendar/{official.calendar_token}.ics")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    labels = {str(urgency.label): urgency for urgency in Urgency}
    shown = {
        int(str(event["uid"]).split("-")[1].split("@")[0]): labels[
            event["categories"].to_ical().decode()
        ]
        for event in events
    }
    # The feed lists dated tasks only.
    dated = {pk for pk in grid if Task.objects.get(pk=pk).due_date is not None}
    assert shown == {pk: grid[pk] for pk in dated}
