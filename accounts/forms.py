from django.contrib.auth import forms as auth_forms
from django.utils import translation

from accounts.services import user_set_password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Write the reset mail in the account holder's language, else the language of the request."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = getattr(context.get("user"), "preferred_language", "")
        with translation.override(language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordSavedByServiceMixin:
    """Save the new password through user_set_password, which renews the calendar address too."""

    def set_password_and_save(self, user, password_field_name="password1", commit=True):  # noqa: S107
        if not commit:
            return super().set_password_and_save(user, password_field_name, commit=False)
        return user_set_password(user=user, password=self.cleaned_data[password_field_name])


class SetPasswordForm(PasswordSavedByServiceMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(PasswordSavedByServiceMixin, auth_forms.PasswordChangeForm):
    pass
