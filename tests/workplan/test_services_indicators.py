import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import PlanFactory
from workplan.models import Indicator, IndicatorReading
from workplan.selectors import indicator_list_for
from workplan.services import indicator_reading_record

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2024, 6, 30)


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(plan=PlanFactory(), code="gdp", name="GDP growth", target=6)


def test_a_supervisor_records_a_reading_as_its_recorder(supervisor, indicator):
    reading = indicator_reading_record(
        indicator=indicator, author=supervisor, period_end=JUNE, value=Decimal("6.4"), note=" H1 "
    )
    assert (reading.recorded_by, reading.note, reading.is_met) == (supervisor, "H1", True)


def test_an_official_may_not_record_a_reading(official, indicator):
    with pytest.raises(PermissionDenied):
        indicator_reading_record(
            indicator=indicator, author=official, period_end=JUNE, value=Decimal(5)
        )
    assert IndicatorReading.objects.count() == 0


def test_a_period_has_one_reading(admin_user, indicator):
    indicator_reading_record(indicator=indicator, author=admin_user, period_end=JUNE, value=1)
    with pytest.raises(ValidationError) as refused:
        indicator_reading_record(indicator=indicator, author=admin_user, period_end=JUNE, value=2)
    assert "period_end" in refused.value.message_dict


def test_a_long_note_is_refused(admin_user, indicator):
    with pytest.raises(ValidationError) as refused:
        indicator_reading_record(
            indicator=indicator, author=admin_user, period_end=JUNE, value=1, note="x" * 301
        )
    assert "note" in refused.value.message_dict


def test_every_role_reads_the_indicators_with_their_readings(official, indicator, admin_user):
    indicator_reading_record(indicator=indicator, author=admin_user, period_end=JUNE, value=1)
    (listed,) = indicator_list_for(official)
    assert [r.period_end for r in listed.readings.all()] == [JUNE]
