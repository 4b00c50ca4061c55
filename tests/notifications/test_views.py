"""The inbox: the user's own notifications, opened = read, the unread count on every page."""

import pytest
from django.urls import reverse

from accounts.models import Role
from notifications.models import Notification, NotificationKind
from notifications.services import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory(role=Role.OFFICIAL)


def make(user, n, **kwargs):
    return [
        notification_send(
            recipient=user,
            kind=NotificationKind.REPORT_APPROVED,
            url=f"/tasks/{i + 1}/",
            params={"task": f"Task number {i}"},
            mail=False,
            **kwargs,
        )
        for i in range(n)
    ]


def test_the_inbox_lists_the_users_notifications_newest_first(client, user):
    make(user, 3)
    make(UserFactory(), 1)
    client.force_login(user)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    text = response.text
    assert text.index("Task number 2") < text.index("Task number 1") < text.index("Task number 0")
    assert text.count('data-unread="1"') == 3


def test_an_empty_inbox_says_so(client, user):
    client.force_login(user)
    response = client.get(reverse("notifications:list"))
    assert 'id="empty-state"' in response.text
    assert 'id="notification-count"' not in response.text


def test_the_inbox_pages_by_25(client, user):
    make(user, 30)
    client.force_login(user)
    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert first.text.count("data-unread=") == 25
    assert second.text.count("data-unread=") == 5


@pytest.mark.parametrize("count", [1, 60])
def test_the_inbox_costs_the_same_queries_whatever_the_number_of_notifications(
    client, user, count, django_assert_max_num_queries
):
    make(user, count)
    client.force_login(user)
    client.get(reverse("notifications:list"))
    # Session, user, count of the paginator, the page, the header's unread count.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_opening_a_notification_marks_it_read_and_leads_to_its_page(client, user):
    (notification,) = make(user, 1)
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/tasks/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, user):
    (theirs,) = make(UserFactory(), 1)
    client.force_login(user)
    response = client.get(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_clears_the_count(client, user):
    make(user, 4)
    client.force_login(user)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert 'id="notification-count"' not in response.text


def test_the_header_shows_the_unread_count_on_every_page(client, user):
    make(user, 2)
    opened = make(user, 1)[0]
    client.get(reverse("notifications:open", args=[opened.pk]))  # anonymous: nothing happens
    client.force_login(user)
    client.get(reverse("notifications:open", args=[opened.pk]))
    for url in ["/", "/tasks/", reverse("notifications:list")]:
        response = client.get(url)
        assert '<span class="badge rounded-pill text-bg-danger" id="notification-count">2' in (
            response.text
        ), url


def test_the_header_count_is_one_query_per_request(client, user, django_assert_num_queries):
    make(user, 3)
    client.force_login(user)
    client.get("/accounts/password/change/")
    with django_assert_num_queries(3):
        # Session, user, and the unread count: a page that reads nothing else.
        response = client.get("/accounts/password/change/")
    assert 'id="notification-count">3<' in response.text
