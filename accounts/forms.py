from django.contrib.auth import forms as auth_forms
from django.utils import translation

from etown import throttle


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Send reset mails within the limits per address and per account, in the holder's language.

    Over a limit nothing is sent, and the page says what it always says, so the limits tell an
    onlooker nothing about which addresses have accounts.
    """

    def save(self, **kwargs):
        request = kwargs.get("request")
        if request is not None and not throttle.password_reset_address_allowed(request):
            return
        super().save(**kwargs)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        user = context.get("user")
        if user is not None and not throttle.password_reset_account_allowed(user):
            return
        # The account holder's language, else the language of the request.
        language = getattr(user, "preferred_language", "")
        with translation.override(language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
