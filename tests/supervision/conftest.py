import pytest

from accounts.models import Role
from tests.factories import TaskFactory, UserFactory


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.LEADER, department=None)


@pytest.fixture
def other_task(db, area):
    """A second task of the same area, another official's."""
    return TaskFactory(area=area)


@pytest.fixture
def colleague_of_owner(db, task):
    """An official of the task owner's department."""
    return UserFactory(role=Role.OFFICIAL, department=task.owner.department)
