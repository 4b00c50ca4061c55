import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_official_signs_in_and_lands_on_my_work(page, sign_in, live_server, official, task):
    sign_in(page, official.username)
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == "My work"
    assert task.title in page.content()


def test_a_wrong_password_keeps_the_visitor_on_the_sign_in_page(page, sign_in, official):
    sign_in(page, official.username, password="wrong-password-123")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").is_visible()
