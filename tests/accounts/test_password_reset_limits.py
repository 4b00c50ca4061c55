"""Password reset mails are limited per account and per address, and the page never tells."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


@pytest.fixture(autouse=True)
def _limits(settings):
    """Turn the limits on as production has them (the test settings keep them off)."""
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = ACCOUNT_LIMIT
    settings.PASSWORD_RESET_ADDRESS_LIMIT = ADDRESS_LIMIT
    settings.PASSWORD_RESET_WINDOW_MINUTES = 60


def _request_reset(email, address="10.0.0.1", client=None):
    """Fill in the reset form the page renders, as a browser would, and follow to the answer."""
    client = client or Client()
    page = client.get("/accounts/password/reset/", REMOTE_ADDR=address)
    form = re.search(r'<form method="post">(.*?)</form>', page.content.decode(), re.S).group(1)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*?(?:value="([^"]*)")?[^>]*>', form))
    assert "email" in fields
    fields["email"] = email
    return client.post("/accounts/password/reset/", fields, REMOTE_ADDR=address, follow=True)


def _page(response):
    """Return the page without its CSRF tokens, which differ on every answer."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_an_account_gets_at_most_five_reset_mails_an_hour():
    user = UserFactory(email="wang.fang@etown.example")
    answers = [_request_reset(user.email, f"10.0.0.{n}") for n in range(1, ACCOUNT_LIMIT + 3)]
    assert len(mail.outbox) == ACCOUNT_LIMIT
    assert all(message.to == [user.email] for message in mail.outbox)
    assert {answer.redirect_chain[-1][0] for answer in answers} == {
        "/accounts/password/reset/sent/"
    }


def test_over_the_account_limit_the_page_says_what_it_always_says():
    user = UserFactory(email="wang.fang@etown.example")
    first = _request_reset(user.email)
    for _ in range(ACCOUNT_LIMIT):
        over = _request_reset(user.email)
    unknown = _request_reset("nobody@etown.example")
    assert len(mail.outbox) == ACCOUNT_LIMIT
    assert first.status_code == over.status_code == unknown.status_code == 200
    assert _page(first) == _page(over) == _page(unknown)


def test_one_address_sends_at_most_twenty_reset_requests_an_hour():
    users = [UserFactory(email=f"official-{n}@etown.example") for n in range(ADDRESS_LIMIT + 2)]
    answers = [_request_reset(user.email, "6.6.6.6") for user in users]
    assert len(mail.outbox) == ADDRESS_LIMIT
    assert {answer.redirect_chain[-1][0] for answer in answers} == {
        "/accounts/password/reset/sent/"
    }
    _request_reset(users[-1].email, "203.0.113.7")
    assert mail.outbox[-1].to == [users[-1].email]
    assert len(mail.outbox) == ADDRESS_LIMIT + 1


def test_requests_for_unknown_addresses_count_against_the_address():
    user = UserFactory(email="wang.fang@etown.example")
    for n in range(ADDRESS_LIMIT):
        _request_reset(f"nobody-{n}@etown.example", "6.6.6.6")
    _request_reset(user.email, "6.6.6.6")
    assert mail.outbox == []


def test_behind_the_proxy_each_client_address_has_its_own_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    users = [UserFactory(email=f"official-{n}@etown.example") for n in range(ADDRESS_LIMIT + 1)]
    for user in users[:ADDRESS_LIMIT]:
        Client().post(
            "/accounts/password/reset/",
            {"email": user.email},
            REMOTE_ADDR="172.16.0.2",
            HTTP_X_FORWARDED_FOR="6.6.6.6",
        )
    Client().post(
        "/accounts/password/reset/",
        {"email": users[-1].email},
        REMOTE_ADDR="172.16.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert len(mail.outbox) == ADDRESS_LIMIT + 1
