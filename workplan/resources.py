"""Import and export of tasks (CSV, XLSX) with django-import-export.

People and departments are imported by `accounts.resources`; the formats and the all-or-nothing
resource both build on are in `etown.resources`.

Rows name related objects by what people know (area number, user name, department code), and
every bad value raises a ValueError that names the value, so the preview lists each bad row
with its reason and nothing is written.

Tasks are written by the task services, never saved directly: a row that moves a due date needs
its reason in the `extension_reason` column (the move is kept as a deadline extension), and a
row that changes status or progress moves the task's version on, like any other change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from accounts.models import Department, User
from etown.resources import EXPORT_FORMATS, AllOrNothingResource, LookupWidget
from workplan.models import Plan, Task, TaskStatus
from workplan.permissions import visible_areas, visible_tasks
from workplan.services import TASK_FIELDS, task_create, task_update

DATE_FORMAT = "%Y-%m-%d"
# The admin's task import and export offer these formats (workplan/admin/tasks.py reads them here).
__all__ = ["EXPORT_FORMATS", "TaskResource"]


class AreaWidget(LookupWidget):
    """An area by its number in the row's plan (column `plan`, a year; default the newest)."""

    def __init__(self, **kwargs):
        super().__init__(Task._meta.get_field("area").related_model, "number", _("area"), **kwargs)
        self.user = None

    def get_queryset(self, value, row, *args, **kwargs):
        areas = visible_areas(self.user) if self.user is not None else self.model.objects.all()
        year = str((row or {}).get("plan") or "").strip()
        if year:
            return areas.filter(plan__year=year)
        latest = Plan.objects.order_by("-year").values("pk")[:1]
        return areas.filter(plan__in=latest)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.number


class ProgressWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            progress = super().clean(value, row, **kwargs)
        except (ValueError, TypeError, ArithmeticError):
            # TypeError: a spreadsheet cell holding a date or a boolean (found by fuzzing).
            raise ValueError(
                _("Progress “%(value)s” is not a whole number.") % {"value": value}
            ) from None
        if progress is None:
            return 0
        if not 0 <= progress <= 100:
            raise ValueError(_("Progress %(value)s is out of range 0–100.") % {"value": progress})
        return progress


class StatusWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return TaskStatus.NOT_STARTED
        if value not in TaskStatus.values:
            raise ValueError(
                _("Unknown status “%(value)s”; use one of %(choices)s.")
                % {"value": value, "choices": ", ".join(TaskStatus.values)}
            )
        return value


class CheckedDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format=DATE_FORMAT)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(
                _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value}
            ) from None


class TaskResource(AllOrNothingResource):
    plan = fields.Field(attribute="area__plan__year", column_name="plan", readonly=True)
    area = fields.Field(attribute="area", column_name="area", widget=AreaWidget())
    owner = fields.Field(
        attribute="owner", column_name="owner", widget=LookupWidget(User, "username", _("owner"))
    )
    lead_department = fields.Field(
        attribute="lead_department",
        column_name="lead_department",
        widget=LookupWidget(Department, "code", _("department")),
    )
    start_date = fields.Field(attribute="start_date", widget=CheckedDateWidget())
    due_date = fields.Field(attribute="due_date", widget=CheckedDateWidget())
    status = fields.Field(attribute="status", widget=StatusWidget())
    progress = fields.Field(attribute="progress", widget=ProgressWidget())
    # Empty spreadsheet cells arrive as None; the text columns want "".
    description = fields.Field(attribute="description", widget=widgets.CharWidget())
    # Not a task field: the reason for a row's new due date, kept with the extension. Exported
    # empty, so a file exported, edited and imported again has the column to fill in.
    extension_reason = fields.Field(column_name="extension_reason", widget=widgets.CharWidget())
    # The export form's names of the columns that are not task fields (etown.resources).
    column_labels = {
        "plan": gettext_lazy("plan (year)"),
        "extension_reason": gettext_lazy("reason for a new due date"),
    }

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "area",
            "code",
            "title",
            "title_zh",
            "description",
            "owner",
            "lead_department",
            "start_date",
            "due_date",
            "status",
            "progress",
            "extension_reason",
        ]
        export_order = fields
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["area"].widget.user = user

    def get_queryset(self):
        queryset = super().get_queryset().select_related("area__plan", "owner", "lead_department")
        return visible_tasks(self.user, queryset) if self.user is not None else queryset

    def get_instance(self, instance_loader, row):
        task_id = str(row.get("id") or "").strip()
        try:
            instance = super().get_instance(instance_loader, row)
        except (ValueError, TypeError, ArithmeticError):
            # A date, a word or a fraction in the id column (found by fuzzing).
            raise ValidationError(
                {
                    "id": _("“%(id)s” is not a task id; leave it empty for a new task.")
                    % {"id": task_id}
                }
            ) from None
        if instance is None and task_id:
            raise ValidationError(
                {"id": _("Unknown task id %(id)s, or not in your areas.") % {"id": task_id}}
            )
        return instance

    def save_instance(self, instance, is_create, row, **kwargs):
        """Write the row through the task services (all-or-nothing: every import is a transaction).

        Their refusals (a moved due date without a reason, a completed task below 100 %) become
        the row's errors, so the preview lists them and the import writes nothing.
        """
        self.before_save_instance(instance, row, **kwargs)
        try:
            if is_create:
                task_create(task=instance, user=self.user)
            else:
                task_update(
                    task=instance,
                    user=self.user,
                    changes={
                        field.attribute: getattr(instance, field.attribute)
                        for field in self.get_import_fields()
                        if field.attribute in TASK_FIELDS and field.column_name in row
                    },
                    reason=str(row.get("extension_reason") or ""),
                )
        except ValidationError as error:
            raise ValidationError(
                {
                    "extension_reason" if field == "reason" else field: messages
                    for field, messages in error.update_error_dict({}).items()
                }
            ) from None
        except PermissionDenied as error:
            raise ValidationError(str(error)) from None
        self.after_save_instance(instance, row, **kwargs)
