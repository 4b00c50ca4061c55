"""The filters of the task list; every value lives in the URL so a filtered list can be shared."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from workplan.caching import cached_figure, scope_key
from workplan.models import Area, Task, TaskStatus, reads_chinese, today
from workplan.selectors import visible_area_ids

INVOLVEMENT_CHOICES = [
    ("mine", _("I report on (mine or led by my department)")),
    ("owner", _("I own")),
    ("support", _("My department supports")),
]


def department_choices():
    """Return every department as (id, name in the reader's language), by English name.

    Read as plain values (200 model instances cost more than the rest of the filters) and
    cached: a department saved or deleted renews the figures (workplan/caching.py).
    """
    chinese = reads_chinese()

    def read():
        rows = Department.objects.order_by("name", "pk").values_list("pk", "name", "name_zh")
        return [(pk, name_zh if chinese and name_zh else name) for pk, name, name_zh in rows]

    return cached_figure(f"department-choices:{'zh' if chinese else 'en'}", read)


def area_choices(user):
    """Return the areas `user` has tasks in as (id, "number. title" in the reader's language).

    From the cache: for an official, reading them from their tasks would build their whole
    scope once more (bench/RESULTS.md); an area saved renews the figures.
    """
    chinese = reads_chinese()
    ids = visible_area_ids(user)

    def read():
        rows = (
            Area.objects.filter(pk__in=ids)
            .order_by("plan__year", "number")
            .values_list("pk", "number", "title", "title_zh")
        )
        return [
            (pk, f"{number}. {title_zh if chinese and title_zh else title}")
            for pk, number, title, title_zh in rows
        ]

    return cached_figure(f"area-choices:{scope_key(user)}:{'zh' if chinese else 'en'}", read)


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    # Choices set per user in __init__ (area_choices).
    area = django_filters.ChoiceFilter(
        choices=[], label=_("Key area of work"), empty_label=_("All areas")
    )
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label=_("Status"), empty_label=_("Any status")
    )
    department = django_filters.ChoiceFilter(
        choices=department_choices,
        method="filter_department",
        label=_("Department"),
        empty_label=_("Any department"),
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
    )

    class Meta:
        model = Task
        fields = ["q", "area", "status", "department", "involvement", "overdue", "due"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["area"].extra["choices"] = area_choices(user)

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
        supported = Task.objects.filter(supporting_departments=value).values("pk")
        return queryset.filter(Q(lead_department=value) | Q(pk__in=supported))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue(on=today())

    def filter_involvement(self, queryset, name, value):
        user = self.user
        department_id = getattr(user, "department_id", None)
        if value == "owner":
            return queryset.filter(owner=user)
        if value == "mine":
            mine = Q(owner=user)
            if department_id:
                mine |= Q(lead_department_id=department_id)
            return queryset.filter(mine)
        if value == "support":
            if not department_id:
                return queryset.none()
            supported = Task.objects.filter(supporting_departments=department_id).values("pk")
            return queryset.filter(pk__in=supported)
        return queryset
