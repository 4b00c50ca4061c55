"""Hypothesis throws odd input at the progress report form and the task import: nothing crashes.

The report form is posted through the real view by the signed-in owner: the answer is a saved
report (302), the form again with what is wrong (200), or a conflict page (409); never a 500.
The import is a dry run of the task resource: every row is imported or listed as a bad row with
its reason; no exception escapes, and a dry run writes nothing.
"""

import os

import pytest
import tablib
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, PlanFactory, TaskFactory, UserFactory
from tests.workplan import evidence_samples as samples
from workplan.models import Task, TaskStatus
from workplan.resources import TaskResource

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

odd_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "NaN",
            "1e999",
            "-0",
            "٣",  # an Arabic-Indic digit: int() accepts it
            "<script>alert(1)</script>",
            '=HYPERLINK("x")',
            "1" * 400,
            "\ud7ff",
            "2024-02-30",
        ]
    ),
)
numbers = st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), odd_text)


@pytest.fixture
def owner_task(db):
    department = DepartmentFactory()
    official = UserFactory(role=Role.OFFICIAL, department=department)
    task = TaskFactory(owner=official, lead_department=department)
    client = Client()
    client.force_login(official)
    return client, task


@FUZZ
@given(
    progress=numbers,
    status=st.one_of(st.sampled_from(TaskStatus.values), odd_text),
    note=st.one_of(st.text(max_size=300), odd_text),
    version=numbers,
    evidence=st.one_of(
        st.none(),
        st.tuples(odd_text, st.binary(max_size=300)),
        st.tuples(odd_text, st.just(samples.PDF_BYTES)),
    ),
    extra=st.dictionaries(odd_text, odd_text, max_size=3),
)
def test_any_report_form_input_gets_a_page_never_a_server_error(
    owner_task, progress, status, note, version, evidence, extra
):
    client, task = owner_task
    data = {**extra, "progress": progress, "status": status, "note": note, "version": version}
    if evidence is not None:
        name, content = evidence
        # A browser sends a base name; "/" or ".." cannot even be built as an upload.
        base = os.path.basename(name.replace("\x00", ""))
        data["evidence"] = samples.upload(base if base not in ("", ".", "..") else "file", content)
    # NUL cannot travel in a form field; the test client would refuse to encode it.
    data = {
        key.replace("\x00", ""): value.replace("\x00", "") if isinstance(value, str) else value
        for key, value in data.items()
    }
    response = client.post(f"/tasks/{task.pk}/", data)
    assert response.status_code in (200, 302, 409), response.status_code


HEADERS = ["id", "area", "title", "start_date"]
plan_years = st.one_of(st.just("2024"), odd_text, st.integers().map(str))
cells = st.one_of(st.none(), odd_text, st.integers(), st.floats(), st.booleans(), st.dates())


@pytest.fixture
def import_scene(db):
    plan = PlanFactory()
    AreaFactory(plan=plan, number=3)
    DepartmentFactory(code="econ")
    UserFactory(username="li.wei")
    existing = TaskFactory(area=plan.areas.get(number=3))
    admin_user = UserFactory(role=Role.ADMIN)
    return {"admin": admin_user, "existing": existing}


@FUZZ
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                name: cells
                for name in [
                    "id",
                    "area",
                    "code",
                    "title",
                    "owner",
                    "lead_department",
                    "start_date",
                    "due_date",
                    "status",
                    "progress",
                ]
            },
            optional={"plan": plan_years, "description": cells, "title_zh": cells},
        ),
        min_size=1,
        max_size=4,
    ),
    use_existing_id=st.booleans(),
)
def test_any_import_file_is_previewed_row_by_row_never_an_exception(
    import_scene, rows, use_existing_id
):
    headers = sorted({key for row in rows for key in row})
    if use_existing_id:
        rows[0]["id"] = import_scene["existing"].pk
    dataset = tablib.Dataset(
        *[[row.get(header) for header in headers] for row in rows], headers=headers
    )
    before = list(Task.objects.order_by("pk").values())

    result = TaskResource(user=import_scene["admin"]).import_data(dataset, dry_run=True)

    assert not result.has_errors(), [
        (error.error, error.traceback) for row in result.row_errors() for error in row[1]
    ]
    for row in result.invalid_rows:
        assert row.error_dict, "a bad row must say why"
    assert list(Task.objects.order_by("pk").values()) == before


def test_a_nul_character_in_an_import_cell_is_a_bad_row_not_a_database_error(import_scene):
    dataset = tablib.Dataset(["", "3", "Title\x00with NUL", "2024-01-01"], headers=HEADERS)
    result = TaskResource(user=import_scene["admin"]).import_data(dataset, dry_run=True)
    assert not result.has_errors()
    assert "NUL" in str(result.invalid_rows[0].error_dict)
