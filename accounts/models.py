import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role, user_sync_role

__all__ = ["Department", "Language", "Role", "User", "UserManager", "new_calendar_token"]


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    CHINESE = "zh-hans", _("Simplified Chinese")


class Department(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        # Like Indicator: the Chinese name for Chinese-language readers when an admin gave one.
        if self.name_zh and (get_language() or "").lower().startswith("zh"):
            return self.name_zh
        return self.name


class UserManager(DjangoUserManager):
    """Create users whose role, staff flag and groups agree from the first save."""

    def create_user(self, username, email=None, password=None, **extra_fields):
        user = super().create_user(username, email, password, **extra_fields)
        user_sync_role(user=user)
        return user

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields["role"] = Role.ADMIN
        user = super().create_superuser(username, email, password, **extra_fields)
        user_sync_role(user=user)
        return user


def is_chinese(text: str) -> bool:
    """Return whether `text` is written in Chinese characters (an empty text counts)."""
    return all("\u3400" <= char <= "\u9fff" for char in text.strip())


def new_calendar_token() -> str:
    """Return a fresh secret for a user's calendar feed address."""
    return secrets.token_urlsafe(24)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.OFFICIAL)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=Language,
        blank=True,
        help_text=_("Leave empty to follow the browser's language."),
    )
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_calendar_token
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login", "calendar_token"])

    objects: ClassVar[UserManager] = UserManager()

    # AbstractUser's Meta holds nothing this one does not say again.
    class Meta:
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["role", "is_active"], name="user_role_active_idx")]

    def __str__(self):
        full_name = self.get_full_name()
        return f"{full_name} ({self.username})" if full_name else self.username

    def get_full_name(self):
        # A Chinese name is written family name first, without a space: 王芳, not "芳 王".
        if is_chinese(self.last_name) and is_chinese(self.first_name):
            return f"{self.last_name}{self.first_name}".strip()
        return super().get_full_name()

    @property
    def is_official(self):
        return self.role == Role.OFFICIAL

    @property
    def is_supervisor(self):
        return self.role == Role.SUPERVISOR

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_leader(self):
        return self.role == Role.LEADER
