import os

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached figures are keyed by ids a rolled-back test may hand out again.
    cache.clear()


@pytest.fixture(autouse=True)
def _language_of_the_test():
    # A request in Chinese leaves Chinese active in the thread (the middleware activates a
    # language and never deactivates it), which would word the next test's messages.
    yield
    translation.deactivate()


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def official(db, department):
    return UserFactory(role=Role.OFFICIAL, department=department)


@pytest.fixture
def supervisor(db):
    return UserFactory(role=Role.SUPERVISOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def area(db, supervisor):
    area = AreaFactory()
    area.supervisors.add(supervisor)
    return area


@pytest.fixture
def task(db, area, official):
    return TaskFactory(area=area, owner=official)


def service_unavailable(reason: str):
    """Skip a test whose service is missing on a developer machine; fail it in CI."""
    if os.environ.get("ETOWN_REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (ETOWN_REQUIRE_SERVICES is set: CI must have it)")
    pytest.skip(reason)
