"""The pages the benchmark measures: change URLs here, in one place, as the pages are built.

`{task}` is replaced by a task the signed-in user may see. A POST goes to an open task the
official may report on, each task once (a report moves the task's version on); its form values
may use that task's `{version}` and `{next_progress}`. A request line is built per user and
task, so concurrent requests spread over several users and many tasks.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None  # "official", "supervisor", "admin", "leader" or None (anonymous)
    path: str
    method: str = "GET"
    form: dict = field(default_factory=dict)  # POST fields; the CSRF token is added
    floor: bool = False  # the trivial view every page's throughput is compared with


PAGES = [
    Page("floor: trivial signed-in view", "official", "/bench/floor", floor=True),
    Page("healthz (anonymous, one SELECT 1)", None, "/healthz"),
    Page("dashboard", "official", "/"),
    Page("task list", "official", "/tasks/"),
    # Filter names as on the portal branch (workplan/filters.py: status, overdue, area, ...).
    Page("task list, filtered", "official", "/tasks/?status=in_progress&overdue=on"),
    Page("task detail", "official", "/tasks/{task}/"),
    Page(
        "report submission (POST)",
        "official",
        "/tasks/{task}/",
        method="POST",
        form={
            "progress": "{next_progress}",
            "status": "in_progress",
            "note": "Bench report",
            "version": "{version}",
        },
    ),
    Page("dashboard", "supervisor", "/"),
    Page("task list", "supervisor", "/tasks/"),
    Page("admin task changelist", "supervisor", "/admin/workplan/task/"),
    Page(
        "admin task changelist, filtered",
        "supervisor",
        "/admin/workplan/task/?status__exact=blocked",
    ),
    Page("admin task change form", "supervisor", "/admin/workplan/task/{task}/change/"),
    # The queue opens on pending reports, oldest first, by itself (ReviewStateFilter in
    # workplan/admin/filters.py): the URL a supervisor follows from the admin index.
    Page("review queue", "supervisor", "/admin/workplan/progressreport/"),
    Page("admin task changelist (all 100k)", "admin", "/admin/workplan/task/"),
    # The REST API (issue 17), signed in by the same session cookie as the pages.
    Page("API task list", "official", "/api/v1/tasks/"),
    Page(
        "API task list, filtered", "official", "/api/v1/tasks/?status=in_progress&urgency=overdue"
    ),
    Page("API task detail", "official", "/api/v1/tasks/{task}/"),
    Page("API task list", "supervisor", "/api/v1/tasks/"),
    Page("API task list (all 100k)", "admin", "/api/v1/tasks/"),
    Page("API task detail", "admin", "/api/v1/tasks/{task}/"),
    # Supervision (issue 15): notices sent, instructions written, the inbox, the request queue.
    Page("urge notices sent", "supervisor", "/urges/"),
    Page("urge notices sent", "leader", "/urges/"),
    Page("instructions", "leader", "/instructions/"),
    Page("notifications", "official", "/notifications/"),
    Page("notifications", "leader", "/notifications/"),
    Page("admin extension-request queue", "supervisor", "/admin/supervision/extensionrequest/"),
]

# How many distinct users of each role the load is spread over.
USERS_PER_ROLE = {"official": 4, "supervisor": 3, "admin": 1, "leader": 2}
