import unicodedata

from django.contrib.auth import forms as auth_forms
from django.utils import translation

from accounts.models import User
from accounts.services import user_set_password
from etown import throttle


def _email_key(email: str) -> str:
    return unicodedata.normalize("NFKC", email).casefold()


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
        user = context.get("user")
        if user is not None and not throttle.password_reset_account_allowed(user):
            return
        # The account holder's language, else the language of the request.
        language = getattr(user, "preferred_language", "")
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


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """The admin's page for another user's password, saved through user_set_password.

    Django's form saves the user itself, which would leave the calendar address as it was.
    """

    def set_password_and_save(self, user, commit=True, **kwargs):
        if not commit:
            return super().set_password_and_save(user, commit=False, **kwargs)
        usable = self.cleaned_data.get("set_usable_password", True)
        password = self.cleaned_data["password1"] if usable else None
        return user_set_password(user=user, password=password)
