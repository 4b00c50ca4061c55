"""The API's own services: tokens and readings recorded once per key."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection

from api.selectors import token_user
from api.services import IdempotencyKeyReused, indicator_reading_record_once, token_issue
from tests.conftest import service_unavailable
from tests.factories import PlanFactory
from workplan.models import Indicator, IndicatorReading

JUNE = datetime.date(2024, 6, 30)


@pytest.mark.django_db
def test_a_token_names_its_user_until_the_next_is_issued(official):
    first = token_issue(user=official)
    assert token_user(first) == official
    second = token_issue(user=official)
    assert token_user(first) is None
    assert token_user(second) == official
    assert token_user("not-a-token") is None


@pytest.mark.django_db
def test_a_key_records_one_reading_and_refuses_other_values(supervisor):
    indicator = Indicator.objects.create(plan=PlanFactory(), code="gdp", name="GDP", target=6)
    record = {"indicator": indicator, "author": supervisor, "key": "k", "period_end": JUNE}
    first, created = indicator_reading_record_once(**record, fingerprint="a", value=Decimal(6))
    again, created_again = indicator_reading_record_once(**record, fingerprint="a", value=6)
    assert (created, created_again, again) == (True, False, first)
    with pytest.raises(IdempotencyKeyReused):
        indicator_reading_record_once(**record, fingerprint="b", value=Decimal(7))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_record_one_reading(supervisor):
    if connection.vendor != "postgresql":
        service_unavailable("needs PostgreSQL's row locks")
    indicator = Indicator.objects.create(plan=PlanFactory(), code="gdp", name="GDP", target=6)
    barrier = threading.Barrier(2)
    outcomes = []

    def retry():
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                indicator_reading_record_once(
                    indicator=indicator,
                    author=supervisor,
                    key="bureau-2024-06",
                    fingerprint="same",
                    period_end=JUNE,
                    value=Decimal("5.3"),
                )[1]
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, True]
    assert IndicatorReading.objects.count() == 1
