from django import forms
from django.utils.translation import gettext_lazy as _


class ExtensionRequestForm(forms.Form):
    new_due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the task needs more time; the supervisor decides on it."),
    )
