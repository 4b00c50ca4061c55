"""Sidebar filters for the supervisors' lists, each scoped to what the user may see."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from workplan.admin.urgency import request_window
from workplan.marks import task_marks
from workplan.models import ProgressReport, ReviewState
from workplan.permissions import is_admin, visible_areas, visible_tasks
from workplan.urgency import Urgency


class AreaFilter(admin.SimpleListFilter):
    """Areas the user supervises (all areas for admins), not every area in the database."""

    title = _("key area of work")
    parameter_name = "area"
    area_path = "area"

    def lookups(self, request, model_admin):
        return [(str(area.pk), str(area)) for area in visible_areas(request.user)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            return queryset.filter(**{f"{self.area_path}__pk": self.value()})
        except (ValueError, ValidationError) as error:
            # "?area=abc": a bad lookup, which the admin answers with the list without filters,
            # as Django's own field filters do.
            raise IncorrectLookupParameters(error) from error


class ReportAreaFilter(AreaFilter):
    area_path = "task__area"


class LeadDepartmentFilter(admin.RelatedFieldListFilter):
    """Lead departments of the tasks the user may see: every department for an admin.

    A supervisor is offered only departments leading a task in their areas: one EXISTS probe of
    task_dept_area_idx per department, where Django's RelatedOnlyFieldListFilter would read
    every task in scope for their distinct departments.
    """

    def field_choices(self, field, request, model_admin):
        if is_admin(request.user):
            return super().field_choices(field, request, model_admin)
        led = visible_tasks(request.user).filter(lead_department=OuterRef("pk"))
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(Exists(led)),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


class UrgencyFilter(admin.SimpleListFilter):
    """The four urgencies, each exactly the tasks the rule gives it today."""

    title = _("urgency")
    parameter_name = "urgency"
    # The lookup from the listed model to its task ("task__" from a progress report).
    task_prefix = ""

    def lookups(self, request, model_admin):
        return Urgency.choices

    def queryset(self, request, queryset):
        if self.value() not in Urgency.values:
            return queryset
        return queryset.filter(request_window(request).q(self.value(), prefix=self.task_prefix))


class ReportUrgencyFilter(UrgencyFilter):
    task_prefix = "task__"


class TaskReviewFilter(admin.SimpleListFilter):
    title = _("review state")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Has a report awaiting review")),
            ("none", _("Nothing awaiting review")),
        ]

    def queryset(self, request, queryset):
        reports = ProgressReport.objects.filter(task=OuterRef("pk"))
        if self.value() == "pending":
            return queryset.filter(Exists(reports.filter(review_state=ReviewState.PENDING)))
        if self.value() == "none":
            return queryset.exclude(Exists(reports.filter(review_state=ReviewState.PENDING)))
        return queryset


class InputFilter(admin.ListFilter):
    """A text box in the sidebar: for relations too long to list (5,000 owners)."""

    template = "admin/input_filter.html"
    parameter_name = ""
    relation = ""
    related_model = None
    lookups_fields: tuple[str, ...] = ()

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = params.pop(self.parameter_name, None)
        if isinstance(value, list):
            value = value[-1]
        self.value = (value or "").strip()
        if self.value:
            self.used_parameters[self.parameter_name] = self.value
        self.other_params = {
            key: values[-1] if isinstance(values, list) else values
            for key, values in request.GET.lists()
            if key not in (self.parameter_name, "p")
        }

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def choices(self, changelist):
        # The template draws the form; one entry lets Django's "clear filters" work.
        yield {
            "selected": not self.value,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("All"),
        }

    def queryset(self, request, queryset):
        if not self.value:
            return queryset
        condition = Q()
        for field in self.lookups_fields:
            condition |= Q(**{f"{field}__icontains": self.value})
        return queryset.filter(
            **{f"{self.relation}__in": self.related_model.objects.filter(condition).values("pk")}
        )


class OwnerFilter(InputFilter):
    title = _("owner")
    parameter_name = "owner"
    # Matched in the users table first: a subquery, not a join over every task.
    relation = "owner"
    lookups_fields = ("username", "first_name", "last_name")

    @property
    def related_model(self):
        from accounts.models import User

        return User


class ReviewStateFilter(admin.SimpleListFilter):
    """The review queue opens on pending reports; the other states are one click away."""

    title = _("review state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*ReviewState.choices, ("all", _("All"))]

    def value(self):
        return super().value() or ReviewState.PENDING

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(review_state=self.value())


class MarkFilter(admin.SimpleListFilter):
    """The tasks that carry one mark of workplan/marks.py ("report missing"), or not."""

    mark = None  # set by `mark_filters` for each mark

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        marked = self.mark.q(request_window(request).today)
        return queryset.filter(marked if self.value() == "yes" else ~marked)


def mark_filters() -> list[type[MarkFilter]]:
    """Return a sidebar filter for each mark in `settings.TASK_MARKS`."""
    return [
        type(
            f"{type(mark).__name__}Filter",
            (MarkFilter,),
            {"mark": mark, "title": mark.label, "parameter_name": mark.key},
        )
        for mark in task_marks()
    ]
