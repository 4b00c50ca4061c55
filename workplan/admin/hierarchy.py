"""The task changelist's date hierarchy from index probes, not a scan of every task.

Django's `date_hierarchy` lists the years (then the months) that have rows with
`SELECT DISTINCT DATE_TRUNC(...)` over the whole filtered list: every task is read on every
request (about 30 ms at 100,000 tasks, bench/RESULTS.md). The same list comes from one probe
per period between the first and the last due date, each an index lookup that stops at its
first row (task_due_id_idx), all in one UNION ALL query. The first and last due dates, which
Django's tag asks for before the periods, are read once for both.

The span, the periods found and the paginator's count are then the same for a user and a set of
filters until a task changes: when every filter reads only tasks, areas' supervisors and
departments (what moves the tasks generation on), they are cached figures.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.db import connections
from django.db.models import Max, Min

from workplan.caching import Figures, scope_key
from workplan.models import TaskQuerySet, today

# More periods than this (a list spanning decades, or days) falls back to Django's own query.
MAX_PROBES = 120
# Changelist parameters whose filters read only tasks, areas and departments. The owner filter
# and the search read user names, the review filter progress reports: none of them moves the
# tasks generation on, so a list using them is counted and probed afresh.
FIGURE_PARAMS = frozenset(
    {
        "area",
        "status__exact",
        "status__isnull",
        "overdue",
        "due",
        "lead_department__id__exact",
        "lead_department__isnull",
        "due_date__year",
        "due_date__month",
        "due_date__day",
    }
)


def _periods(first: datetime.date, last: datetime.date, kind: str):
    if kind == "year":
        return [
            (datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
            for year in range(first.year, last.year + 1)
        ]
    periods = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        following = (year + month // 12, month % 12 + 1)
        periods.append((datetime.date(year, month, 1), datetime.date(*following, 1)))
        year, month = following
    return periods


def figure_name(key: str, name: str) -> str:
    return f"admin-tasks:{key}:{name}"


def span_name(expressions: str) -> str:
    return f"span:{expressions}"


def dates_name(field_name: str, kind: str, order: str) -> str:
    return f"dates:{field_name}:{kind}:{order}"


class DateProbeQuerySet(TaskQuerySet):
    """Tasks whose `dates(field, "year" | "month")` probes the index once per period.

    With a `figure_key` and the page's `figures` (set by the changelist, never carried to
    clones), the span, the dates and the count are cached figures under that key.
    """

    figure_key: str | None = None
    figures: Figures | None = None

    def _figure(self, name, build):
        if self.figure_key is None or self.figures is None:
            return build()
        return self.figures.get(figure_name(self.figure_key, name), build)

    def count(self):
        if self._result_cache is not None:
            return len(self._result_cache)
        return self._figure("count", super().count)

    def aggregate(self, *args, **kwargs):
        """Remember the (first, last) span: the date_hierarchy tag asks, then `dates()` does."""
        first, last = kwargs.get("first"), kwargs.get("last")
        is_span = (
            not args
            and kwargs.keys() == {"first", "last"}
            and type(first) is Min
            and type(last) is Max
            and first.filter is None
            and last.filter is None
            and first.source_expressions == last.source_expressions
        )
        if not is_span:
            return super().aggregate(*args, **kwargs)
        spans = self.__dict__.setdefault("_spans", {})
        key = repr(first.source_expressions)
        if key not in spans:
            aggregate = super().aggregate
            spans[key] = self._figure(span_name(key), lambda: aggregate(first=first, last=last))
        return dict(spans[key])

    def dates(self, field_name, kind, order="ASC"):
        if self.figure_key is None:
            return self._dates(field_name, kind, order)
        return self._figure(
            dates_name(field_name, kind, order),
            lambda: list(self._dates(field_name, kind, order)),
        )

    def _dates(self, field_name, kind, order):
        features = connections[self.db].features
        if kind not in ("year", "month") or not features.supports_slicing_ordering_in_compound:
            # SQLite cannot UNION limited subqueries; its small databases do not need probes.
            return super().dates(field_name, kind, order)
        span = self.aggregate(first=Min(field_name), last=Max(field_name))
        if span["first"] is None:
            return []
        periods = _periods(span["first"], span["last"], kind)
        if len(periods) > MAX_PROBES:
            return super().dates(field_name, kind, order)
        base = self.prefetch_related(None).order_by(field_name).values_list(field_name, flat=True)
        probes = [
            base.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})[:1]
            for start, end in periods
        ]
        found = probes[0].union(*probes[1:], all=True) if len(probes) > 1 else probes[0]
        if kind == "year":
            dates = {datetime.date(day.year, 1, 1) for day in found}
        else:
            dates = {datetime.date(day.year, day.month, 1) for day in found}
        return sorted(dates, reverse=order == "DESC")


class DateProbeChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        if exclude_parameters is None and not hasattr(self, "figures"):
            self.figures = self.read_figures(request)
        queryset = super().get_queryset(request, exclude_parameters)
        # The same query and rows; only `dates()` (read by the date_hierarchy tag) differs.
        queryset.__class__ = DateProbeQuerySet
        if exclude_parameters is None:
            queryset.figure_key = self.figures_key(request)
            queryset.figures = self.figures
        return queryset

    def read_figures(self, request) -> Figures:
        """Read every figure the page may show at once; its filters find them on the request."""
        names = []
        key = self.figures_key(request)
        if key is not None:
            names.append(figure_name(key, "count"))
            if self.date_hierarchy:
                names.append(
                    figure_name(key, span_name(repr(Min(self.date_hierarchy).source_expressions)))
                )
                names += [
                    figure_name(key, dates_name(self.date_hierarchy, kind, "ASC"))
                    for kind in ("year", "month", "day")
                ]
        for list_filter in self.model_admin.get_list_filter(request):
            if isinstance(list_filter, tuple):
                list_filter = list_filter[1]
            if hasattr(list_filter, "page_figure_name"):
                names.append(list_filter.page_figure_name(request))
        request.admin_figures = figures = Figures(names)
        return figures

    def figures_key(self, request):
        """Return what this list's figures depend on besides the tasks, or None if uncachable."""
        params = {k: v for k, v in self.filter_params.items() if k != ORDER_VAR}
        if not FIGURE_PARAMS.issuperset(params):
            return None
        filters = hashlib.sha256(repr(sorted(params.items())).encode()).hexdigest()[:32]
        # "Overdue" and "due soon" move with the day.
        return f"{scope_key(request.user)}:{today()}:{self.date_hierarchy}:{filters}"
