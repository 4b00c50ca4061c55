import pytest
from django.contrib.auth.models import Group

from accounts.models import Role, User
from accounts.services import user_set_role

pytestmark = pytest.mark.django_db


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_the_role_groups_exist_after_migration_with_permissions():
    officials = Group.objects.get(name="Officials")
    supervisors = Group.objects.get(name="Supervisors")
    administrators = Group.objects.get(name="Administrators")
    assert officials.permissions.filter(codename="add_progressreport").exists()
    assert not officials.permissions.filter(codename="change_task").exists()
    assert supervisors.permissions.filter(codename="change_progressreport").exists()
    assert not supervisors.permissions.filter(codename="delete_task").exists()
    assert administrators.permissions.filter(codename="delete_task").exists()


def test_create_user_puts_an_official_in_officials_without_staff_access():
    user = User.objects.create_user("wang", "wang@etown.example", "pw-1234567890")
    assert user.role == Role.OFFICIAL
    assert not user.is_staff
    assert group_names(user) == {"Officials"}


def test_create_user_with_supervisor_role_gives_staff_access_and_the_supervisors_group():
    user = User.objects.create_user("li", "li@etown.example", "pw-1234567890", role=Role.SUPERVISOR)
    user.refresh_from_db()
    assert user.is_staff
    assert group_names(user) == {"Supervisors"}


def test_changing_the_role_moves_the_user_between_groups_and_staff_flag():
    user = User.objects.create_user("zhao", "z@etown.example", "pw-1234567890", role=Role.ADMIN)
    assert group_names(user) == {"Administrators"}
    user_set_role(user=user, role=Role.OFFICIAL)
    user.refresh_from_db()
    assert not user.is_staff
    assert group_names(user) == {"Officials"}


def test_create_superuser_is_an_admin():
    user = User.objects.create_superuser("root", "root@etown.example", "pw-1234567890")
    assert user.role == Role.ADMIN
    assert user.is_staff
    assert group_names(user) == {"Administrators"}


def test_a_chinese_name_is_written_family_name_first_without_a_space():
    from accounts.models import User

    assert User(first_name="芳", last_name="王").get_full_name() == "王芳"
    assert User(first_name="Fang", last_name="Wang").get_full_name() == "Fang Wang"
