from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.services.urges import TEXT_MAX_CHARS


class InstructionForm(forms.Form):
    TASK, AREA = "task", "area"

    text = forms.CharField(
        label=_("Instruction"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scope = forms.ChoiceField(
        label=_("On"),
        choices=[(TASK, _("This task")), (AREA, _("Every task of this key area of work"))],
        initial=TASK,
        widget=forms.RadioSelect,
    )
    respond_by = forms.DateField(
        label=_("Response date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the day by which the owners answer."),
    )


class InstructionAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Response (what was done)"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
