"""The task list's filters are the portal's (workplan.filters.TaskFilter), plus `owner`."""

from __future__ import annotations

import copy

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from api.errors import form_errors
from notifications.models import Notification
from supervision.models import ExtensionRequest, ExtensionRequestState
from workplan.filters import TaskFilter
from workplan.models import ProgressReport, ReviewState, Task, reads_chinese
from workplan.permissions import visible_task_branches
from workplan.selectors import area_choices_for


class TaskApiFilter(TaskFilter):
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("Owner (user id)"))

    class Meta(TaskFilter.Meta):
        fields = [*TaskFilter.Meta.fields, "owner"]

    def __init__(self, *args, area_choices=(), **kwargs):
        super().__init__(*args, area_choices=area_choices, **kwargs)
        # A fresh area filter with this user's choices: generating the schema builds the class's
        # own area field, with no choices, and every instance would copy that field.
        self.filters["area"] = django_filters.ChoiceFilter(
            field_name="area", choices=list(area_choices)
        )
        self.filters["area"].parent = self

    def filter_department(self, queryset, name, value: int):
        # The portal's rule; the hint tells the schema the value is a department's id.
        return super().filter_department(queryset, name, value)


# Copies of the portal's filters, not the same objects: the schema generator builds each filter's
# form field, and a filter keeps the field it built, which must never become the portal's. The
# API's order is the cursor's (by id), so the portal's sort choices are left out.
TaskApiFilter.base_filters = copy.deepcopy(
    {name: value for name, value in TaskApiFilter.base_filters.items() if name != "sort"}
)


class TaskFilterBackend(DjangoFilterBackend):
    """Bind TaskApiFilter as the portal's selector binds TaskFilter: the user, one urgency
    window, the areas the user may choose. Bad values answer 400, field by field."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        user = request.user
        kwargs["user"] = user
        kwargs["window"] = view.urgency_window
        # The user's areas are read (from the cache) only when the filter is used.
        if request.query_params.get("area"):
            kwargs["area_choices"] = area_choices_for(user, chinese=reads_chinese())
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(form_errors(filterset.form))
        # An official's scope is filtered branch by branch, as the portal's list does
        # (selectors.task_page): the filters narrow each index lookup before the union, instead
        # of PostgreSQL walking every task by id to test it against the whole scope.
        branches = visible_task_branches(request.user)
        if branches is None:
            return filterset.qs
        first, *others = (filterset.filter_queryset(b).order_by().values("pk") for b in branches)
        return Task.objects.filter(pk__in=first.union(*others) if others else first)


class ReportFilter(django_filters.FilterSet):
    review_state = django_filters.ChoiceFilter(choices=ReviewState.choices)
    task = django_filters.NumberFilter(field_name="task_id")

    class Meta:
        model = ProgressReport
        fields = ["review_state", "task"]


class NotificationFilter(django_filters.FilterSet):
    # A choice, not a BooleanFilter: that one takes any other word as "no filter", silently.
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        label=_("true: only the unread ones; false: only the read ones"),
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value: str):
        return queryset.filter(read_at__isnull=value == "true")


class ExtensionRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=ExtensionRequestState.choices)
    task = django_filters.NumberFilter(field_name="task_id")

    class Meta:
        model = ExtensionRequest
        fields = ["state", "task"]
