"""Indicator readings through the API: recorded once per Idempotency-Key."""

import datetime
from decimal import Decimal

import pytest

from api.models import IdempotencyKey
from tests.factories import PlanFactory
from workplan.models import Indicator, IndicatorReading

pytestmark = pytest.mark.django_db

READING = {"period_end": "2024-06-30", "value": "6.30", "note": "Statistics bureau, H1"}


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(plan=PlanFactory(), code="gdp", name="GDP growth", target=6)


def post(client, indicator, data=READING, key="feed-2024-06-30"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        f"/api/v1/indicators/{indicator.pk}/readings/", data, format="json", **headers
    )


def test_a_retried_post_records_one_reading(api, supervisor, indicator):
    client = api.as_user(supervisor)
    first = post(client, indicator)
    retry = post(client, indicator)
    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert IndicatorReading.objects.count() == 1
    reading = IndicatorReading.objects.get()
    assert reading.recorded_by == supervisor
    assert str(reading.value) == "6.30"
    listed = client.get(f"/api/v1/indicators/{indicator.pk}/").json()["readings"]
    assert [row["id"] for row in listed] == [reading.pk]


def test_the_same_key_with_another_reading_is_refused(api, supervisor, indicator):
    client = api.as_user(supervisor)
    assert post(client, indicator).status_code == 201
    other = post(client, indicator, {**READING, "value": "7.00"})
    assert other.status_code == 422
    assert IndicatorReading.objects.get().value == Decimal("6.30")


def test_keys_belong_to_their_user(api, supervisor, admin_user, indicator):
    assert post(api.as_user(supervisor), indicator).status_code == 201
    # Another user's same key is theirs; the period already has its reading: 400.
    refused = post(api.as_user(admin_user), indicator)
    assert refused.status_code == 400
    assert "period_end" in refused.json()
    assert IdempotencyKey.objects.count() == 1


def test_a_post_without_a_key_is_400_and_records_nothing(api, supervisor, indicator):
    response = post(api.as_user(supervisor), indicator, key=None)
    assert response.status_code == 400
    assert "Idempotency-Key" in str(response.json())
    assert IndicatorReading.objects.count() == 0


def test_bad_values_are_400_per_field(api, supervisor, indicator):
    response = post(
        api.as_user(supervisor), indicator, {"period_end": "June", "value": "a lot"}, key="k1"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"period_end", "value"}


def test_officials_and_leaders_read_but_may_not_record(api, official, leader, indicator):
    IndicatorReading.objects.create(
        indicator=indicator, period_end=datetime.date(2024, 3, 31), value=5
    )
    for user in (official, leader):
        client = api.as_user(user)
        assert client.get(f"/api/v1/indicators/{indicator.pk}/readings/").status_code == 200
        assert post(client, indicator).status_code == 403
    assert IndicatorReading.objects.count() == 1
