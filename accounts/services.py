from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Role, User
from accounts.roles import GROUP_NAMES


@transaction.atomic
def user_sync_role(*, user: User) -> User:
    """Bring the staff flag and group membership in step with the user's role."""
    is_staff = user.role in (Role.SUPERVISOR, Role.ADMIN) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        User.objects.filter(pk=user.pk).update(is_staff=is_staff)
    wanted, _ = Group.objects.get_or_create(name=GROUP_NAMES[user.role])
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values()).exclude(pk=wanted.pk)
    user.groups.remove(*role_groups)
    user.groups.add(wanted)
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str) -> User:
    """Change a user's role, with the staff flag and groups that go with it."""
    user.role = Role(role)
    user.save(update_fields=["role"])
    return user_sync_role(user=user)


@transaction.atomic
def user_calendar_token_reset(*, user: User) -> str:
    """Issue a new calendar feed secret; the old feed URL stops working."""
    from accounts.models import _new_calendar_token

    user.calendar_token = _new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Keep the user's interface and email language."""
    from accounts.models import Language

    user.preferred_language = Language(language)
    user.save(update_fields=["preferred_language"])
    return user
