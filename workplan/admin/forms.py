"""Forms of the admin's intermediate pages: reassign, extend a deadline, return reports."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from workplan.models import Task


class ActionForm(forms.Form):
    """A form shown by an admin action; it knows the admin site for its widgets."""

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin_site = admin_site


class ReassignForm(ActionForm):
    owner = forms.ModelChoiceField(
        label=_("New owner"), queryset=User.objects.filter(is_active=True)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 5,000 people: a search box, not a drop-down.
        self.fields["owner"].widget = AutocompleteSelect(
            Task._meta.get_field("owner"), self.admin_site
        )


class DeadlineExtendForm(ActionForm):
    new_due_date = forms.DateField(label=_("New due date"), widget=AdminDateWidget)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with the task and shown in its history."),
    )


class ReturnForm(ActionForm):
    comment = forms.CharField(
        label=_("Comment to the officials"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Say what to change; each official receives it by email."),
    )
