"""Writes to the work plan. Every function is a transaction; see STYLE.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from workplan import caching
from workplan.models import Area, Indicator, Plan, Task
from workplan.plan_file import AreaData, PlanData, TaskData


@dataclass
class LoadResult:
    plan: Plan
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def _upsert(model, lookup: dict, values: dict, result: LoadResult):
    """Create or update one row, saving only when a value really differs."""
    values = {key: value for key, value in values.items() if value is not None}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.created[model.__name__] += 1
        return obj
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
        result.updated[model.__name__] += 1
    return obj


def _load_task(area: Area, data: TaskData, parent: Task | None, result: LoadResult) -> None:
    task = _upsert(
        Task,
        {"area": area, "code": data.code},
        {
            "parent": parent,
            "title": data.title,
            "title_zh": data.title_zh,
            "description": data.description,
            "weight": data.weight,
        },
        result,
    )
    for sub in data.subtasks:
        _load_task(area, sub, task, result)


def _load_area(plan: Plan, data: AreaData, result: LoadResult) -> Area:
    area = _upsert(
        Area,
        {"plan": plan, "number": data.number},
        {
            "title": data.title,
            "title_zh": data.title_zh,
            "summary": data.summary,
            "summary_zh": data.summary_zh,
        },
        result,
    )
    for task in data.tasks:
        _load_task(area, task, None, result)
    return area


@transaction.atomic
def plan_load(*, data: PlanData) -> LoadResult:
    """Create or update a plan, its areas, tasks and indicators from checked plan data.

    Loading the same data twice changes nothing. Rows the file does not mention are kept, and
    values the file leaves out (owners, dates, Chinese titles filled in by admins) are untouched.
    """
    result = LoadResult(plan=None)  # type: ignore[arg-type]
    plan = _upsert(
        Plan,
        {"year": data.year},
        {
            "title": data.title,
            "title_zh": data.title_zh,
            "summary": data.summary,
            "source": data.source,
        },
        result,
    )
    result.plan = plan
    for area in data.areas:
        _load_area(plan, area, result)
    for indicator in data.indicators:
        _upsert(
            Indicator,
            {"plan": plan, "code": indicator.code},
            {
                "name": indicator.name,
                "name_zh": indicator.name_zh,
                "unit": indicator.unit,
                "target": indicator.target,
                "direction": indicator.direction,
                "description": indicator.description,
            },
            result,
        )
    if result.changed:  # the same file loaded again renews no cached figure
        caching.tasks_changed()
        caching.areas_changed()
    return result
