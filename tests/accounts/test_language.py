import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_browser_language_is_used_when_the_user_has_no_preference(client):
    user = UserFactory(preferred_language="")
    client.force_login(user)
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_users_preferred_language_wins_over_the_browser(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.headers["Content-Language"] == "en"


def test_switching_language_saves_it_as_the_users_preference(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    assert client.get("/").headers["Content-Language"] == "zh-hans"


def test_an_unknown_language_is_refused_and_changes_nothing(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    assert client.post("/i18n/setlang/", {"language": "xx"}).status_code == 400
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.parametrize("language", ["fr", "de", "zh-hant", "ZH-HANS", "en-us", ""])
def test_a_language_django_knows_but_the_portal_does_not_offer_is_refused(client, language):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.parametrize("language", ["fr", "zh-hant"])
def test_an_anonymous_visitor_cannot_switch_to_a_language_the_portal_does_not_offer(
    client, language
):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
    assert response.status_code == 400
    assert "django_language" not in response.cookies


def test_an_anonymous_visitor_can_switch_the_sign_in_page_language(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "zh-hans"


def test_the_language_cookie_is_http_only_and_same_site(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    cookie = response.cookies["django_language"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("language", ["fr", "zh-hant", "", "EN"])
def test_the_language_service_refuses_a_language_the_portal_does_not_offer_with_a_message(
    language,
):
    from django.core.exceptions import ValidationError

    from accounts.services import user_set_language

    user = UserFactory(preferred_language="en")
    with pytest.raises(ValidationError) as refused:
        user_set_language(user=user, language=language)
    assert "choose English or Chinese" in refused.value.messages[0]
    user.refresh_from_db()
    assert user.preferred_language == "en"
