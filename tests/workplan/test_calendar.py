import datetime
import logging

import pytest

from workplan import calendar
from workplan.calendar import WorkingCalendar, is_working_day
from workplan.models import WorkingDayOverride

D = datetime.date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 12), False),  # Spring Festival, a Monday
        (D(2024, 2, 4), True),  # make-up working Sunday
        (D(2024, 2, 18), True),  # make-up working Sunday
        (D(2024, 2, 17), False),  # Saturday inside the holiday
        (D(2024, 10, 1), False),  # National Day
        (D(2024, 10, 12), True),  # make-up working Saturday
        (D(2024, 3, 6), True),  # an ordinary Wednesday
        (D(2024, 3, 9), False),  # an ordinary Saturday
    ],
)
def test_working_days_follow_the_2024_chinese_calendar(day, working):
    assert is_working_day(day) is working
    assert WorkingCalendar(day).is_working_day(day) is working


@pytest.mark.django_db
def test_an_override_wins_over_the_library_both_ways():
    WorkingDayOverride.objects.create(date=D(2024, 3, 6), is_working_day=False, note="Closure")
    WorkingDayOverride.objects.create(date=D(2024, 2, 12), is_working_day=True)

    assert is_working_day(D(2024, 3, 6)) is False
    assert is_working_day(D(2024, 2, 12)) is True
    assert WorkingCalendar(D(2024, 3, 1)).is_working_day(D(2024, 3, 6)) is False


@pytest.mark.django_db
def test_a_year_the_library_does_not_know_falls_back_to_weekdays_and_warns_once(caplog):
    calendar._warned_years.discard(2099)
    with caplog.at_level(logging.WARNING, logger="workplan.calendar"):
        assert is_working_day(D(2099, 1, 1)) is True  # a Thursday, New Year unknown
        assert is_working_day(D(2099, 1, 3)) is False  # Saturday
        assert is_working_day(D(2099, 1, 5)) is True
    warnings = [r for r in caplog.records if "2099" in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.django_db
def test_an_override_sets_a_holiday_in_a_year_the_library_does_not_know():
    WorkingDayOverride.objects.create(date=D(2099, 1, 1), is_working_day=False)
    assert is_working_day(D(2099, 1, 1)) is False


@pytest.mark.django_db
def test_the_nth_working_day_skips_the_national_day_holiday():
    cal = WorkingCalendar(D(2024, 9, 30))
    assert cal.nth_working_day(D(2024, 9, 30), 1) == D(2024, 9, 30)
    assert cal.nth_working_day(D(2024, 9, 30), 3) == D(2024, 10, 9)
    assert cal.nth_working_day(D(2024, 2, 19), 3, forward=False) == D(2024, 2, 9)


def test_the_calendar_for_a_date_costs_one_query(django_assert_num_queries, db):
    with django_assert_num_queries(1):
        cal = WorkingCalendar(D(2024, 2, 18))
        for offset in range(30):
            cal.is_working_day(D(2024, 2, 1) + datetime.timedelta(days=offset))
