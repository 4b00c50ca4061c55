"""Sidebar filters for the supervisors' lists, each scoped to what the user may see."""

from __future__ import annotations

import datetime
from urllib.parse import quote_plus

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from workplan.admin.listing import PK_SLOT, escape
from workplan.caching import cached_figure, scope_key
from workplan.models import OPEN_STATUSES, ProgressReport, ReviewState, today
from workplan.permissions import visible_areas


class AreaFilter(admin.SimpleListFilter):
    """Areas the user supervises (all areas for admins), not every area in the database."""

    title = _("key area of work")
    parameter_name = "area"
    area_path = "area"

    def lookups(self, request, model_admin):
        return [(str(area.pk), str(area)) for area in visible_areas(request.user)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.area_path}__pk": self.value()})
        return queryset


class ReportAreaFilter(AreaFilter):
    area_path = "task__area"


class DepartmentFilter(admin.RelatedFieldListFilter):
    """Every department, from the cache, its 200 links filled in from one query string.

    Django builds each link with `get_query_string()` (3 ms for 200 departments); they differ
    only in the department's key. Each list item is drawn here too, as admin/filter.html would
    draw it (1.6 ms through the template). The departments change only with a Department save, which
    moves the tasks generation on: a cached figure per language (names may be Chinese).
    """

    figure_name = "departments"
    template = "admin/workplan/department_filter.html"

    def field_choices(self, field, request, model_admin):
        def build():
            return self.build_choices(field, request, model_admin)

        name = self.page_figure_name(request)
        # Read with the page's other figures when the changelist asked for them together.
        figures = getattr(request, "admin_figures", None)
        return figures.get(name, build) if figures is not None else cached_figure(name, build)

    @classmethod
    def page_figure_name(cls, request) -> str:
        return f"{cls.figure_name}:{cls.scope_key(request)}:{get_language()}"

    @classmethod
    def scope_key(cls, request) -> str:
        return ""

    def build_choices(self, field, request, model_admin):
        return super().field_choices(field, request, model_admin)

    def choices(self, changelist):
        if changelist.add_facets:
            for choice in super().choices(changelist):
                yield self.drawn(choice, escape(iri_to_uri(choice["query_string"])))
            return
        choices = iter(super().choices(changelist))
        choice = next(choices)  # "All"
        yield self.drawn(choice, escape(iri_to_uri(choice["query_string"])))
        link = changelist.get_query_string({self.lookup_kwarg: PK_SLOT}, [self.lookup_kwarg_isnull])
        if link.count(PK_SLOT) != 1:
            for choice in choices:
                yield self.drawn(choice, escape(iri_to_uri(choice["query_string"])))
            return
        # iri_to_uri and escaping work character by character: the two halves are done once.
        before, after = link.split(PK_SLOT)
        href_before, href_after = escape(iri_to_uri(before)), escape(iri_to_uri(after))
        for pk_val, val in self.lookup_choices:
            key = quote_plus(str(pk_val))
            choice = {
                "selected": self.lookup_val is not None and str(pk_val) in self.lookup_val,
                "query_string": f"{before}{key}{after}",
                "display": val,
            }
            yield self.drawn(choice, f"{href_before}{escape(iri_to_uri(key))}{href_after}")
        if self.include_empty_choice:
            query_string = changelist.get_query_string(
                {self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]
            )
            choice = {
                "selected": bool(self.lookup_val_isnull),
                "query_string": query_string,
                "display": self.empty_value_display,
            }
            yield self.drawn(choice, escape(iri_to_uri(query_string)))

    @staticmethod
    def drawn(choice, href):
        """Add the list item admin/filter.html would draw for `choice` (as "html")."""
        selected = ' class="selected"' if choice["selected"] else ""
        shown = escape(choice["display"])
        choice["html"] = SafeString(f'<li{selected}><a href="{href}">{shown}</a></li>')
        return choice


class LeadDepartmentFilter(DepartmentFilter):
    """Departments leading a task in the user's areas, asked department by department.

    Django's RelatedOnlyFieldListFilter reads every task in scope for `SELECT DISTINCT
    lead_department_id` (11 ms over a supervisor's 22,000 tasks); asking each of the 200
    departments whether it leads one of them probes task_dept_area_idx once each (2 ms). The
    answer depends only on tasks, departments and the user's scope: cached per scope.
    """

    figure_name = "lead-departments"

    @classmethod
    def scope_key(cls, request) -> str:
        return scope_key(request.user)

    def build_choices(self, field, request, model_admin):
        led = model_admin.get_queryset(request).filter(lead_department=OuterRef("pk"))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(
            include_blank=False, limit_choices_to=Q(Exists(led)), ordering=ordering
        )


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue(today())
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.model.objects.overdue(today()).values("pk"))
        return queryset


class DueSoonFilter(admin.SimpleListFilter):
    title = _("due soon")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("week", _("Within 7 days")),
            ("month", _("Within 30 days")),
        ]

    def queryset(self, request, queryset):
        days = {"week": 7, "month": 30}.get(self.value())
        if days is None:
            return queryset
        day = today()
        return queryset.filter(
            status__in=OPEN_STATUSES,
            due_date__gte=day,
            due_date__lt=day + datetime.timedelta(days=days),
        )


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
