"""Import and export of tasks, users and departments."""

import csv
import datetime
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Department, Role, User
from accounts.resources import DepartmentResource, UserResource
from tests.factories import AreaFactory, DepartmentFactory, PlanFactory, TaskFactory, UserFactory
from workplan.models import DeadlineExtension, Task, TaskStatus
from workplan.resources import TaskResource

pytestmark = pytest.mark.django_db

HEADERS = ["id", "area", "title", "owner", "lead_department", "start_date", "due_date", "progress"]


@pytest.fixture
def scene():
    plan = PlanFactory()
    area = AreaFactory(plan=plan, number=3)
    department = DepartmentFactory(code="econ")
    owner = UserFactory(username="li.wei", department=department)
    admin = UserFactory(role=Role.ADMIN)
    return {"plan": plan, "area": area, "department": department, "owner": owner, "admin": admin}


def _rows(count):
    return [
        ["", "3", f"Imported task {n}", "li.wei", "econ", "2024-01-01", "2024-06-30", "10"]
        for n in range(count)
    ]


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue()


def _dataset(rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def _bad_reasons(result):
    return {row.number: row.error_dict for row in result.invalid_rows}


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("lead_department", "nope", "Unknown department “nope”"),
        ("owner", "ghost", "Unknown owner “ghost”"),
        ("area", "42", "Unknown area “42”"),
        ("due_date", "31/06/2024", "is not a date"),
        ("progress", "101", "out of range"),
        ("progress", "-1", "out of range"),
    ],
)
def test_a_file_with_one_bad_row_among_fifty_writes_nothing_and_names_the_row(
    scene, column, value, reason
):
    rows = _rows(50)
    rows[36][HEADERS.index(column)] = value
    result = TaskResource(user=scene["admin"]).import_data(
        _dataset(rows), dry_run=False, use_transactions=True
    )

    assert result.has_validation_errors()
    bad = _bad_reasons(result)
    assert list(bad) == [37]
    assert reason in " ".join(str(message) for messages in bad[37].values() for message in messages)
    assert not Task.objects.exists()


def test_every_bad_row_is_listed_with_its_reason(scene):
    rows = _rows(5)
    rows[1][HEADERS.index("owner")] = "ghost"
    rows[3][HEADERS.index("progress")] = "250"
    result = TaskResource(user=scene["admin"]).import_data(_dataset(rows), dry_run=True)
    assert sorted(_bad_reasons(result)) == [2, 4]


def test_a_good_file_imports_its_tasks(scene):
    result = TaskResource(user=scene["admin"]).import_data(_dataset(_rows(3)), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    task = Task.objects.get(title="Imported task 0")
    assert (task.area, task.owner, task.lead_department) == (
        scene["area"],
        scene["owner"],
        scene["department"],
    )
    assert str(task.due_date) == "2024-06-30"


def test_a_supervisor_cannot_import_into_an_area_they_do_not_supervise(scene):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    AreaFactory(plan=scene["plan"], number=5).supervisors.add(supervisor)
    result = TaskResource(user=supervisor).import_data(_dataset(_rows(1)), dry_run=True)
    assert "Unknown area “3”" in str(_bad_reasons(result))


def test_an_unknown_task_id_is_a_bad_row_not_a_new_task(scene):
    rows = _rows(1)
    rows[0][0] = "999999"
    result = TaskResource(user=scene["admin"]).import_data(_dataset(rows), dry_run=False)
    assert "Unknown task id 999999" in str(_bad_reasons(result))
    assert not Task.objects.exists()


def test_exported_tasks_read_back_in_without_changes_in_xlsx(scene):
    TaskFactory(area=scene["area"], owner=scene["owner"], title="Round trip")
    data = TaskResource(user=scene["admin"]).export()
    reread = tablib.Dataset().load(data.xlsx, format="xlsx")
    result = TaskResource(user=scene["admin"]).import_data(reread, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Task.objects.count() == 1


def test_the_admin_import_previews_and_lists_the_bad_row_without_writing(client, scene):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    rows = _rows(50)
    rows[36][HEADERS.index("lead_department")] = "nope"
    upload = SimpleUploadedFile("tasks.csv", _csv(rows).encode(), content_type="text/csv")
    response = client.post(
        reverse("admin:workplan_task_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    assert response.status_code == 200
    assert "Unknown department “nope”" in response.text
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [37]
    assert "<td>37 </td>" in response.text
    assert response.context.get("confirm_form") is None
    assert not Task.objects.exists()


def test_the_admin_import_previews_a_good_file_then_writes_it_on_confirm(client, scene):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    upload = SimpleUploadedFile("tasks.csv", _csv(_rows(3)).encode(), content_type="text/csv")
    preview = client.post(
        reverse("admin:workplan_task_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    assert preview.status_code == 200
    assert not Task.objects.exists()
    confirm = preview.context["confirm_form"]
    client.post(reverse("admin:workplan_task_process_import"), confirm.initial)
    assert Task.objects.count() == 3


def test_a_supervisor_has_no_import_but_exports_their_tasks(client, scene):
    supervisor = UserFactory(role=Role.SUPERVISOR)
    scene["area"].supervisors.add(supervisor)
    client.force_login(supervisor)
    assert client.get(reverse("admin:workplan_task_import")).status_code == 403
    assert client.get(reverse("admin:workplan_task_export")).status_code == 200
    assert client.get(reverse("admin:accounts_user_export")).status_code == 403


def test_imported_users_get_their_role_group_and_staff_flag(scene):
    data = tablib.Dataset(
        ["wang.fang", "Fang", "Wang", "wang@etown.example", "supervisor", "econ", "zh-hans", "1"],
        headers=[
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "department",
            "preferred_language",
            "is_active",
        ],
    )
    result = UserResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    user = User.objects.get(username="wang.fang")
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == ["Supervisors"]
    assert not user.has_usable_password()


def test_a_user_row_with_an_unknown_department_or_role_is_refused(scene):
    data = tablib.Dataset(
        ["a.b", "a@etown.example", "official", "nope"],
        ["c.d", "c@etown.example", "emperor", "econ"],
        headers=["username", "email", "role", "department"],
    )
    result = UserResource().import_data(data, dry_run=False)
    assert sorted(_bad_reasons(result)) == [1, 2]
    assert not User.objects.filter(username__in=["a.b", "c.d"]).exists()


def test_departments_import_with_their_parent_by_code(scene):
    data = tablib.Dataset(
        ["tech", "Technology bureau", "", "econ"], headers=["code", "name", "name_zh", "parent"]
    )
    result = DepartmentResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Department.objects.get(code="tech").parent == scene["department"]


# --- Changes to existing tasks go through the task services -----------------------------------


@pytest.fixture
def existing(scene):
    """Two tasks of area 3, due 2024-06-30, in progress at 40 %."""
    return [
        TaskFactory(
            area=scene["area"],
            owner=scene["owner"],
            title=f"Existing task {n}",
            start_date=datetime.date(2024, 1, 1),
            due_date=datetime.date(2024, 6, 30),
            status=TaskStatus.IN_PROGRESS,
            progress=40,
        )
        for n in range(2)
    ]


def _changes(*rows, headers=("id", "due_date", "status", "progress", "extension_reason")):
    return tablib.Dataset(*[[str(value) for value in row] for row in rows], headers=headers)


def test_a_row_moving_a_due_date_without_a_reason_is_refused_and_the_file_writes_nothing(
    scene, existing
):
    first, second = existing
    dataset = _changes(
        [first.pk, "2024-09-30", "in_progress", 60, "Land survey delayed"],
        [second.pk, "2024-09-30", "in_progress", 40, ""],
    )

    result = TaskResource(user=scene["admin"]).import_data(dataset, dry_run=False)

    bad = _bad_reasons(result)
    assert list(bad) == [2]
    assert list(bad[2]) == ["extension_reason"]
    assert "2024-06-30 to 2024-09-30" in bad[2]["extension_reason"][0]
    for task in existing:
        before = (task.due_date, task.progress, task.version)
        task.refresh_from_db()
        assert (task.due_date, task.progress, task.version) == before
    assert not DeadlineExtension.objects.exists()


def test_a_row_moving_a_due_date_with_a_reason_records_the_extension_and_moves_the_version(
    scene, existing
):
    task = existing[0]
    version = task.version
    dataset = _changes([task.pk, "2024-09-28", "in_progress", 40, "Land survey delayed"])

    result = TaskResource(user=scene["admin"]).import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    task.refresh_from_db()
    assert task.due_date == datetime.date(2024, 9, 28)
    assert task.version == version + 1
    extension = task.extensions.get()
    assert (extension.old_due_date, extension.new_due_date) == (
        datetime.date(2024, 6, 30),
        datetime.date(2024, 9, 28),
    )
    assert extension.reason == "Land survey delayed"
    assert extension.extended_by == scene["admin"]
    assert task.history.first().history_user == scene["admin"]


def test_a_row_marking_a_task_completed_moves_the_version_and_sets_the_completion_time(
    scene, existing
):
    task = existing[0]
    version = task.version
    dataset = _changes([task.pk, "2024-06-30", "completed", 100, ""])

    result = TaskResource(user=scene["admin"]).import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.COMPLETED, 100)
    assert task.completed_at is not None
    assert task.version == version + 1
    assert not task.extensions.exists()


def test_a_row_completing_a_task_below_full_progress_is_refused(scene, existing):
    task = existing[0]
    dataset = _changes([task.pk, "2024-06-30", "completed", 80, ""])

    result = TaskResource(user=scene["admin"]).import_data(dataset, dry_run=False)

    assert "completed task is at 100" in str(_bad_reasons(result)[1]["progress"])
    task.refresh_from_db()
    assert (task.status, task.completed_at) == (TaskStatus.IN_PROGRESS, None)


def test_a_row_reopening_a_completed_task_clears_its_completion_time(scene, existing):
    task = existing[0]
    TaskResource(user=scene["admin"]).import_data(
        _changes([task.pk, "2024-06-30", "completed", 100, ""]), dry_run=False
    )

    TaskResource(user=scene["admin"]).import_data(
        _changes([task.pk, "2024-06-30", "in_progress", 90, ""]), dry_run=False
    )

    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_at) == (TaskStatus.IN_PROGRESS, 90, None)


def test_a_first_due_date_needs_no_reason_and_a_due_date_is_never_removed(scene, existing):
    undated, dated = existing
    Task.objects.filter(pk=undated.pk).update(due_date=None)

    result = TaskResource(user=scene["admin"]).import_data(
        _changes([undated.pk, "2024-12-31", "in_progress", 40, ""]), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    undated.refresh_from_db()
    assert undated.due_date == datetime.date(2024, 12, 31)
    assert not DeadlineExtension.objects.exists()

    result = TaskResource(user=scene["admin"]).import_data(
        _changes([dated.pk, "", "in_progress", 40, "No deadline any more"]), dry_run=False
    )
    assert "not removed" in str(_bad_reasons(result)[1]["due_date"])
    dated.refresh_from_db()
    assert dated.due_date == datetime.date(2024, 6, 30)


def test_an_export_carries_an_empty_extension_reason_column_to_fill_in(scene, existing):
    data = TaskResource(user=scene["admin"]).export()
    assert data.headers[-1] == "extension_reason"
    assert set(data["extension_reason"]) == {""}


def test_the_admin_import_explains_the_reason_column_and_lists_a_row_without_one(
    client, scene, existing
):
    client.force_login(scene["admin"])
    page = client.get(reverse("admin:workplan_task_import"))
    assert "extension_reason" in page.text
    assert "moves a due date" in page.text

    task = existing[0]
    data = _changes([task.pk, "2024-09-30", "in_progress", 40, ""])
    upload = SimpleUploadedFile("tasks.csv", data.export("csv").encode(), content_type="text/csv")
    response = client.post(
        reverse("admin:workplan_task_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )

    assert response.status_code == 200
    assert [row.number for row in response.context["result"].invalid_rows] == [1]
    assert "give the reason for this extension" in response.text
    assert response.context.get("confirm_form") is None
    task.refresh_from_db()
    assert task.due_date == datetime.date(2024, 6, 30)
