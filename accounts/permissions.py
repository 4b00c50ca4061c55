"""What a user's role allows, whatever the object: predicates over the user alone.

Who sees and changes which task lives with the tasks (`workplan/permissions.py`).
"""

from accounts.models import Role


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return is_active_user(user) and (user.role == Role.ADMIN or user.is_superuser)


def is_supervisor(user) -> bool:
    return is_active_user(user) and user.role == Role.SUPERVISOR


def is_leader(user) -> bool:
    return is_active_user(user) and user.role == Role.LEADER


def reads_everything(user) -> bool:
    """Admins and leaders see the whole plan; only admins may change all of it."""
    return is_admin(user) or is_leader(user)


def can_use_admin(user) -> bool:
    """Supervisors and admins work in /admin/; officials never do."""
    return is_admin(user) or is_supervisor(user)


def can_see_overview(user) -> bool:
    """The leaders' overview and its report: leaders and admins, supervisors for their areas."""
    return is_admin(user) or is_leader(user) or is_supervisor(user)
