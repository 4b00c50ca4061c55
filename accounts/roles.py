"""What each role means: its group, the model permissions that group holds, its staff flag.

Below the models: the user manager applies a role as it creates a user, so nothing here imports
accounts.models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User


class Role(TextChoices):
    OFFICIAL = "official", _("Official")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")


GROUP_NAMES = {
    Role.OFFICIAL: "Officials",
    Role.SUPERVISOR: "Supervisors",
    Role.ADMIN: "Administrators",
    Role.LEADER: "Leaders",
}

# app_label -> model -> actions. Officials never enter the admin; their permissions describe what
# the portal lets them do. Object scope (areas, departments) is decided in workplan.permissions.
GROUP_PERMISSIONS = {
    Role.OFFICIAL: {
        "workplan": {
            "plan": ["view"],
            "area": ["view"],
            "task": ["view"],
            "progressreport": ["view", "add"],
            "evidence": ["view", "add"],
            "indicator": ["view"],
            "indicatorreading": ["view"],
        },
    },
    Role.SUPERVISOR: {
        "accounts": {"department": ["view"], "user": ["view"]},
        "workplan": {
            "plan": ["view"],
            "area": ["view"],
            "task": ["view", "change"],
            "progressreport": ["view", "change"],
            "evidence": ["view"],
            "deadlineextension": ["view", "add"],
            "indicator": ["view"],
            "indicatorreading": ["view", "add", "change"],
        },
        "supervision": {
            "extensionrequest": ["view", "change"],
            "reportcycle": ["view", "add", "change", "delete"],
            "missedreport": ["view"],
            "urgenotice": ["view"],
            "urgerecipient": ["view"],
            "instruction": ["view"],
            "instructionanswer": ["view"],
        },
    },
    Role.ADMIN: "__all__",
    # Leaders read the whole plan in the portal and never enter the admin.
    Role.LEADER: {
        "workplan": {
            "plan": ["view"],
            "area": ["view"],
            "task": ["view"],
            "progressreport": ["view"],
            "evidence": ["view"],
            "deadlineextension": ["view"],
            "indicator": ["view"],
            "indicatorreading": ["view"],
        },
    },
}

ALL_APPS = (
    "accounts",
    "notifications",
    "supervision",
    "workplan",
    "auth",
    "django_celery_beat",
    "axes",
    "api",
)


@transaction.atomic
def user_sync_role(*, user: User) -> User:
    """Bring the staff flag and group membership in step with the user's role."""
    is_staff = user.role in (Role.SUPERVISOR, Role.ADMIN) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        type(user).objects.filter(pk=user.pk).update(is_staff=is_staff)
    wanted, _created = Group.objects.get_or_create(name=GROUP_NAMES[Role(user.role)])
    role_groups = Group.objects.filter(name__in=GROUP_NAMES.values()).exclude(pk=wanted.pk)
    user.groups.remove(*role_groups)
    user.groups.add(wanted)
    return user


def _permissions_for(role, permission_model):
    spec = GROUP_PERMISSIONS[role]
    if spec == "__all__":
        return permission_model.objects.filter(content_type__app_label__in=ALL_APPS)
    codenames = []
    app_labels = []
    for app_label, models in spec.items():
        app_labels.append(app_label)
        for model, actions in models.items():
            codenames.extend(f"{action}_{model}" for action in actions)
    return permission_model.objects.filter(
        content_type__app_label__in=app_labels, codename__in=codenames
    )


def groups_sync_permissions(*, apps=None, **kwargs):
    """Create the role groups and give each exactly the permissions listed above."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        group_model = apps.get_model("auth", "Group")
        permission_model = apps.get_model("auth", "Permission")
    except LookupError:
        return
    app_config = kwargs.get("app_config")
    if app_config is not None and app_config.models_module is not None:
        # post_migrate reaches this receiver before auth's own for the same app, so the app's
        # permissions (django_celery_beat's, the last app) may not exist yet: make them now.
        from django.contrib.auth.management import create_permissions

        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"), apps=apps)
    for role, name in GROUP_NAMES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(_permissions_for(role, permission_model))
