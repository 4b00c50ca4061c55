"""The filters of the task list; every value lives in the URL so a filtered list can be shared."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from etown.search import search_text_check
from workplan.marks import task_marks
from workplan.models import DeadlineExtension, Task, TaskStatus, reads_chinese
from workplan.permissions import my_work
from workplan.timeliness import Timeliness, timeliness_q
from workplan.urgency import Urgency, urgency_window

INVOLVEMENT_CHOICES = [
    ("mine", _("I report on (mine or led by my department)")),
    ("owner", _("I own")),
    ("support", _("My department supports")),
]


def department_choices():
    """Return every department as (id, name in the reader's language), by English name.

    Read as plain values: 200 model instances cost more than the rest of the filters. Not
    cached: one read of 200 short rows, whose cost does not grow with the tasks.
    """
    chinese = reads_chinese()
    rows = Department.objects.order_by("name", "pk").values_list("pk", "name", "name_zh")
    return [(pk, name_zh if chinese and name_zh else name) for pk, name, name_zh in rows]


def _supported_by(department_id):
    """Return the ids of the tasks that department `department_id` supports."""
    supporting = Task.supporting_departments.through.objects
    return supporting.filter(department_id=department_id).values("task_id")


class PortalSelect(forms.Select):
    """A drop-down drawn the portal's way (Bootstrap's form-select)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-select", **(attrs or {})}, choices)


class TaskFilter(django_filters.FilterSet):
    # Over the caps, the search is left out with the form's error (etown/search.py says why).
    q = django_filters.CharFilter(
        method="filter_text", label=_("Search"), validators=[search_text_check]
    )
    # Choices given per user by the selector that builds the filter (selectors.task_filter_for).
    area = django_filters.ChoiceFilter(
        choices=[], label=_("Key area of work"), empty_label=_("All areas"), widget=PortalSelect
    )
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices,
        label=_("Status"),
        empty_label=_("Any status"),
        widget=PortalSelect,
    )
    urgency = django_filters.ChoiceFilter(
        choices=Urgency.choices,
        method="filter_urgency",
        label=_("Urgency"),
        empty_label=_("Any urgency"),
        widget=PortalSelect,
    )
    department = django_filters.ChoiceFilter(
        choices=department_choices,
        method="filter_department",
        label=_("Department"),
        empty_label=_("Any department"),
        widget=PortalSelect,
    )
    # The leaders' overview links its department figures here (supervision/overview.py): the
    # tasks a department leads (not those it supports), by timeliness, extended or not.
    lead = django_filters.ChoiceFilter(
        choices=department_choices,
        field_name="lead_department",
        label=_("Lead department"),
        empty_label=_("Any lead department"),
        widget=PortalSelect,
    )
    timeliness = django_filters.ChoiceFilter(
        choices=Timeliness.choices,
        method="filter_timeliness",
        label=_("On time"),
        empty_label=_("On time or not"),
        widget=PortalSelect,
    )
    extended = django_filters.BooleanFilter(
        method="filter_extended",
        label=_("Deadline extended"),
        widget=forms.CheckboxInput,
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue only"),
        widget=forms.CheckboxInput,
    )
    due = django_filters.DateFromToRangeFilter(
        field_name="due_date",
        label=_("Due between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    involvement = django_filters.ChoiceFilter(
        choices=INVOLVEMENT_CHOICES,
        method="filter_involvement",
        label=_("My part"),
        empty_label=_("Everything I can see"),
        widget=PortalSelect,
    )
    sort = django_filters.OrderingFilter(
        fields=(("due_date", "due"), ("progress", "progress")),
        # The descending labels are ours: django-filter ships no zh_Hans catalogue.
        field_labels={
            "due_date": _("Due date"),
            "-due": _("Due date (descending)"),
            "progress": _("Progress"),
            "-progress": _("Progress (descending)"),
        },
        label=_("Sort by"),
        empty_label=_("Urgency"),
        widget=PortalSelect,
    )

    class Meta:
        model = Task
        fields = [
            "q",
            "area",
            "status",
            "urgency",
            "department",
            "involvement",
            "overdue",
            "due",
            "lead",
            "timeliness",
            "extended",
        ]

    def __init__(self, data=None, *args, user=None, window=None, area_choices=(), **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        # One urgency window for the whole page: the filters here and every row's light.
        self.window = window or urgency_window()
        self.filters["area"].extra["choices"] = list(area_choices)
        # The department and lead department drop-downs offer the same list: read it once.
        departments = department_choices()
        self.filters["department"].extra["choices"] = departments
        self.filters["lead"].extra["choices"] = departments
        # One checkbox per mark the apps above put on tasks (workplan/marks.py).
        self.marks = {mark.key: mark for mark in task_marks()}
        for key, mark in self.marks.items():
            mark_filter = django_filters.BooleanFilter(
                field_name=key,
                method="filter_mark",
                label=mark.filter_label,
                widget=forms.CheckboxInput,
            )
            mark_filter.parent = self
            self.filters[key] = mark_filter

    @property
    def mark_fields(self):
        """Return the bound checkboxes of the marks, for the template."""
        return [self.form[key] for key in self.marks]

    def filter_mark(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(self.marks[name].q(self.window.today))

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(title_zh__icontains=value)
            | Q(description__icontains=value)
            | Q(code__iexact=value)
        )

    def filter_department(self, queryset, name, value):
        return queryset.filter(Q(lead_department=value) | Q(pk__in=_supported_by(value)))

    def filter_urgency(self, queryset, name, value):
        return queryset.filter(self.window.q(value))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(self.window.q(Urgency.OVERDUE))

    def filter_timeliness(self, queryset, name, value):
        return queryset.filter(timeliness_q(value, today=self.window.today))

    def filter_extended(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(DeadlineExtension.objects.filter(task=OuterRef("pk"))))

    def filter_involvement(self, queryset, name, value):
        user = self.user
        department_id = getattr(user, "department_id", None)
        if value == "owner":
            return queryset.filter(owner=user)
        if value == "mine":
            return queryset.filter(my_work(user))
        if value == "support":
            if not department_id:
                return queryset.none()
            return queryset.filter(pk__in=_supported_by(department_id))
        return queryset
