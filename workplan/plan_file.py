"""Read and check a work-plan file (YAML) before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PLAN_PATH = Path(__file__).resolve().parent / "data" / "etown-2024.yaml"
DIRECTIONS = ("at_least", "about", "at_most")


class PlanFileError(Exception):
    """A plan file that cannot be loaded; the message names the line and key at fault."""


class _Mapping(dict):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember the line they start on."""

    def construct_yaml_map(self, node):
        data = _Mapping()
        data.line = node.start_mark.line + 1
        yield data
        data.update(self.construct_mapping(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)


@dataclass(frozen=True)
class TaskData:
    code: str
    title: str
    title_zh: str | None = None
    description: str | None = None
    weight: int | None = None
    subtasks: tuple[TaskData, ...] = ()


@dataclass(frozen=True)
class AreaData:
    number: int
    title: str
    title_zh: str | None
    summary: str | None
    summary_zh: str | None
    tasks: tuple[TaskData, ...]


@dataclass(frozen=True)
class IndicatorData:
    code: str
    name: str
    name_zh: str | None
    unit: str
    target: Decimal
    direction: str
    description: str | None


@dataclass(frozen=True)
class PlanData:
    year: int
    title: str
    title_zh: str | None
    summary: str | None
    source: str | None
    areas: tuple[AreaData, ...]
    indicators: tuple[IndicatorData, ...] = field(default_factory=tuple)


def _where(mapping, path: str) -> str:
    line = getattr(mapping, "line", 0)
    return f"line {line}, {path}" if line else path


def _mapping(value, path: str, parent=None) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise PlanFileError(f"{_where(parent, path)}: expected a mapping of keys to values")
    return value


def _list(value, path: str, parent) -> list:
    if not isinstance(value, list):
        raise PlanFileError(f"{_where(parent, path)}: expected a list")
    return value


def _text(mapping, key: str, path: str, *, required: bool = True, max_length: int = 300):
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PlanFileError(f"{_where(mapping, path)}: '{key}' is required")
        return None
    if not isinstance(value, str | int | float):
        raise PlanFileError(f"{_where(mapping, path)}: '{key}' must be text")
    value = str(value).strip()
    if len(value) > max_length:
        raise PlanFileError(
            f"{_where(mapping, path)}: '{key}' is longer than {max_length} characters"
        )
    return value


def _int(mapping, key: str, path: str, *, low: int, high: int, required: bool = True):
    value = mapping.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PlanFileError(
            f"{_where(mapping, path)}: '{key}' must be a whole number from {low} to {high}"
        )
    return value


def _unknown_keys(mapping, allowed: set[str], path: str) -> None:
    # key=str: YAML keys may be numbers or dates, which do not sort with text.
    extra = sorted(set(mapping) - allowed, key=str)
    if extra:
        allowed_keys = ", ".join(sorted(allowed))
        raise PlanFileError(
            f"{_where(mapping, path)}: unknown key '{extra[0]}' (allowed: {allowed_keys})"
        )


TASK_KEYS = {"code", "title", "title_zh", "description", "weight", "subtasks"}


def _task(raw, path: str, parent, seen_codes: set[str]) -> TaskData:
    raw = _mapping(raw, path, parent)
    _unknown_keys(raw, TASK_KEYS, path)
    code = _text(raw, "code", path, max_length=20)
    if code in seen_codes:
        raise PlanFileError(f"{_where(raw, path)}: task code '{code}' appears twice in its area")
    seen_codes.add(code)
    subtasks = tuple(
        _task(sub, f"{path}.subtasks[{i + 1}]", raw, seen_codes)
        for i, sub in enumerate(_list(raw.get("subtasks", []), f"{path}.subtasks", raw))
    )
    return TaskData(
        code=code,
        title=_text(raw, "title", path),
        title_zh=_text(raw, "title_zh", path, required=False),
        description=_text(raw, "description", path, required=False, max_length=5000),
        weight=_int(raw, "weight", path, low=1, high=1000, required=False),
        subtasks=subtasks,
    )


def _indicator(raw, path: str, parent) -> IndicatorData:
    raw = _mapping(raw, path, parent)
    _unknown_keys(
        raw, {"code", "name", "name_zh", "unit", "target", "direction", "description"}, path
    )
    try:
        target = Decimal(str(raw.get("target")))
        if not target.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise PlanFileError(f"{_where(raw, path)}: 'target' must be a number") from None
    direction = raw.get("direction", "at_least")
    if direction not in DIRECTIONS:
        raise PlanFileError(
            f"{_where(raw, path)}: 'direction' must be one of {', '.join(DIRECTIONS)}"
        )
    return IndicatorData(
        code=_text(raw, "code", path, max_length=40),
        name=_text(raw, "name", path, max_length=200),
        name_zh=_text(raw, "name_zh", path, required=False, max_length=200),
        unit=_text(raw, "unit", path, required=False, max_length=20) or "%",
        target=target,
        direction=direction,
        description=_text(raw, "description", path, required=False, max_length=5000),
    )


def parse_plan(text: str) -> PlanData:
    """Parse and check a plan file's text; raise PlanFileError naming the fault."""
    try:
        return _parse_plan(text)
    except RecursionError:
        # Thousands of nested brackets, or subtasks that contain themselves through an alias.
        raise PlanFileError("file: nested too deeply, or a task contains itself") from None


def _parse_plan(text: str) -> PlanData:
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise PlanFileError(f"{where}: not valid YAML ({error.problem})") from None
    except yaml.YAMLError as error:
        raise PlanFileError(f"not valid YAML ({error})") from None
    root = _mapping(document, "file")
    _unknown_keys(root, {"plan", "areas", "indicators"}, "file")
    if "plan" not in root:
        raise PlanFileError("file: 'plan' is required")
    plan = _mapping(root["plan"], "plan", root)
    _unknown_keys(plan, {"year", "title", "title_zh", "summary", "source"}, "plan")

    raw_areas = _list(root.get("areas"), "areas", root)
    if not raw_areas:
        raise PlanFileError(f"{_where(root, 'areas')}: the plan needs at least one area")
    areas: list[AreaData] = []
    for index, raw_area in enumerate(raw_areas, start=1):
        path = f"areas[{index}]"
        raw_area = _mapping(raw_area, path, root)
        _unknown_keys(
            raw_area, {"number", "title", "title_zh", "summary", "summary_zh", "tasks"}, path
        )
        number = _int(raw_area, "number", path, low=1, high=999)
        if any(area.number == number for area in areas):
            raise PlanFileError(f"{_where(raw_area, path)}: area number {number} appears twice")
        seen_codes: set[str] = set()
        tasks = tuple(
            _task(raw, f"{path}.tasks[{i}]", raw_area, seen_codes)
            for i, raw in enumerate(_list(raw_area.get("tasks", []), f"{path}.tasks", raw_area), 1)
        )
        areas.append(
            AreaData(
                number=number,
                title=_text(raw_area, "title", path),
                title_zh=_text(raw_area, "title_zh", path, required=False),
                summary=_text(raw_area, "summary", path, required=False, max_length=5000),
                summary_zh=_text(raw_area, "summary_zh", path, required=False, max_length=5000),
                tasks=tasks,
            )
        )

    indicators: list[IndicatorData] = []
    for index, raw in enumerate(_list(root.get("indicators", []), "indicators", root), start=1):
        indicator = _indicator(raw, f"indicators[{index}]", root)
        if any(existing.code == indicator.code for existing in indicators):
            raise PlanFileError(
                f"{_where(raw, f'indicators[{index}]')}: indicator code "
                f"'{indicator.code}' appears twice"
            )
        indicators.append(indicator)

    return PlanData(
        year=_int(plan, "year", "plan", low=2000, high=2100),
        title=_text(plan, "title", "plan"),
        title_zh=_text(plan, "title_zh", "plan", required=False),
        summary=_text(plan, "summary", "plan", required=False, max_length=5000),
        source=_text(plan, "source", "plan", required=False),
        areas=tuple(areas),
        indicators=tuple(indicators),
    )


def read_plan(path: Path | str | None = None) -> PlanData:
    path = Path(path) if path else DEFAULT_PLAN_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise PlanFileError(f"{path}: cannot be read ({error})") from None
    return parse_plan(text)
