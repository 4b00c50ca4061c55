"""What the supervision report (督查通报) says, as text in the reader's language.

Built once from `supervision.overview` and written out by `word.py` (.docx) and `pdf.py`
(.pdf): the two files say the same words and the same numbers as `/overview/`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from supervision.models import InstructionState
from supervision.overview import (
    Counts,
    Overview,
    Period,
    overdue_tasks,
    overview_for,
    report_instructions,
)
from workplan.models import choice_label, today

DASH = "—"


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return DASH
    return pgettext("percentage", "%(value)s %%") % {"value": formats.number_format(value)}


def number_text(value) -> str:
    if value is None:
        return DASH
    return formats.number_format(value)


def date_text(day: datetime.date) -> str:
    return day.isoformat()


def _one_decimal(value: Decimal) -> Decimal:
    # As the page writes readings and targets (floatformat:1).
    return value.quantize(Decimal("0.1"))


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    # Column widths in percent (the PDF sets its tables out with these: a fixed layout is ten
    # times faster than measuring every cell of 200 rows); None: equal columns.
    widths: list[int] | None = None


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    level: int = 1


@dataclass
class ReportContent:
    title: str
    subtitle: str
    sections: list[Section]


def _counts_cells(counts: Counts) -> list[str]:
    return [
        number_text(counts.tasks),
        percent_text(counts.on_time_rate),
        number_text(counts.overdue),
        number_text(counts.average_days_late),
        number_text(counts.extensions),
    ]


def _headline(board: Overview) -> Section:
    totals = board.totals
    text = _(
        "%(tasks)s tasks fall due in the period. %(rate)s of those that can be judged were "
        "completed on time; %(overdue)s are overdue today, on average %(days)s days late "
        "counting those completed late; %(extensions)s deadline extensions were granted."
    ) % {
        "tasks": number_text(totals.tasks),
        "rate": percent_text(totals.on_time_rate),
        "overdue": number_text(totals.overdue),
        "days": number_text(totals.average_days_late),
        "extensions": number_text(totals.extensions),
    }
    table = Table(
        [_("Indicator"), _("Target"), _("Latest reading"), _("Reading of"), _("On course")],
        [
            [
                str(row.indicator),
                f"{number_text(_one_decimal(row.indicator.target))} {row.indicator.unit}",
                f"{number_text(_one_decimal(row.latest.value))} {row.indicator.unit}"
                if row.latest
                else DASH,
                date_text(row.latest.period_end) if row.latest else DASH,
                DASH if row.on_course is None else (_("Yes") if row.on_course else _("No")),
            ]
            for row in board.indicators
        ],
    )
    return Section(_("Headline figures and indicators"), [text], table)


def _areas(board: Overview) -> list[Section]:
    sections = [Section(_("Key areas of work"), [])]
    header = [
        _("Tasks due"),
        _("Completed on time"),
        _("Overdue now"),
        _("Average days late"),
        _("Extensions granted"),
        _("Completion"),
    ]
    for row in board.areas:
        counts = row.counts
        text = _(
            "%(tasks)s tasks fall due in the period; %(on_time)s completed on time, %(late)s "
            "late, %(overdue)s overdue today. Weighted completion of the area: %(completion)s."
        ) % {
            "tasks": number_text(counts.tasks),
            "on_time": number_text(counts.on_time),
            "late": number_text(counts.late),
            "overdue": number_text(counts.overdue),
            "completion": percent_text(row.completion),
        }
        cells = [*_counts_cells(counts), percent_text(row.completion)]
        sections.append(
            Section(
                f"{row.area.number}. {row.area.display_title}",
                [text],
                Table(header, [cells]),
                level=2,
            )
        )
    return sections


def _ranking(board: Overview) -> Section:
    notes = [
        _(
            "Ranked by the share of tasks completed on time, then fewer overdue tasks, then "
            "fewer days late. A task is on time when it was completed by the due date in force "
            "when it was completed; tasks without a due date are not counted."
        )
    ]
    notes.append(
        _(
            "Reports on time: of the report deadlines in the period owed by the tasks a "
            "department leads, the share reported within the deadline's period (— when none was "
            "due). Open urge notices: sent by the period's end and not replied yet."
        )
    )
    header = [
        _("Rank"),
        _("Lead department"),
        _("Tasks led"),
        _("Completed on time"),
        _("Overdue now"),
        _("Average days late"),
        _("Extensions granted"),
        _("Reports on time"),
        _("Open urge notices"),
    ]
    rows = [
        [
            str(row.rank),
            row.name,
            *_counts_cells(row.counts),
            percent_text(row.reports_on_time),
            number_text(row.open_urges),
        ]
        for row in board.departments
    ]
    # The columns in the page's order.
    widths = [6, 28, 8, 10, 8, 10, 10, 10, 10]
    return Section(_("Department ranking"), notes, Table(header, rows, widths))


def _overdue(user, period: Period, on: datetime.date) -> Section:
    tasks, total = overdue_tasks(user, period, on=on)
    header = [
        _("Task"),
        _("Key area of work"),
        _("Lead department"),
        _("Owner"),
        _("Due date"),
        _("Days late"),
    ]
    rows = [
        [
            str(task),
            str(task.area.number),
            str(task.lead_department) if task.lead_department else DASH,
            (task.owner.get_full_name() or task.owner.username) if task.owner else DASH,
            date_text(task.due_date),
            number_text((on - task.due_date).days),
        ]
        for task in tasks
    ]
    paragraphs = [_("%(count)s tasks of the period are overdue today.") % {"count": total}]
    if total > len(tasks):
        paragraphs.append(
            _("The %(shown)s most overdue are listed; the portal lists all of them.")
            % {"shown": len(tasks)}
        )
    widths = [33, 8, 20, 14, 15, 10]
    return Section(_("Overdue tasks"), paragraphs, Table(header, rows, widths))


def _person(user) -> str:
    return user.get_full_name() or user.username


def _answers_text(instruction) -> str:
    answers = list(instruction.answers.all())
    if not answers:
        return DASH
    return "\n".join(
        f"{date_text(timezone.localdate(answer.created_at))} {_person(answer.author)}: "
        f"{answer.text}"
        for answer in answers
    )


def _instructions(user, period: Period) -> Section:
    instructions = report_instructions(user, period)
    header = [
        _("Leader"),
        _("Task or area"),
        _("Written on"),
        _("Response date"),
        _("State"),
        _("Instruction"),
        _("Answers"),
    ]
    rows = [
        [
            _person(item.author),
            str(item.task) if item.task_id else f"{item.area.number}. {item.area.display_title}",
            date_text(timezone.localdate(item.created_at)),
            date_text(item.respond_by) if item.respond_by else DASH,
            choice_label(InstructionState, item.state),
            item.text,
            _answers_text(item),
        ]
        for item in instructions
    ]
    open_count = sum(item.is_open for item in instructions)
    paragraphs = [
        _("Leaders' instructions open: %(open)s; closed in the period: %(closed)s.")
        % {"open": open_count, "closed": len(instructions) - open_count}
    ]
    widths = [9, 13, 13, 13, 12, 20, 20]
    return Section(
        _("Instructions and answers"), paragraphs, Table(header, rows, widths) if rows else None
    )


def report_content(user, period: Period, *, on: datetime.date | None = None) -> ReportContent:
    """Return the report for `user` over `period`, in the active language."""
    on = on or today()
    board = overview_for(user, period, on=on)
    return ReportContent(
        title=_("Supervision report"),
        subtitle=_("Beijing E-Town work plan · %(start)s to %(end)s · as of %(on)s")
        % {"start": date_text(period.start), "end": date_text(period.end), "on": date_text(on)},
        sections=[
            _headline(board),
            *_areas(board),
            _ranking(board),
            _overdue(user, period, on),
            _instructions(user, period),
        ],
    )
