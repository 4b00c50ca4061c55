"""The overview's period picker: this month, this quarter, this year or custom dates."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from supervision.overview import Period, PeriodKind, period_of

DATE_HELP = _("YYYY-MM-DD")


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=PeriodKind.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        help_text=DATE_HELP,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        help_text=DATE_HELP,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, on: datetime.date, default: str = PeriodKind.YEAR, **kwargs):
        super().__init__(*args, **kwargs)
        self.on = on
        self.default = default
        self.chosen: Period | None = None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period") or ""
        start, end = cleaned.get("start"), cleaned.get("end")
        if not kind:
            # Dates alone (the report's links) mean a custom period; nothing means the default.
            kind = PeriodKind.CUSTOM if (start or end) else self.default
        if self.errors:
            return cleaned
        try:
            self.chosen = period_of(kind, on=self.on, start=start, end=end)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name, messages)
        return cleaned


def period_from(data, *, on: datetime.date) -> tuple[PeriodForm, Period]:
    """Return the bound form and its period (the default one when the form has errors)."""
    form = PeriodForm(data or None, on=on, initial={"period": PeriodKind.YEAR})
    if form.is_bound and form.is_valid() and form.chosen is not None:
        return form, form.chosen
    return form, period_of(form.default, on=on)
