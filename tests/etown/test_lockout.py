import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from etown.lockout import client_ip_address


def _request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(_request(forwarded="1.2.3.4")) == "10.0.0.9"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 172.16.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.9"),
        (1, "", "10.0.0.9"),
        (2, "not-an-address, 172.16.0.2", "10.0.0.9"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
    ids=[
        "one-proxy",
        "client-forged-entry",
        "two-proxies",
        "too-few-entries",
        "empty",
        "not-an-address",
        "ipv6",
    ],
)
def test_behind_proxies_the_client_is_the_entry_our_proxies_wrote(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip_address(_request(forwarded=forwarded)) == expected


def test_a_forged_forwarded_header_cannot_dodge_a_lockout(axes_enabled, settings, client, official):
    settings.TRUSTED_PROXY_COUNT = 1
    for forged in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        client.post(
            "/accounts/login/",
            {"username": official.username, "password": "not-the-password-1"},
            REMOTE_ADDR="172.16.0.2",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        )
    response = client.post(
        "/accounts/login/",
        {"username": official.username, "password": "correct-horse-battery"},
        REMOTE_ADDR="172.16.0.2",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    assert response.status_code == 429


def _sign_in_through_the_proxy(client, username, password, address):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="172.16.0.2",
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_a_sprayer_cannot_lock_a_user_out_of_their_own_address(
    axes_enabled, settings, official
):
    settings.TRUSTED_PROXY_COUNT = 1
    sprayer, owner = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in_through_the_proxy(sprayer, official.username, "not-the-password-1", "6.6.6.6")
    refused = _sign_in_through_the_proxy(
        sprayer, official.username, "correct-horse-battery", "6.6.6.6"
    )
    assert refused.status_code == 429
    response = _sign_in_through_the_proxy(
        owner, official.username, "correct-horse-battery", "203.0.113.7"
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "6.6.6.6"
