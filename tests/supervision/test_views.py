"""The supervision pages: the flows through their real forms, and what each page costs."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from supervision.models import Instruction, InstructionState, UrgeNotice, UrgeState
from supervision.services import instruction_answer, instruction_write, urge_send
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries(client, url):
    cache.clear()  # the dashboard's cached figures: measure the worst case each time
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_a_leader_urges_from_the_task_page_and_the_owner_acknowledges_and_replies(
    client, leader, task
):
    client.force_login(leader)
    page = client.get(f"/tasks/{task.pk}/")
    assert b'id="urge-form"' in page.content
    response = client.post(f"/tasks/{task.pk}/urge/", {"message": "Report by Friday"})
    assert response.status_code == 302
    row = UrgeNotice.objects.get().recipients.get()

    client.force_login(task.owner)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Report by Friday" in page
    assert f"/urges/received/{row.pk}/acknowledge/" in page
    assert b"Report by Friday" in client.get("/").content  # on the dashboard too
    client.post(f"/urges/received/{row.pk}/acknowledge/", {"next": f"/tasks/{task.pk}/"})
    row.refresh_from_db()
    assert row.state == UrgeState.ACKNOWLEDGED
    response = client.post(f"/urges/received/{row.pk}/reply/", {"reply": "Signed"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.reply) == (UrgeState.REPLIED, "Signed")

    client.force_login(leader)
    page = client.get(f"/urges/{row.notice_id}/").content.decode()
    assert "Signed" in page and 'data-state="replied"' in page
    listing = client.get("/urges/").content.decode()
    assert f'data-notice="{row.notice_id}"' in listing


def test_an_empty_message_re_renders_the_form_and_sends_nothing(client, leader, task):
    client.force_login(leader)
    response = client.post(f"/tasks/{task.pk}/urge/", {"message": "   "})
    assert response.status_code == 200
    assert b'id="urge-form"' in response.content
    assert not UrgeNotice.objects.exists()


def test_a_refused_reply_keeps_what_was_typed(client, leader, task):
    row = urge_send(sender=leader, tasks=[task], message="Hurry").recipients.get()
    client.force_login(task.owner)
    client.post(f"/urges/received/{row.pk}/reply/", {"reply": "First answer"})
    response = client.post(f"/urges/received/{row.pk}/reply/", {"reply": "Second thoughts"})
    assert response.status_code == 200
    assert b"Second thoughts" in response.content
    assert b"already" in response.content


def test_a_leader_writes_an_area_instruction_the_owners_answer_and_the_leader_closes(
    client, leader, task, other_task
):
    client.force_login(leader)
    response = client.post(
        f"/tasks/{task.pk}/instruct/", {"text": "Finish before the rains", "scope": "area"}
    )
    assert response.status_code == 302
    instruction = Instruction.objects.get()
    assert instruction.task is None and instruction.area == task.area

    client.force_login(other_task.owner)
    page = client.get(f"/tasks/{other_task.pk}/").content.decode()
    assert "Finish before the rains" in page
    assert f"/instructions/{instruction.pk}/answer/" in page
    assert "Finish before the rains" in client.get("/").content.decode()
    client.post(f"/instructions/{instruction.pk}/answer/", {"text": "Drainage dug"})
    instruction.refresh_from_db()
    assert instruction.state == InstructionState.ANSWERED

    client.force_login(leader)
    listing = client.get("/instructions/").content.decode()
    assert "Drainage dug" in listing
    client.post(f"/instructions/{instruction.pk}/close/", {"next": "/instructions/"})
    instruction.refresh_from_db()
    assert instruction.state == InstructionState.CLOSED
    assert "Finish before the rains" not in client.get(f"/tasks/{task.pk}/").content.decode()


def test_a_past_response_date_re_renders_with_the_text_kept(client, leader, task):
    client.force_login(leader)
    response = client.post(
        f"/tasks/{task.pk}/instruct/",
        {"text": "Keep this text", "scope": "task", "respond_by": "2001-01-01"},
    )
    assert response.status_code == 200
    assert b"Keep this text" in response.content
    assert not Instruction.objects.exists()


def test_the_owner_sees_no_urge_form_and_a_leader_no_answer_form(client, leader, task):
    instruction_write(author=leader, task=task, text="Do it")
    client.force_login(task.owner)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="urge-form"' not in page and 'id="instruction-form"' not in page
    client.force_login(leader)
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "instruction-answer-form" not in page and 'id="instruction-form"' in page


# --- Query budgets: the same for a handful of rows as for many -----------------------------


def _many_urges_and_instructions(leader, task, count):
    tasks = [TaskFactory(area=task.area, owner=task.owner) for _ in range(count)]
    for other in tasks:
        urge_send(sender=leader, tasks=[task, other], message="Hurry")
        instruction = instruction_write(author=leader, task=task, text=f"On {other}")
        instruction_answer(instruction=instruction, user=task.owner, text="Done")
        instruction_write(author=leader, task=other, text="Elsewhere")


@pytest.mark.parametrize("who", ["leader", "owner"])
def test_every_supervision_page_costs_the_same_for_2_and_12_rows(client, leader, task, who):
    user = leader if who == "leader" else task.owner
    client.force_login(user)
    _many_urges_and_instructions(leader, task, 2)
    notice = UrgeNotice.objects.first()
    urls = ["/", f"/tasks/{task.pk}/", "/urges/", f"/urges/{notice.pk}/", "/instructions/"]
    if who == "owner":
        urls.remove(f"/urges/{notice.pk}/")
    few = {url: queries(client, url) for url in urls}
    _many_urges_and_instructions(leader, task, 10)
    many = {url: queries(client, url) for url in urls}
    assert many == few


def test_a_supervisors_urge_list_is_their_own_notices(client, supervisor, leader, task):
    urge_send(sender=leader, tasks=[task], message="From the leader")
    urge_send(sender=supervisor, tasks=[task], message="From the supervisor")
    client.force_login(supervisor)
    page = client.get("/urges/").content.decode()
    assert "From the supervisor" in page and "From the leader" not in page


def test_an_official_never_sees_another_officials_urges(client, leader, task, other_task):
    urge_send(sender=leader, tasks=[task], message="Only for the owner")
    client.force_login(other_task.owner)
    assert "Only for the owner" not in client.get("/urges/").content.decode()
    assert "Only for the owner" not in client.get("/").content.decode()


def test_leaders_see_the_urge_and_instruction_links_in_the_menu(client, leader):
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert 'href="/urges/"' in page and 'href="/instructions/"' in page


def test_a_second_leader_may_not_follow_the_firsts_notice(client, leader, task):
    notice = urge_send(sender=leader, tasks=[task], message="Mine")
    client.force_login(UserFactory(role=Role.LEADER, department=None))
    assert client.get(f"/urges/{notice.pk}/").status_code == 404


@pytest.mark.parametrize("next_", ["not_a_choice", "-9223372036854775809", "https://evil.example/"])
def test_a_next_that_is_no_path_on_this_site_falls_back_to_the_task_page(
    client, leader, task, next_
):
    client.force_login(leader)
    response = client.post(f"/tasks/{task.pk}/urge/", {"message": "Report", "next": next_})
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{task.pk}/"
