from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.services.urges import TEXT_MAX_CHARS


class UrgeForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the owner must do, and by when. Each owner acknowledges and replies."),
    )


class UrgeReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What has been done about this notice."),
    )
