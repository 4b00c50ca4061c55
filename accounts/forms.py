from django.contrib.auth import forms as auth_forms
from django.utils import translation


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Write the reset mail in the account holder's language, else the language of the request."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = getattr(context.get("user"), "preferred_language", "")
        with translation.override(language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
