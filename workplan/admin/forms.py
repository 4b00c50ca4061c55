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


class TaskChangeForm(forms.ModelForm):
    """The admin's task form. It carries the version it was rendered at, so a save over a task
    that changed meanwhile (a report, a review, an action, a colleague's save) is refused with
    what changed, instead of overwriting it."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        # The admin passes the fields of its fieldsets; this form adds only the version.
        fields = ["expected_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        from django.core.exceptions import ValidationError

        from workplan.services import TaskChangedError, task_lock_at_version

        cleaned = super().clean()
        # A form refused for its fields saves nothing anyway; the version is checked (and the
        # row locked) when it is otherwise ready to save.
        if self.instance.pk and not self.errors:
            try:
                # The admin validates and saves in one transaction: the lock lasts to the save.
                task_lock_at_version(
                    task=self.instance, expected_version=cleaned.get("expected_version")
                )
            except TaskChangedError as error:
                # Resubmitting after reading what changed then saves over the new version.
                self.data = self.data.copy()
                self.data[self.add_prefix("expected_version")] = str(error.task.version)
                raise ValidationError(
                    [
                        _(
                            "This task changed after you opened it; your changes are not saved. "
                            "Check what changed below, then save again to keep yours."
                        ),
                        *[str(change) for change in error.changes],
                    ],
                    code="task_changed",
                ) from None
        return cleaned
