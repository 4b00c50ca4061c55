"""The back office's lists of notices and instructions: scoped, and the same cost for any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision.services import instruction_answer, instruction_write, urge_send
from tests.factories import AreaFactory, TaskFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/supervision/urgenotice/",
    "/admin/supervision/urgerecipient/",
    "/admin/supervision/urgerecipient/?state__exact=sent",
    "/admin/supervision/instruction/",
]


def _add(supervisor, leader, task, count):
    for _ in range(count):
        other = TaskFactory(area=task.area, owner=task.owner)
        urge_send(sender=supervisor, tasks=[task, other], message="Hurry")
        instruction = instruction_write(author=leader, task=other, text="Do it")
        instruction_answer(instruction=instruction, user=task.owner, text="Done")


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_each_list_costs_the_same_for_2_and_20_notices(client, supervisor, leader, task):
    client.force_login(supervisor)
    _add(supervisor, leader, task, 2)
    _queries(client, PAGES[0])  # warm the session
    few = {url: _queries(client, url) for url in PAGES}
    _add(supervisor, leader, task, 18)
    assert {url: _queries(client, url) for url in PAGES} == few


def test_a_notice_page_costs_the_same_for_2_and_20_tasks(client, supervisor, task):
    client.force_login(supervisor)
    small = urge_send(sender=supervisor, tasks=[task, TaskFactory(area=task.area)], message="A")
    large = urge_send(
        sender=supervisor,
        tasks=[task, *(TaskFactory(area=task.area) for _ in range(19))],
        message="B",
    )
    _queries(client, f"/admin/supervision/urgenotice/{small.pk}/change/")  # warm the session
    few = _queries(client, f"/admin/supervision/urgenotice/{small.pk}/change/")
    assert _queries(client, f"/admin/supervision/urgenotice/{large.pk}/change/") == few


def test_a_supervisor_sees_the_rows_and_instructions_of_their_areas_only(
    client, supervisor, leader, task
):
    elsewhere = TaskFactory(area=AreaFactory(), title="Elsewhere task")
    urge_send(sender=leader, tasks=[task, elsewhere], message="Hurry")
    instruction_write(author=leader, task=elsewhere, text="Not yours")
    client.force_login(supervisor)
    rows = client.get("/admin/supervision/urgerecipient/").content.decode()
    assert task.title in rows and "Elsewhere task" not in rows
    assert "Not yours" not in client.get("/admin/supervision/instruction/").content.decode()
    # The leader's notice is not the supervisor's to follow.
    assert "Hurry" not in client.get("/admin/supervision/urgenotice/").content.decode()
