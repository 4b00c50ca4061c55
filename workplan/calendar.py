"""Working days of the Chinese calendar, with admin overrides on top.

The `chinesecalendar` library knows statutory holidays and make-up working weekends for the
years the State Council has published. An admin can add a `WorkingDayOverride` for a local
closure or for a year the library does not know yet. Outside the library's years and without
an override a day falls back to Monday to Friday, and a warning is logged once per year.
"""

import datetime
import logging

import chinese_calendar

logger = logging.getLogger(__name__)

_warned_years: set[int] = set()


def _library_is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "The Chinese calendar library has no holidays for %s: counting Monday to Friday "
                "as working days. Add working-day overrides in the admin for that year's "
                "holidays and make-up days.",
                day.year,
            )
        return day.weekday() < 5


class WorkingCalendar:
    """Answer working-day questions for dates near `around` with one query for overrides."""

    def __init__(self, around: datetime.date, *, span_days: int = 120):
        from workplan.models import WorkingDayOverride

        start = around - datetime.timedelta(days=span_days)
        end = around + datetime.timedelta(days=span_days)
        self._start, self._end = start, end
        self._overrides = dict(
            WorkingDayOverride.objects.filter(date__range=(start, end)).values_list(
                "date", "is_working_day"
            )
        )

    def is_working_day(self, day: datetime.date) -> bool:
        if not self._start <= day <= self._end:
            return is_working_day(day)
        if day in self._overrides:
            return self._overrides[day]
        return _library_is_working_day(day)

    def nth_working_day(self, day: datetime.date, n: int, *, forward: bool = True):
        """Return the n-th working day counting from `day` (itself first when working)."""
        step = datetime.timedelta(days=1 if forward else -1)
        found = 0
        current = day
        while True:
            if self.is_working_day(current):
                found += 1
                if found >= n:
                    return current
            current += step


def is_working_day(day: datetime.date) -> bool:
    """Return whether `day` is a working day: override first, then the library."""
    from workplan.models import WorkingDayOverride

    override = (
        WorkingDayOverride.objects.filter(date=day).values_list("is_working_day", flat=True).first()
    )
    if override is not None:
        return override
    return _library_is_working_day(day)
