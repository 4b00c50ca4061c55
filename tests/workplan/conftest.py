import pytest

from accounts.models import Role
from tests.factories import DepartmentFactory, ProgressReportFactory, UserFactory


@pytest.fixture
def colleague(db, official):
    """An official of the task's lead department: may see and report."""
    return UserFactory(role=Role.OFFICIAL, department=official.department)


@pytest.fixture
def supporter(db, task):
    """An official of a supporting department: may see, may not report."""
    user = UserFactory(role=Role.OFFICIAL, department=DepartmentFactory())
    task.supporting_departments.add(user.department)
    return user


@pytest.fixture
def stranger(db):
    """An official with nothing to do with the task: may not even see it."""
    return UserFactory(role=Role.OFFICIAL, department=DepartmentFactory())


@pytest.fixture
def other_supervisor(db):
    return UserFactory(role=Role.SUPERVISOR)


@pytest.fixture
def report_with_evidence(db, task, official):
    from tests.workplan import evidence_samples as samples
    from workplan.models import Evidence

    report = ProgressReportFactory(task=task, author=official, progress=40)
    Evidence.objects.create(
        report=report,
        file=samples.pdf(),
        original_name="minutes.pdf",
        content_type="application/pdf",
        size=len(samples.PDF_BYTES),
    )
    return report
