import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from api.services import token_issue
from tests.factories import UserFactory


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` sends that user's token from then on."""

    client = APIClient()

    def as_user(user):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def leader(db):
    return UserFactory(role=Role.LEADER, department=None)


@pytest.fixture
def axes_enabled(settings):
    settings.AXES_ENABLED = True
    return settings
