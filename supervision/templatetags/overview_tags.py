"""The overview's scorecard rows, written in Python: 200 departments of nine cells each cost
a fifth of the same markup in template tags (bench/RESULTS.md, "Overview for leaders")."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from workplan.templatetags.workplan_tags import percent

register = template.Library()

DASH = "—"
MISSING_LABEL = _("The department's tasks whose progress report is missing today")

ROW = (
    '<tr data-department="{code}"><td>{rank}</td>'
    '<th scope="row" class="fw-normal"><a href="{tasks}">{name}</a></th>'
    '<td class="text-end"><a href="{tasks}" class="figure-tasks">{n}</a></td>'
    '<td class="text-end text-nowrap"><a href="{on_time}" class="figure-on-time">{rate}</a></td>'
    '<td class="text-end"><a href="{overdue}" class="figure-overdue">{overdue_n}</a></td>'
    '<td class="text-end"><a href="{days_late}" class="figure-days-late">{days}</a></td>'
    '<td class="text-end"><a href="{extensions}" class="figure-extensions">{ext}</a></td>'
    '<td class="text-end text-nowrap"><span class="figure-reports">{reports}</span>'
    ' <a href="{report_missing}" class="figure-report-missing" title="{missing_label}"'
    ' aria-label="{missing_label}"><i class="bi bi-list-ul" aria-hidden="true"></i></a></td>'
    '<td class="text-end figure-urges">{urges}</td></tr>'
)


@register.simple_tag
def scorecard_row(row):
    """Return one department's row of the scorecard, every figure linked to its tasks."""
    counts, links = row.counts, row.links
    return format_html(
        ROW,
        code=row.department.code,
        rank=row.rank,
        name=row.name,
        n=counts.tasks,
        rate=percent(counts.on_time_rate) or DASH,
        overdue_n=counts.overdue,
        days=counts.average_days_late if counts.average_days_late is not None else DASH,
        ext=counts.extensions,
        reports=percent(row.reports_on_time) or DASH,
        urges=row.open_urges,
        missing_label=MISSING_LABEL,
        **links,
    )
