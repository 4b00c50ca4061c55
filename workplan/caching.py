"""The figures the portal caches: each one's key, what it is read from and what renews it.

Only figures that pay for themselves at 100,000 tasks are cached (bench/RESULTS.md):

- `area_completion_sums`: every area's weighted completion reads every top-level task of the
  plan (about 20 ms), and it is the same for every reader: the dashboard shows it on every visit.
- `dashboard_rows`: a user's work counted by urgency, month due and area is one grouped scan of
  all of it (22,000 tasks for a supervisor: 28 to 43 ms), on every visit to `/`.
- `task_count`: the task list's paginator counts every task that matches the user's scope and
  filters (the union of an official's three branches, a supervisor's 22,000 tasks), whichever
  page or order is asked for.
- `area_choices`: the task list's area filter offers the areas of the user's tasks; for an
  official that means building their whole scope once more on every list.

Not cached: the department choices (one read of 200 short rows, whose cost does not grow with the
tasks), the task list's rows and the task page (a handful of rows by key).

How a figure stays right, without signals: each figure names the kinds of data it is read from
(`TASKS`, `AREAS`, `SUPERVISORS`). Each kind has a *version* in the cache; a figure is stored
with the versions it was built at and served only while they are still the current ones. The
services that change a kind of data give it a new version by calling `tasks_changed()`,
`areas_changed()` or `supervisors_changed()`, so the next read builds the figure afresh. So
renaming a department renews nothing (no figure reads department names), a new supervisor of an
area renews no official's figures, and a report submitted (it moves only the task's version, its
progress and status wait for the review) renews nothing either. What a figure depends on besides
these kinds (the user's role and department, the day and its urgency window, the filters, the
language) is part of its key. Code that writes in bulk outside the services (`bulk_create`,
COPY, `QuerySet.update`, the benchmark's workload) calls the functions itself.

A version is renewed twice: at once, for the writer's own next read (and tests, which never
commit), and again after the commit, so that a reader who built a figure from the data as it was
before the commit, and stored it between the two, does not serve it afterwards. With
settings.WORKPLAN_CACHE_FIGURES off (no cache shared by every process) every figure is built on
every read. With the cache unreachable (it then answers every read with a miss and drops every
write) figures are built and not stored: a version that cannot be read is never trusted. A
change made during an outage cannot renew a version, so a figure stored before the outage may be
served after it, for FIGURE_TIMEOUT at most.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from workplan.permissions import is_supervisor

# The kinds of data a figure is read from; each has a version in the cache.
TASKS = "tasks"  # a task's fields, its supporting departments, a task added or deleted
AREAS = "areas"  # an area's number, titles and plan, an area added or deleted
SUPERVISORS = "supervisors"  # who supervises which area (a supervisor's scope)

# A figure is stored this long at most: its versions keep it right, this only frees memory.
FIGURE_TIMEOUT = 10 * 60


def tasks_changed() -> None:
    """Renew every figure read from tasks: call after any change to a task or its departments."""
    _renew(TASKS)


def areas_changed() -> None:
    """Renew every figure read from areas: call after an area is added, changed or deleted."""
    _renew(AREAS)


def supervisors_changed() -> None:
    """Renew every figure read from supervisors' areas: call after `Area.supervisors` changes."""
    _renew(SUPERVISORS)


def _version_key(kind: str) -> str:
    return f"workplan:version:{kind}"


def _renew(kind: str) -> None:
    def renew():
        # A new random version, not a counter: `set` never fails for an unreachable cache (it
        # is dropped), where `incr` raises; two writers renewing at once both leave a new one.
        cache.set(_version_key(kind), uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)


@dataclasses.dataclass(frozen=True)
class Figure:
    """One cached figure: its key, the kinds of data it is read from, and how to build it."""

    key: str
    read_from: tuple[str, ...]
    build: Callable[[], Any]

    def get(self) -> Any:
        """Return the figure, from the cache while its data is unchanged, else built afresh."""
        return read(self)[0]


def read(*figures: Figure) -> list[Any]:
    """Return the figures, asking the cache for all of them (and their versions) at once."""
    if not settings.WORKPLAN_CACHE_FIGURES:
        return [figure.build() for figure in figures]
    versions, stored = _lookup(figures)
    values: list[Any] = []
    new: dict[str, tuple[tuple[str | None, ...], Any]] = {}
    for figure in figures:
        if figure.key in stored:
            values.append(stored[figure.key])
            continue
        value = figure.build()
        _keep(new, figure, versions, value)
        values.append(value)
    if new:
        cache.set_many(new, FIGURE_TIMEOUT)
    return values


def _lookup(figures: Iterable[Figure]) -> tuple[dict[str, str | None], dict[str, Any]]:
    """Return the current versions of what `figures` read from, and those stored at them."""
    figures = list(figures)
    kinds = sorted({kind for figure in figures for kind in figure.read_from})
    found = cache.get_many([*map(_version_key, kinds), *(f.key for f in figures)]) or {}
    versions = {kind: _current_version(kind, found.get(_version_key(kind))) for kind in kinds}
    stored = {}
    for figure in figures:
        entry = found.get(figure.key)
        if entry is not None and entry[0] == _versions_of(figure, versions):
            stored[figure.key] = entry[1]
    return versions, stored


def _versions_of(figure: Figure, versions: dict[str, str | None]) -> tuple[str | None, ...]:
    return tuple(versions[kind] for kind in figure.read_from)


def _keep(new: dict, figure: Figure, versions: dict[str, str | None], value: Any) -> None:
    """Add `figure` to the entries to store, unless a version it is read from is unknown."""
    wanted = _versions_of(figure, versions)
    if None not in wanted:
        new[figure.key] = (wanted, value)


def _current_version(kind: str, version: str | None) -> str | None:
    """Return the version of `kind`, starting one if the cache has none; None if unknown."""
    if version is not None:
        return version
    # A fresh cache, or one that lost the key: no figure stored before can carry this version.
    # If another reader started one first, or the cache is down, the version is unknown and
    # the figures read from this kind are built and not stored, this once.
    version = uuid.uuid4().hex
    return version if cache.add(_version_key(kind), version, timeout=None) else None


# -- The figures ----------------------------------------------------------------------------


def scope_key(user) -> str:
    """Return what a user's scope depends on besides the data versioned here (for keys)."""
    return f"{user.pk}:{user.role}:{user.is_superuser}:{user.is_active}:{user.department_id}"


def _scope_read_from(user) -> tuple[str, ...]:
    # A supervisor sees the tasks of the areas they supervise; everyone else's scope is the
    # tasks alone (owner, lead and supporting departments, or all of them for an admin).
    return (TASKS, SUPERVISORS) if is_supervisor(user) else (TASKS,)


def _window_key(window) -> str:
    return f"{window.today}:{window.due_soon_until}"


def area_completion_sums(build: Callable[[], dict]) -> Figure:
    """Each area's weighted progress and total weight over its top-level tasks.

    Read from the tasks (progress, weight, area, parent): renewed by `tasks_changed()`.
    """
    return Figure("workplan:area-completion-sums", (TASKS,), build)


def dashboard_rows(user, window, build: Callable[[], list]) -> Figure:
    """A user's work counted by urgency, by month due and area (the dashboard's counts).

    Read from the tasks in the user's scope (and a supervisor's areas): renewed by
    `tasks_changed()` (and `supervisors_changed()`). The urgency window is in the key: a new
    day or a new working-day override counts afresh.
    """
    key = f"workplan:dashboard-rows:{scope_key(user)}:{_window_key(window)}"
    return Figure(key, _scope_read_from(user), build)


def task_count(
    user, window, filters: Iterable[tuple[str, Any]], build: Callable[[], int]
) -> Figure:
    """The number of tasks in the user's task list with these filters (any page, any order).

    Read from the tasks in the user's scope (and a supervisor's areas): renewed by
    `tasks_changed()` (and `supervisors_changed()`). The filters (plain values: a model
    instance by its key) and the urgency window (for the urgency filters) are in the key.
    """
    digest = hashlib.sha256(repr(sorted(filters)).encode()).hexdigest()[:32]
    key = f"workplan:task-count:{scope_key(user)}:{_window_key(window)}:{digest}"
    return Figure(key, _scope_read_from(user), build)


def area_choices(user, language: str, build: Callable[[], list]) -> Figure:
    """The areas a user has tasks in, labelled in `language` (the task list's area filter).

    Read from the user's scope and the areas' titles: renewed by `tasks_changed()`,
    `areas_changed()` (and `supervisors_changed()`).
    """
    key = f"workplan:area-choices:{scope_key(user)}:{language}"
    return Figure(key, (*_scope_read_from(user), AREAS), build)


def overview_counts(
    user, everything: bool, period_key: str, on, build: Callable[[], dict]
) -> Figure:
    """The leaders' overview's grouped counts for a period (supervision/overview.py).

    Every department's and area's tasks of the period, on time, late, overdue, days late and
    extensions: grouped scans of every task due in the period (a year: all 100,000). Read from
    the tasks in the user's scope; the extensions change only with a task's due date, through
    `task_update`, which renews the tasks: renewed by `tasks_changed()` (and
    `supervisors_changed()`). Readers who see everything (`everything`: leaders and admins)
    share one figure; the period and the day (which decides what is late) are in the key.
    """
    scope = "everything" if everything else scope_key(user)
    key = f"workplan:overview-counts:{scope}:{period_key}:{on}"
    return Figure(key, (TASKS,) if everything else _scope_read_from(user), build)


# -- Not figures: the supervision report's jobs (supervision/services/overview_reports.py) -----


def report_job_key(job_id: str) -> str:
    """A report job's state (who asked, the period, the format, running/ready/failed)."""
    return f"supervision:report-job:{job_id}"


def report_file_key(job_id: str) -> str:
    """A report job's file, once built; kept as long as its state."""
    return f"supervision:report-file:{job_id}"
