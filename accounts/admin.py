"""People and departments in the back office, imported and exported by accounts' resources."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from accounts.forms import AdminPasswordChangeForm
from accounts.models import Department, User
from accounts.permissions import is_admin
from accounts.resources import DepartmentResource, UserResource
from accounts.services import user_sync_role
from etown.admin_lists import AutocompleteAdminMixin
from etown.history_admin import ReadOnlyHistoryAdmin
from etown.resources import EXPORT_FORMATS, LabelledExportForm
from etown.search import CappedSearchMixin


class AdminOnlyImportExportMixin(ImportExportMixin):
    """People and departments move in and out of the portal in bulk only by an admin's hand."""

    formats = EXPORT_FORMATS
    export_form_class = LabelledExportForm

    def has_import_permission(self, request):
        return is_admin(request.user)

    def has_export_permission(self, request):
        return is_admin(request.user)


@admin.register(Department)
class DepartmentAdmin(
    AutocompleteAdminMixin, CappedSearchMixin, AdminOnlyImportExportMixin, admin.ModelAdmin
):
    list_display = ["name", "name_zh", "code", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_zh", "code"]
    autocomplete_fields = ["parent"]
    resource_classes = [DepartmentResource]


@admin.register(User)
class UserAdmin(
    AutocompleteAdminMixin,
    CappedSearchMixin,
    AdminOnlyImportExportMixin,
    DjangoUserAdmin,
    ReadOnlyHistoryAdmin,
):
    list_display = ["username", "full_name", "email", "role", "department", "is_active"]
    list_filter = ["role", "is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["username", "first_name", "last_name", "email", "department__name"]
    autocomplete_fields = ["department"]
    show_full_result_count = False
    # Through accounts.services.user_set_password: a new password renews the calendar address.
    change_password_form = AdminPasswordChangeForm
    history_list_display = ["role", "department", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Work plan"), {"fields": ("role", "department", "preferred_language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Work plan"), {"fields": ("email", "role", "department", "preferred_language")}),
    )

    @admin.display(description=_("full name"))
    def full_name(self, obj):
        return obj.get_full_name()

    resource_classes = [UserResource]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The role decides staff flag and role group, whatever the form said.
        user_sync_role(user=form.instance)
