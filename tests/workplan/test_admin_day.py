"""A supervisor's day in the back office, each form submitted as its page renders it."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory
from tests.rendered_forms import post_data, rendered_form
from workplan.models import DeadlineExtension

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def _action_page(client, task, action):
    """Open an action's form from the task page's button, as a supervisor clicks it."""
    page = client.get(reverse("admin:workplan_task_change", args=[task.pk]))
    assert page.status_code == 200
    buttons = [
        form
        for form in page.text.split("<form")
        if f'name="action" value="{action}"' in form and "object-tool-form" in form
    ]
    assert len(buttons) == 1
    button = rendered_form("<form" + buttons[0], method="post")
    response = client.post(button["action"], post_data(button))
    assert response.status_code == 200, response.status_code
    return response


def test_reassigning_from_the_task_page_renders_a_search_box_and_changes_the_owner(
    sup_client, task
):
    new_owner = UserFactory(role=Role.OFFICIAL, first_name="Wei", last_name="Zhang")
    response = _action_page(sup_client, task, "reassign_owner")
    assert "admin-autocomplete" in response.text
    form = rendered_form(response.text, id="action-form")
    done = sup_client.post(
        form["action"] or response.request["PATH_INFO"],
        post_data(form, "apply", owner=str(new_owner.pk)),
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.owner == new_owner


def test_reassigning_from_the_changelist_renders_the_form(sup_client, task):
    url = reverse("admin:workplan_task_changelist")
    response = sup_client.post(url, {"action": "reassign_owner", "_selected_action": [task.pk]})
    assert response.status_code == 200
    assert 'name="owner"' in response.text


def _extend(client, task, typed_date, reason="Permits came late.", language="en"):
    client.cookies["django_language"] = language
    page = _action_page(client, task, "extend_deadline")
    form = rendered_form(page.text, id="action-form")
    return client.post(
        page.request["PATH_INFO"],
        post_data(form, "apply", new_due_date=typed_date, reason=reason),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_an_extension_to_an_earlier_date_is_refused_on_the_form_and_changes_nothing(
    sup_client, task
):
    due = task.due_date
    earlier = due - datetime.timedelta(days=23)
    response = _extend(sup_client, task, earlier.isoformat())
    assert response.status_code == 200
    assert "an extension only moves a deadline later" in response.text
    assert earlier.isoformat() in response.text  # what was typed is still there
    assert "Permits came late." in response.text
    task.refresh_from_db()
    assert task.due_date == due
    assert not DeadlineExtension.objects.exists()


def test_an_extension_to_the_same_date_is_refused_on_the_form(sup_client, task):
    response = _extend(sup_client, task, task.due_date.isoformat())
    assert response.status_code == 200
    assert "pick another date" in response.text
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("written", ["{:%Y-%m-%d}", "{:%Y/%m/%d}", "{d.year}年{d.month}月{d.day}日"])
def test_an_extension_takes_iso_and_chinese_dates_in_both_languages(
    sup_client, task, language, written
):
    later = task.due_date + datetime.timedelta(days=40)
    typed = written.format(later, d=later)
    response = _extend(sup_client, task, typed, language=language)
    assert response.status_code == 302, response.context["form"].errors
    task.refresh_from_db()
    assert task.due_date == later


def test_an_ambiguous_date_is_refused_with_the_format_to_use(sup_client, task):
    later = task.due_date + datetime.timedelta(days=40)
    response = _extend(sup_client, task, f"{later:%m/%d/%Y}")
    assert response.status_code == 200
    assert "2026-12-25" in response.text
    assert not DeadlineExtension.objects.exists()


def test_the_extend_form_carries_the_calendar_catalogue_and_a_format_hint(sup_client, task):
    for language in ("en", "zh-hans"):
        sup_client.cookies["django_language"] = language
        page = _action_page(sup_client, task, "extend_deadline")
        catalogue = page.text.index(reverse("admin:jsi18n"))
        assert catalogue < page.text.index("admin/js/calendar.js")
        assert catalogue < page.text.index("admin/js/admin/DateTimeShortcuts.js")
        assert "2026-12-25" in page.text
    assert sup_client.get(reverse("admin:jsi18n")).status_code == 200
