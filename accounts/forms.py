import unicodedata

from django.contrib.auth import forms as auth_forms
from django.utils import translation

from accounts.models import User
from accounts.services import user_set_password


def _email_key(email: str) -> str:
    return unicodedata.normalize("NFKC", email).casefold()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Write the reset mail in the account holder's language, else the language of the request."""

    def get_users(self, email):
        """Return the active users with this address, those who never set a password included.

        Django's form leaves out a user without a usable password, taking them to sign in some
        other way; here nobody does: people imported in bulk start without one (accounts.
        resources) and choose their first password through this mail.
        """
        key = _email_key(email)
        users = User.objects.filter(email__iexact=email, is_active=True)
        # iexact is the database's idea of case; the mail goes only to an address equal to the
        # one typed under Unicode case folding, as Django's own form checks.
        return (user for user in users if _email_key(user.email) == key)

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
