"""Search caps: a search of a thousand words is refused with a message, never run."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from etown.search import CappedSearchMixin
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

LONG_SEARCH = " ".join(f"w{n}" for n in range(1000))
OUR_APPS = {"accounts", "workplan"}
SEARCHABLE = [
    "workplan_task",
    "workplan_progressreport",
    "workplan_evidence",
    "workplan_deadlineextension",
    "workplan_area",
    "workplan_plan",
    "workplan_indicator",
    "workplan_reminder",
    "accounts_user",
    "accounts_department",
]


def _most_likes(queries) -> int:
    return max((query["sql"].upper().count(" LIKE ") for query in queries), default=0)


def test_every_searchable_admin_of_the_portal_caps_its_search():
    searchable = [
        admin.site.get_model_admin(model)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and admin.site.is_registered(model)
        and admin.site.get_model_admin(model).search_fields
    ]
    assert {f"{m.model._meta.app_label}_{m.model._meta.model_name}" for m in searchable} == set(
        SEARCHABLE
    )
    # A search of its own goes in get_search_results_within_caps, never around the caps.
    assert all(
        type(model_admin).get_search_results is CappedSearchMixin.get_search_results
        for model_admin in searchable
    )


@pytest.mark.parametrize("name", SEARCHABLE)
def test_a_search_of_a_thousand_words_is_refused_with_a_message_and_never_run(
    client, admin_user, name
):
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"admin:{name}_changelist"), {"q": LONG_SEARCH})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("at most 10 words and 200 characters" in note for note in notes), notes
    assert _most_likes(queries.captured_queries) < 20


def test_a_search_of_few_but_long_words_is_refused_too(client, admin_user, area):
    client.force_login(admin_user)
    response = client.get(reverse("admin:workplan_task_changelist"), {"q": "x" * 201})
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("at most 10 words" in note for note in notes), notes


def test_a_search_within_the_caps_still_finds_its_task(client, supervisor, area):
    wanted = TaskFactory(area=area, title="Pave the ring road")
    TaskFactory(area=area, title="Plant trees")
    client.force_login(supervisor)
    words = "pave the ring road " * 2 + "pave ring"
    response = client.get(reverse("admin:workplan_task_changelist"), {"q": words})
    assert list(response.context["cl"].result_list) == [wanted]
    assert list(get_messages(response.wsgi_request)) == []


def test_an_over_long_autocomplete_search_answers_nothing_and_leaves_no_message(
    client, admin_user, official
):
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": LONG_SEARCH,
            "app_label": "workplan",
            "model_name": "task",
            "field_name": "owner",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert list(get_messages(response.wsgi_request)) == []


def test_the_task_list_refuses_a_search_of_a_thousand_words_with_the_filter_forms_error(
    client, official, task
):
    client.force_login(official)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tasks/", {"q": LONG_SEARCH})
    assert response.status_code == 200
    assert "at most 10 words and 200 characters" in response.text
    assert response.context["filter"].form.errors["q"]
    # The search is left out: the list is the person's whole list.
    assert f'href="/tasks/{task.pk}/"' in response.text
    assert _most_likes(queries.captured_queries) < 20


def test_the_task_list_still_searches_within_the_caps(client, official, task):
    client.force_login(official)
    response = client.get("/tasks/", {"q": task.title.split()[0]})
    assert not response.context["filter"].form.errors
    assert f'href="/tasks/{task.pk}/"' in response.text
