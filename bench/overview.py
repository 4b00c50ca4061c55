"""Time the leaders' overview and the supervision report on the 100,000-task workload.

Run from the repository root against a database built by `generate_workload` (bench/RESULTS.md,
"Overview for leaders (issue 16)"):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/etown_bench
    export REDIS_URL=redis://127.0.0.1:6379/15
    DJANGO_DEBUG=false .venv/bin/python manage.py collectstatic --noinput
    .venv/bin/python bench/overview.py [--requests 30]

In-process (Django's test client, DEBUG off, the Redis cache as in production), one request at a
time: /overview/ for the year as a leader, cold (the task data just changed: every figure is
built) and warm (the cached counts), then the year's report as .docx and .pdf, each built
afresh. Prints a Markdown table.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etown.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Department, Role, User  # noqa: E402
from supervision.overview import PeriodKind, period_of  # noqa: E402
from workplan import caching  # noqa: E402
from workplan.models import Task, today  # noqa: E402


def leader() -> User:
    user = User.objects.filter(role=Role.LEADER, is_active=True).first()
    if user is None:
        user = User.objects.create_user("bench-leader", "leader@bench.example", role=Role.LEADER)
    return user


def timed(client: Client, url: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(queries.captured_queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader())
    year = period_of(PeriodKind.YEAR, on=today())
    url = f"/overview/?{year.query()}"
    print(
        f"{Task.objects.count():,} tasks, {Department.objects.count()} departments, "
        f"period {year.start} to {year.end}\n"
    )
    client.get(url)  # connections, templates, translations
    cold, warm, dashboard = [], [], []
    for _ in range(args.requests):
        caching.tasks_changed()
        cold.append(timed(client, url))
    for _ in range(args.requests):
        warm.append(timed(client, url))
    # For scale: the dashboard, whose figures on a quiet machine are in the sections above.
    client.get("/")
    for _ in range(args.requests):
        dashboard.append(timed(client, "/"))
    print("| measure | median | p90 | queries | requests |")
    print("|---|---|---|---|---|")
    measures = (
        ("/overview/ (year), cold", cold),
        ("/overview/ (year), warm", warm),
        ("for scale: `/` (leader), warm", dashboard),
    )
    for name, runs in measures:
        times = sorted(run[0] for run in runs)
        p90 = times[int(len(times) * 0.9) - 1]
        print(
            f"| {name} | {statistics.median(times):.1f} ms | {p90:.1f} ms | {runs[0][1]} "
            f"| {len(runs)} |"
        )
    for extension in ("docx", "pdf"):
        caching.tasks_changed()
        report = f"/overview/report.{extension}?{year.query()}"
        elapsed, queries, size = timed(client, report)
        print(
            f"| report for the year, .{extension} ({size / 1024:.0f} KiB) | {elapsed / 1000:.2f} s "
            f"| | {queries} | 1 |"
        )


if __name__ == "__main__":
    main()
