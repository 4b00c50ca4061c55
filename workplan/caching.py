"""Figures derived from many tasks, cached until a task, an area or a department changes.

Some figures cost a read of thousands of rows yet are the same for every reader until a task
changes: each area's weighted completion, the areas an official's tasks lie in. They are cached
under a *generation* number that every saved or deleted task moves on, so a cached figure is
never served after the change that makes it wrong (no time-based staleness). The generation is
bumped twice: at once (for the writer's own next read, and for tests, which never commit) and
again after the commit (a reader that cached the old figure between the two is invalidated).

Every write to tasks goes through `Model.save()`/`delete()` (services, admin, imports), so the
signals below see it; code that writes tasks in bulk (`QuerySet.update`, COPY, raw SQL) must
call `tasks_changed()` itself. If the cache is down, every figure is computed afresh; a figure
cached before an outage may outlive changes made during it by FIGURE_TIMEOUT at most.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from etown.cache import UNREACHABLE

logger = logging.getLogger(__name__)

GENERATION_KEY = "workplan:tasks-generation"
# Long enough to matter, short enough that a write the signals missed heals by itself.
FIGURE_TIMEOUT = 10 * 60

T = TypeVar("T")


def tasks_generation() -> int:
    """Return the current generation of the tasks (a number that moves on at every change)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh cache (or one that lost the key): start from a number never used before, so
        # no figure cached under an older generation can be read again.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY) or 0
    return generation


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is gone: any new value orphans the old figures
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except UNREACHABLE as error:
        # Saving a task must not fail for the cache. While it is down nothing cached is read;
        # a figure cached before the outage can outlive it by FIGURE_TIMEOUT at most.
        logger.warning("tasks generation not moved on: cache unreachable (%s)", error)


def tasks_changed() -> None:
    """Invalidate every cached figure: now, and again once the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _figure_key(generation: int, name: str) -> str:
    return f"workplan:figure:{generation}:{name}"


def cached_figure(name: str, build: Callable[[], T]) -> T:
    """Return the figure `name` for the current generation of the tasks, building it if needed.

    `name` must say everything the figure depends on besides the tasks (a user, a language).
    Without a shared cache (settings.WORKPLAN_CACHE_FIGURES off) the figure is built every time.
    """
    return Figures().get(name, build)


class Figures:
    """Figures one page reads, asked of the cache together: two round trips, not two each.

    `cached_figure` reads the generation, then the figure; a page reading four figures waits
    on Redis eight times. Here the generation is read once, when the page starts, and the
    figures named then in one `get_many`; a figure named then but missing is built and cached,
    one not named is read from the cache on its own first. The page sees the tasks as of its
    start, as if it had read every figure then; a change made during the page moves the
    generation on for the next one.
    """

    def __init__(self, names=()):
        self.enabled = settings.WORKPLAN_CACHE_FIGURES
        self.asked, self.found = set(), {}
        if not self.enabled:
            return
        self.generation = tasks_generation()
        self.asked = {_figure_key(self.generation, name) for name in names}
        if self.asked:
            self.found = dict(cache.get_many(list(self.asked)))  # ours to fill in

    def get(self, name: str, build: Callable[[], T]) -> T:
        """Return the figure `name` (named as for `cached_figure`), building it if needed."""
        if not self.enabled:
            return build()
        key = _figure_key(self.generation, name)
        value = self.found.get(key) if key in self.asked else cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, FIGURE_TIMEOUT)
        self.asked.add(key)
        self.found[key] = value
        return value


def scope_key(user) -> str:
    """Return what a user's scope depends on besides the tasks, for cache keys."""
    return f"{user.pk}:{user.role}:{user.is_superuser}:{user.department_id}"


# Saves that touch only these fields change no cached figure: a progress report moves the
# task's version on, and the task's own progress and status wait for the supervisor's review.
FIELDS_NO_FIGURE_READS = frozenset({"version", "updated_at"})


def on_task_saved_or_deleted(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures loading: no reader yet
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and FIELDS_NO_FIGURE_READS.issuperset(update_fields):
        return
    tasks_changed()
