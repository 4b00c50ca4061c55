"""Request every benchmarked page once in-process and show what it costs the database.

Run with the bench's settings and database: `python bench/profile.py FIXTURES_JSON`. For each
page: status, queries, time in SQL and in total, and EXPLAIN (ANALYZE, BUFFERS) of its slowest
query, printed as Markdown. Pages that are missing (404) are listed and skipped.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "etown.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pages import PAGES  # noqa: E402

from accounts.models import User  # noqa: E402


def client_for(username):
    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main(fixtures):
    rows, plans = [], []
    for page in PAGES:
        user = next((u for u in fixtures["users"] if u["role"] == page.role), None)
        client = client_for(user["username"] if user else None)
        path = page.path.replace("{task}", str(user["tasks"][0]) if user else "0")
        form = {}
        if page.method == "POST" and user and user.get("reportable"):
            # The last reportable task is kept out of the load runs for this request.
            task = user["reportable"][-1]
            path = page.path.replace("{task}", str(task["id"]))
            form = {k: str(v).format(**task) for k, v in page.form.items()}
        client.get(path)  # warm caches (a GET: a POST would spend the task's version)
        with CaptureQueriesContext(connection) as context:
            started = time.monotonic()
            response = client.post(path, form) if page.method == "POST" else client.get(path)
            total_ms = (time.monotonic() - started) * 1000
        queries = context.captured_queries
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        label = f"{page.name} `{page.method} {page.path}`"
        who = page.role or "anonymous"
        if response.status_code >= 400:
            rows.append(f"| {label} | {who} | {response.status_code} | | | | |")
            continue
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        slowest_ms = float(slowest["time"]) * 1000 if slowest else 0
        rows.append(
            f"| {label} | {who} | {response.status_code} | {len(queries)} | {sql_ms:.0f} "
            f"| {total_ms:.0f} | {slowest_ms:.0f} |"
        )
        if slowest and slowest["sql"].lstrip().upper().startswith("SELECT") and slowest_ms >= 5:
            plans.append(
                f"#### {page.name} ({who}): slowest query, {slowest_ms:.0f} ms\n\n"
                f"```sql\n{slowest['sql']}\n```\n```\n{explain(slowest['sql'])}\n```\n"
            )
    print(
        "| page | as | HTTP | queries | SQL ms | total ms | slowest query ms |\n"
        "|---|---|---|---|---|---|---|"
    )
    print("\n".join(rows))
    print(
        "\n<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each page "
        "(5 ms or more)</summary>\n"
    )
    print("\n".join(plans) or "(none)")
    print("</details>")


if __name__ == "__main__":
    main(json.loads(Path(sys.argv[1]).read_text()))
