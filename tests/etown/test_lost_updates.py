"""No lost updates: reports, reviews and admin saves of one task never overwrite one another.

The concurrent tests run two threads against PostgreSQL, lined up with a barrier; SQLite
serialises whole-database writes, so there they are skipped (and fail in CI, which has it).
"""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.conftest import service_unavailable
from tests.etown.admin_forms import change_form_data
from tests.factories import AreaFactory, ProgressReportFactory, TaskFactory, UserFactory
from workplan.models import ProgressReport, ReviewState, Task, TaskStatus
from workplan.services import (
    TaskChangedError,
    deadline_extend,
    report_approve,
    task_report_progress,
)

STALE = "This task changed after you opened it"


def _scene():
    supervisor = UserFactory(role=Role.SUPERVISOR)
    area = AreaFactory()
    area.supervisors.add(supervisor)
    official = UserFactory(role=Role.OFFICIAL)
    task = TaskFactory(area=area, owner=official, title="Build the chip fab")
    return supervisor, official, task


def _open_change_form(client, task, title):
    """GET the admin's change form and return what saving it with a new title would post."""
    response = client.get(reverse("admin:workplan_task_change", args=[task.pk]))
    assert response.status_code == 200
    data = change_form_data(response)
    data["title"] = title
    return data


def _save(client, task, data):
    return client.post(reverse("admin:workplan_task_change", args=[task.pk]), data)


# --- One after the other (any database) ------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_save_over_a_task_reported_on_since_the_form_opened_is_refused_and_explained():
    supervisor, official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    data = _open_change_form(client, task, "Renamed by the supervisor")
    task_report_progress(
        task=task,
        author=official,
        progress=60,
        status=TaskStatus.IN_PROGRESS,
        note="Cleanroom walls are up",
        expected_version=task.version,
    )

    response = _save(client, task, data)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert STALE in errors
    assert "Cleanroom walls are up" in errors
    # What the supervisor typed is still in the form.
    assert "Renamed by the supervisor" in response.text
    task.refresh_from_db()
    assert task.title == "Build the chip fab"
    assert task.reports.count() == 1


@pytest.mark.django_db
def test_saving_again_after_reading_what_changed_keeps_both_changes():
    supervisor, official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    data = _open_change_form(client, task, "Renamed by the supervisor")
    task_report_progress(
        task=task,
        author=official,
        progress=60,
        status=TaskStatus.IN_PROGRESS,
        expected_version=task.version,
    )
    refused = _save(client, task, data)
    data = change_form_data(refused)

    response = _save(client, task, data)

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Renamed by the supervisor"
    assert task.reports.get().progress == 60


@pytest.mark.django_db
def test_an_admin_save_moves_the_version_on_so_a_report_from_an_older_page_is_told():
    supervisor, official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    version = task.version
    assert _save(client, task, _open_change_form(client, task, "Renamed")).status_code == 302
    with pytest.raises(TaskChangedError):
        task_report_progress(
            task=task,
            author=official,
            progress=60,
            status=TaskStatus.IN_PROGRESS,
            expected_version=version,
        )
    assert not task.reports.exists()


@pytest.mark.django_db
def test_a_change_form_posted_without_its_version_is_refused():
    supervisor, _official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    data = _open_change_form(client, task, "Renamed")
    del data["expected_version"]
    response = _save(client, task, data)
    assert response.status_code == 200
    assert STALE in " ".join(response.context["adminform"].form.non_field_errors())
    task.refresh_from_db()
    assert task.title == "Build the chip fab"


# --- At the same moment (PostgreSQL) ---------------------------------------------------------


def _require_postgresql():
    if connection.vendor != "postgresql":
        service_unavailable("row locks need PostgreSQL: set DATABASE_URL to a PostgreSQL database")


def _race(*writers):
    """Run each writer in its own thread, released together; return their outcomes in order."""
    barrier = threading.Barrier(len(writers))
    outcomes = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = writer()
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, writer)) for index, writer in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return outcomes


def _admin_outcome(response) -> str:
    if response.status_code == 302:
        return "saved"
    if response.status_code == 200 and STALE in " ".join(
        response.context["adminform"].form.non_field_errors()
    ):
        return "told"
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize("round_", range(3))
def test_a_report_and_an_admin_save_at_the_same_moment_never_overwrite_silently(
    transactional_db, round_
):
    _require_postgresql()
    supervisor, official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    data = _open_change_form(client, task, "Renamed by the supervisor")
    version = task.version

    def report():
        try:
            task_report_progress(
                task=Task.objects.get(pk=task.pk),
                author=official,
                progress=70,
                status=TaskStatus.IN_PROGRESS,
                note="Reported at the same moment",
                expected_version=version,
            )
        except TaskChangedError:
            return "told"
        return "saved"

    def admin_save():
        return _admin_outcome(_save(client, task, data))

    outcomes = _race(report, admin_save)

    assert sorted(map(str, outcomes)) == ["saved", "told"], outcomes
    task.refresh_from_db()
    assert task.version == version + 1
    if outcomes[0] == "saved":
        assert task.title == "Build the chip fab"
        assert task.reports.get().note == "Reported at the same moment"
    else:
        assert task.title == "Renamed by the supervisor"
        assert not task.reports.exists()


def test_an_approval_and_an_admin_save_at_the_same_moment_keep_the_approved_progress(
    transactional_db,
):
    _require_postgresql()
    supervisor, official, task = _scene()
    pending = ProgressReportFactory(task=task, author=official, progress=80)
    client = Client()
    client.force_login(supervisor)
    data = _open_change_form(client, task, "Renamed by the supervisor")

    def approve():
        report_approve(report=ProgressReport.objects.get(pk=pending.pk), reviewer=supervisor)
        return "saved"

    def admin_save():
        return _admin_outcome(_save(client, task, data))

    outcomes = _race(approve, admin_save)

    # The approval always goes through (it changes no field of the form); the admin's save
    # either came first or is told that the task changed.
    assert outcomes[0] == "saved", outcomes
    assert outcomes[1] in ("saved", "told"), outcomes
    task.refresh_from_db()
    pending.refresh_from_db()
    assert pending.review_state == ReviewState.APPROVED
    assert task.progress == 80
    if outcomes[1] == "saved":
        assert task.title == "Renamed by the supervisor"


def test_an_extension_and_an_admin_save_at_the_same_moment_keep_the_extension(transactional_db):
    _require_postgresql()
    supervisor, _official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    data = _open_change_form(client, task, "Renamed by the supervisor")
    new_due_date = task.due_date + datetime.timedelta(days=30)

    def extend():
        deadline_extend(
            task=Task.objects.get(pk=task.pk),
            new_due_date=new_due_date,
            reason="Permits late.",
            user=supervisor,
        )
        return "saved"

    def admin_save():
        return _admin_outcome(_save(client, task, data))

    outcomes = _race(extend, admin_save)

    # The extension has no form to be stale; the admin's save came first or is told.
    assert outcomes[0] == "saved", outcomes
    assert outcomes[1] in ("saved", "told"), outcomes
    task.refresh_from_db()
    assert task.due_date == new_due_date
    assert task.extensions.get().reason == "Permits late."
    assert task.version == (3 if outcomes[1] == "saved" else 2)
    if outcomes[1] == "saved":
        assert task.title == "Renamed by the supervisor"


def test_two_supervisors_saving_one_task_at_the_same_moment_are_never_both_saved(
    transactional_db,
):
    _require_postgresql()
    supervisor, _official, task = _scene()
    colleague = UserFactory(role=Role.SUPERVISOR)
    task.area.supervisors.add(colleague)
    clients, forms = [], []
    for user, title in ((supervisor, "Title A"), (colleague, "Title B")):
        client = Client()
        client.force_login(user)
        clients.append(client)
        forms.append(_open_change_form(client, task, title))

    outcomes = _race(
        lambda: _admin_outcome(_save(clients[0], task, forms[0])),
        lambda: _admin_outcome(_save(clients[1], task, forms[1])),
    )

    assert sorted(outcomes) == ["saved", "told"], outcomes
    task.refresh_from_db()
    assert task.title == ("Title A" if outcomes[0] == "saved" else "Title B")


@pytest.mark.django_db
def test_the_change_page_sends_the_version_it_was_opened_at_with_the_form():
    supervisor, _official, task = _scene()
    client = Client()
    client.force_login(supervisor)
    response = client.get(reverse("admin:workplan_task_change", args=[task.pk]))
    assert (
        f'<input type="hidden" name="expected_version" value="{task.version}"'
        in response.content.decode()
    )
