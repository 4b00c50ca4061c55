from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from workplan.models import TaskStatus
from workplan.services.reports import NOTE_MAX_CHARS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# A hint for the browser's file picker only; the service checks every file's content.
EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.pptx"


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


class ProgressReportForm(forms.Form):
    """Progress, status and note; the version the form was rendered with detects a second writer."""

    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, what is next. Required when the task is blocked."),
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Optional: PDF, images or Office documents."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, max_size_label="", **kwargs):
        super().__init__(*args, **kwargs)
        if max_size_label:
            self.fields["evidence"].help_text = _(
                "Optional: PDF, images (PNG, JPEG, GIF, WebP) or Office documents, "
                "up to %(size)s each."
            ) % {"size": max_size_label}
        self.helper = FormHelper()
        self.helper.form_id = "report-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            Field("progress"),
            Field("status"),
            Field("note"),
            Field("evidence"),
            Field("version"),
            Submit("submit", _("Submit report")),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == TaskStatus.BLOCKED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say what blocks the task, so your supervisor can help."))
        return cleaned
