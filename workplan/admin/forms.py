"""Forms of the admin: its intermediate pages (reassign, extend, return) and the task form."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from workplan.models import Task, TaskStatus
from workplan.services import TaskChangedError, task_create_check, task_update_check
from workplan.services.review import COMMENT_MAX_CHARS


class ActionForm(forms.Form):
    """A form shown by an admin action; it knows the admin site for its widgets."""

    def __init__(self, *args, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.admin_site = admin_site


class ReassignForm(ActionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 5,000 people: a search box, not a drop-down. The widget is given to the field as it
        # is built, so the field hands it its queryset (the search box needs it to render the
        # chosen person); a widget swapped in afterwards has none.
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("New owner"),
            queryset=User.objects.filter(is_active=True),
            widget=AutocompleteSelect(Task._meta.get_field("owner"), self.admin_site),
        )


# ISO first (what the calendar writes in both languages), then the Chinese ways of writing a
# date; never 12/25/2026, which reads differently in different countries.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]


class DeadlineExtendForm(ActionForm):
    new_due_date = forms.DateField(
        label=_("New due date"),
        widget=AdminDateWidget(format="%Y-%m-%d"),
        input_formats=DATE_INPUT_FORMATS,
        help_text=_(
            "Year-month-day, e.g. 2026-12-25 (or 2026年12月25日); later than the current due date."
        ),
        error_messages={
            "invalid": _("Enter the date as year-month-day, e.g. 2026-12-25 or 2026年12月25日.")
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with the task and shown in its history."),
    )


class ReturnForm(ActionForm):
    comment = forms.CharField(
        label=_("Comment to the officials"),
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Say what to change; each official receives it by email."),
    )


class TaskChangeForm(forms.ModelForm):
    """The admin's task form. It carries the version it was rendered at, so a save over a task
    that changed meanwhile (a report, a review, an action, a colleague's save) is refused with
    what changed, instead of overwriting it.

    Its change is checked by the task services while the form validates (the only moment the
    admin can still show an error beside the form) and saved by them in `TaskAdmin.save_model`:
    the row lock the check takes lasts to that save, since the admin does both in one
    transaction. `user` is set by `TaskAdmin.get_form`.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    user = None

    class Meta:
        model = Task
        # The admin passes the fields of its fieldsets; this form adds only the version.
        fields = ["expected_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def task_changes(self) -> dict:
        """Return the task fields this form changes, with their new values."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name != "expected_version" and name in self.cleaned_data
        }

    def task_version(self) -> int:
        # A form posted without its version is stale by definition: no task is at version 0.
        version = self.cleaned_data.get("expected_version")
        return 0 if version is None else version

    def clean(self):
        cleaned = super().clean()
        # A form refused for its fields saves nothing anyway; the change is checked (and the
        # row locked) when it is otherwise ready to save.
        if self.errors:
            return cleaned
        if not self.instance.pk:
            try:
                task_create_check(
                    user=self.user,
                    area=cleaned.get("area"),
                    owner=cleaned.get("owner"),
                    status=cleaned.get("status") or TaskStatus.NOT_STARTED,
                    progress=cleaned.get("progress") or 0,
                )
            except ValidationError as error:
                self.add_service_errors(error)
        else:
            try:
                task_update_check(
                    task=self.instance,
                    user=self.user,
                    changes=self.task_changes(),
                    expected_version=self.task_version(),
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
            except PermissionDenied as error:
                raise ValidationError(str(error), code="permission") from None
            except ValidationError as error:
                self.add_service_errors(error)
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        # A rule about a field this page does not show is said above the form.
        for field, messages in error.update_error_dict({}).items():
            self.add_error(field if field in self.fields else None, messages)
