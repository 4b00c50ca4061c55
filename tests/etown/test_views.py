import pytest

pytestmark = pytest.mark.django_db


def test_bench_floor_does_not_exist_unless_switched_on(client, official, settings):
    settings.BENCH_FLOOR_VIEW = False
    client.force_login(official)

    assert client.get("/bench/floor").status_code == 404


def test_bench_floor_answers_a_signed_in_user_in_two_queries(
    client, official, settings, django_assert_max_num_queries
):
    settings.BENCH_FLOOR_VIEW = True
    client.force_login(official)

    with django_assert_max_num_queries(2):  # the session and the user, nothing else
        response = client.get("/bench/floor")

    assert response.status_code == 200
    assert response.content == f"ok {official.pk}".encode()


def test_bench_floor_sends_an_anonymous_visitor_to_sign_in(client, settings):
    settings.BENCH_FLOOR_VIEW = True

    response = client.get("/bench/floor")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
