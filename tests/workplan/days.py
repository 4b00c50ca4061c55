"""Days of the 2024 Chinese calendar that the urgency tests stand on, and a way to stand there.

With REMINDER_DUE_SOON_DAYS = 3, today counted:
- Friday 2024-03-08: due soon until Tuesday 03-12 (Friday, Monday, Tuesday);
- Monday 2024-03-04: due soon until Wednesday 03-06, so Saturday 03-09 (5 days on) is on track;
- Monday 2024-09-30: due soon until Wednesday 10-09, across the National Day holiday (10-01..07);
- Friday 2024-02-02: due soon until Monday 02-05, Sunday 02-04 being a make-up working day.
"""

import datetime

from workplan import urgency

D = datetime.date

FRIDAY = D(2024, 3, 8)
MONDAY = D(2024, 3, 4)
BEFORE_NATIONAL_DAY = D(2024, 9, 30)
BEFORE_MAKE_UP_SUNDAY = D(2024, 2, 2)


def portal_today(monkeypatch, day: datetime.date) -> None:
    """Make `day` the portal's today for urgency (the window every page builds)."""
    monkeypatch.setattr(urgency, "today", lambda: day)
