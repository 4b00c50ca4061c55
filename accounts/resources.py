"""Import and export of people and departments (CSV, XLSX) with django-import-export.

Rows name a department by its code; every bad value is an error that names it, and a file with
one bad row writes nothing (`etown.resources.AllOrNothingResource`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from import_export import fields, widgets

from accounts.models import Department, User
from accounts.roles import user_sync_role
from etown.resources import AllOrNothingResource, LookupWidget


class DepartmentResource(AllOrNothingResource):
    parent = fields.Field(
        attribute="parent",
        column_name="parent",
        widget=LookupWidget(Department, "code", _("department")),
    )

    class Meta:
        model = Department
        fields = ["code", "name", "name_zh", "parent"]
        export_order = fields
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)


class UserResource(AllOrNothingResource):
    department = fields.Field(
        attribute="department",
        column_name="department",
        widget=LookupWidget(Department, "code", _("department")),
    )
    is_active = fields.Field(attribute="is_active", widget=widgets.BooleanWidget())

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "department",
            "preferred_language",
            "is_active",
        ]
        export_order = fields
        import_id_fields = ["username"]
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("department")

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            # Imported people choose their password through the reset mail.
            instance.set_unusable_password()

    def after_save_instance(self, instance, row, **kwargs):
        user_sync_role(user=instance)
