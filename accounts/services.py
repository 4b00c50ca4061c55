from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Language, Role, User, new_calendar_token
from accounts.roles import user_sync_role

__all__ = [
    "user_calendar_token_reset",
    "user_set_language",
    "user_set_password",
    "user_set_role",
    "user_sync_role",
]


@transaction.atomic
def user_set_role(*, user: User, role: str) -> User:
    """Change a user's role, with the staff flag and groups that go with it."""
    user.role = Role(role)
    user.save(update_fields=["role"])
    return user_sync_role(user=user)


@transaction.atomic
def user_calendar_token_reset(*, user: User) -> str:
    """Issue a new calendar feed secret; the old feed URL stops working."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def user_set_password(*, user: User, password: str | None) -> User:
    """Set a new password (None: none, sign-in by password off) and a new calendar feed secret.

    The feed address is a credential of its own: whoever changes a password because it leaked
    (or resets a forgotten one, or an admin takes it away) must not leave a feed that still
    answers whoever had the old.
    """
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["password", "calendar_token"])
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Keep the user's interface and email language, one the portal offers."""
    if language not in Language.values:
        raise ValidationError(
            _("The portal is not offered in “%(language)s”: choose English or Chinese."),
            code="unknown_language",
            params={"language": language},
        )
    user.preferred_language = Language(language)
    user.save(update_fields=["preferred_language"])
    return user
