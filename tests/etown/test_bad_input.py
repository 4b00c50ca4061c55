"""The 500s the URL walk (test_url_walk.py) found, each answered as bad input now.

- A null character anywhere in a request reached PostgreSQL, which cannot take one (DataError):
  admin filters and searches, the autocomplete, the calendar feed's token, a session cookie.
  It is refused with 400 (etown/bad_input.py).
- An empty `_to_field` on an admin change or delete page (FieldDoesNotExist): 400.
- A filter the list cannot use on the admin's export page (IncorrectLookupParameters): 400.
- Letters for an id in a history URL (ValueError in simple-history): 404, as a missing id.
- A value that cannot be an id in an autocomplete field, as the add page's initial data or in a
  posted form shown again (ValueError in Django's widget): the page, with the form's error.
"""

import pytest
from django.test import Client

from accounts.models import Role
from tests.factories import AreaFactory, DepartmentFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    client = Client(raise_request_exception=True)
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


@pytest.fixture
def some_task(db):
    return TaskFactory()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/workplan/task/?owner=%00",
        "/admin/workplan/task/?title=%00",
        "/admin/workplan/task/?q=%00",
        "/admin/autocomplete/?app_label=workplan&model_name=task&field_name=parent&term=%00",
        "/admin/axes/accessattempt/?ip_address=%00",
        "/tasks/?q=%00",
        "/calendar/%00.ics",
        "/admin/workplan/task/%00/change/",
    ],
)
def test_a_null_character_in_the_url_is_refused_with_400(admin_client, some_task, url):
    path, _, query = url.partition("?")
    response = admin_client.get(path, QUERY_STRING=query)
    assert response.status_code == 400
    assert "null character" in response.text


def test_a_null_character_in_a_form_field_is_refused_with_400(admin_client, some_task):
    response = admin_client.post(
        f"/admin/workplan/task/{some_task.pk}/change/", {"title": "Roads\x00"}
    )
    assert response.status_code == 400


def test_a_null_character_in_the_session_cookie_is_refused_with_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/", headers={"cookie": "sessionid=abcdefgh\x00"}).status_code == 400


def test_a_sign_in_with_a_null_character_in_the_user_agent_is_refused(client, axes_enabled):
    response = client.post(
        "/accounts/login/",
        {"username": "someone", "password": "wrong"},
        headers={"user-agent": "curl\x00"},
    )
    assert response.status_code == 400


def test_a_request_without_a_null_character_is_let_through(client, some_task):
    client.force_login(some_task.owner)
    assert client.get("/tasks/?q=路 %01").status_code == 200


@pytest.mark.parametrize("page", ["change", "delete"])
def test_an_empty_to_field_on_an_admin_object_page_is_400(admin_client, some_task, page):
    response = admin_client.get(f"/admin/workplan/task/{some_task.pk}/{page}/?_to_field=")
    assert response.status_code == 400


def test_a_to_field_that_names_a_field_still_works(admin_client, some_task):
    response = admin_client.get(f"/admin/workplan/task/{some_task.pk}/change/?_to_field=id")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/admin/workplan/task/export/?nonsense=1", "/admin/accounts/user/export/?post=yes"],
)
def test_a_filter_the_export_page_cannot_use_is_400(admin_client, url):
    path, _, query = url.partition("?")
    assert admin_client.get(path, QUERY_STRING=query).status_code == 400


def test_the_export_page_with_a_real_filter_still_opens(admin_client, some_task):
    response = admin_client.get("/admin/workplan/task/export/", {"status__exact": some_task.status})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/workplan/task/abc/history/",
        "/admin/workplan/task/1.5/history/",
        "/admin/workplan/task/abc/history/1/",
        "/admin/workplan/task/{pk}/history/abc/",
        "/admin/accounts/user/abc/history/",
    ],
)
def test_letters_for_an_id_in_a_history_url_are_a_missing_id(admin_client, some_task, url):
    assert admin_client.get(url.format(pk=some_task.pk)).status_code == 404


@pytest.mark.parametrize(
    "query", ["owner=abc", "area=9999-12-31", "parent=x", "supporting_departments=a,b"]
)
def test_the_add_page_with_a_value_that_cannot_be_an_id_opens(admin_client, query):
    response = admin_client.get("/admin/workplan/task/add/", QUERY_STRING=query)
    assert response.status_code == 200


def test_the_user_add_page_with_a_department_that_cannot_be_an_id_opens(admin_client):
    response = admin_client.get("/admin/accounts/user/add/", QUERY_STRING="department=abc")
    assert response.status_code == 200


def test_a_change_posted_with_a_value_that_cannot_be_an_id_comes_back_with_the_error(
    admin_client,
):
    department = DepartmentFactory()
    response = admin_client.post(
        f"/admin/accounts/department/{department.pk}/change/",
        {"name": department.name, "code": department.code, "parent": "abc"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]


def test_an_autocomplete_field_still_shows_a_real_choice(admin_client):
    area = AreaFactory(title="Roads and rail")
    response = admin_client.get("/admin/workplan/task/add/", {"area": area.pk})
    assert response.status_code == 200
    assert "Roads and rail" in response.text
