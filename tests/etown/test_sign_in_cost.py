"""What one sign-in attempt costs: the password hasher, counted by calls, not timed."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

pytestmark = pytest.mark.django_db

RIGHT = "correct-horse-battery"
WRONG = "not-the-password-1"


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2, as in production, with one iteration and a count of the hashes it computes."""

    iterations = 1
    calls = 0

    def encode(self, password, salt, iterations=None):
        type(self).calls += 1
        return super().encode(password, salt, iterations)


@pytest.fixture
def hashes(axes_enabled, official):
    """Hash with the counting hasher; return a function that reads and resets the count."""
    axes_enabled.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    official.set_password(RIGHT)
    official.save()

    def taken():
        count, CountingHasher.calls = CountingHasher.calls, 0
        return count

    taken()
    return taken


def test_an_unknown_username_runs_the_hasher_exactly_once(hashes, sign_in_post):
    assert sign_in_post("nobody-of-that-name", WRONG).status_code == 200
    assert hashes() == 1


def test_a_known_username_with_a_wrong_password_runs_the_hasher_exactly_once(
    hashes, sign_in_post, official
):
    assert sign_in_post(official.username, WRONG).status_code == 200
    assert hashes() == 1


def test_the_right_password_runs_the_hasher_exactly_once(hashes, sign_in_post, official):
    assert sign_in_post(official.username, RIGHT).status_code == 302
    assert hashes() == 1


def test_a_locked_out_user_costs_no_hash(hashes, sign_in_post, official):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_post(official.username, WRONG)
    hashes()
    assert sign_in_post(official.username, RIGHT).status_code == 429
    assert hashes() == 0


def test_an_unknown_username_at_the_admin_sign_in_runs_the_hasher_exactly_once(hashes, client):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "nobody-of-that-name", "password": WRONG},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 200
    assert hashes() == 1
