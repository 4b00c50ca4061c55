"""Indicator readings: the statistics bureau's figures against the plan's targets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from workplan.models import Indicator, IndicatorReading
from workplan.permissions import can_record_reading

READING_NOTE_MAX_CHARS = 300


@transaction.atomic
def indicator_reading_record(
    *,
    indicator: Indicator,
    author,
    period_end: datetime.date,
    value: Decimal,
    note: str = "",
) -> IndicatorReading:
    """Record `indicator`'s value for the period ending `period_end`; one reading per period."""
    if not can_record_reading(author):
        raise PermissionDenied(_("You may not record indicator readings."))
    note = note.strip()
    if len(note) > READING_NOTE_MAX_CHARS:
        raise ValidationError(
            {
                "note": _("A note may be at most %(limit)d characters.")
                % {"limit": READING_NOTE_MAX_CHARS}
            }
        )
    if indicator.readings.filter(period_end=period_end).exists():
        raise ValidationError(
            {
                "period_end": _(
                    "%(indicator)s already has a reading for the period ending %(date)s; "
                    "an administrator corrects a reading in the admin."
                )
                % {"indicator": indicator, "date": period_end.isoformat()}
            }
        )
    return IndicatorReading.objects.create(
        indicator=indicator, period_end=period_end, value=value, note=note, recorded_by=author
    )
