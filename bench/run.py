"""Build the bench data set, serve the portal with gunicorn and measure it with wrk.

    .venv/bin/python bench/run.py            # everything, about 10 minutes (or: make bench)
    .venv/bin/python bench/run.py --reuse-data --only "task list"

(from the repository root, with the virtualenv `make install` makes; any Python with the
project installed will do, from any directory.)

Steps: (re)create the scratch PostgreSQL database, migrate, load the 2024 plan, run
generate_workload, collect static files, start gunicorn with production settings, sign the
bench users in through the login form, then for every page in bench/pages.py run wrk twice on
loopback: one connection (one request at a time) and N concurrent connections. Results go
between the markers in bench/RESULTS.md (hand-written notes outside them are kept) and in full
to bench/out/.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = BENCH / "RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
sys.path.insert(0, str(BENCH))

from pages import PAGES, USERS_PER_ROLE  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="etown_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--officials", type=int, default=5_000)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reuse-data", action="store_true", help="Keep the database as it is.")
    parser.add_argument(
        "--random-page-cost",
        default="1.1",
        help="PostgreSQL random_page_cost for the bench database (1.1 suits SSDs and data "
        "that fits in memory; PostgreSQL's default 4 assumes spinning disks).",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--single-seconds", type=int, default=5)
    parser.add_argument("--concurrent-seconds", type=int, default=10)
    parser.add_argument(
        "--too-slow-ms",
        type=int,
        default=3000,
        help="Do not load-test a page whose first request takes longer than this: the server "
        "would go on rendering it after wrk gives up, and skew the pages measured next.",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Measure only pages whose name contains this (several: separate them with |).",
    )
    parser.add_argument("--no-results", action="store_true", help="Leave RESULTS.md alone.")
    return parser.parse_args(argv)


def log(message):
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{args.pg}/{args.database}",
        DJANGO_SETTINGS_MODULE="etown.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",  # noqa: S106
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL="http://127.0.0.1:8000",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_DEBUG="false",
        BENCH_FLOOR_VIEW="true",
        STATIC_ROOT=str(OUT / "static"),
        REDIS_URL=args.redis,
        TRUSTED_PROXY_COUNT="1",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args, capture=False):
    command = [sys.executable, "manage.py", *args]
    log("$ " + shlex.join(["python", "manage.py", *args]))
    result = subprocess.run(
        command, cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else None


def recreate_database(args):
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')


def tune_database(args):
    import psycopg

    cost = float(args.random_page_cost)
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{args.database}" SET random_page_cost = {cost}')


def flush_redis(args):
    import redis

    redis.Redis.from_url(args.redis).flushdb()


def build(args, env) -> str:
    recreate_database(args)
    flush_redis(args)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_workplan")
    started = time.monotonic()
    output = manage(
        env,
        "generate_workload",
        f"--tasks={args.tasks}",
        f"--officials={args.officials}",
        f"--departments={args.departments}",
        f"--seed={args.seed}",
        capture=True,
    )
    wall = time.monotonic() - started
    print(output, file=sys.stderr)
    import psycopg

    # Bulk-loaded tables have no visibility map until autovacuum passes; a steady-state
    # database has one, and index-only scans (counts over the review queue) depend on it.
    with psycopg.connect(f"{args.pg}/{args.database}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    command = shlex.join(
        [
            "python",
            "manage.py",
            "generate_workload",
            f"--tasks={args.tasks}",
            f"--officials={args.officials}",
            f"--departments={args.departments}",
            f"--seed={args.seed}",
        ]
    )
    return (
        f"$ {command}\n{output.rstrip()}\n"
        f"(wall clock for the command, start-up included: {wall:.1f}s; then VACUUM ANALYZE)"
    )


# -- HTTP, by hand: production cookies are Secure, which cookie jars will not send over http. --


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        body = None
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)

    def sign_in(self, username, password):
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"login page answered {status} without a CSRF token")
        form = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": password,
        }
        status, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"signing in as {username} failed (HTTP {status})")


def wait_for_server(port, process, deadline_seconds=60):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up; see bench/out/gunicorn.log")
        try:
            status, _ = Client(port).request("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def wait_until_idle(port, deadline_seconds=120):
    """Wait until the server answers /healthz quickly: requests wrk gave up on still run there."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        Client(port).request("GET", "/healthz")
        if time.monotonic() - started < 0.05:
            return
    log("server still busy after two minutes; measuring anyway")


# A report moves its task's version on, so a POST is good once per task: the probe, the warm-up
# and the two runs each get their own share of the tasks an official may report on.
STAGES = ("probe", "warm-up", "single", "concurrent")


def request_lines(page, sessions, fixtures, stage="single"):
    """Return the wrk request lines for `page`: one per user and task."""
    users = [u for u in fixtures["users"] if u["role"] == page.role] if page.role else [None]
    lines = []
    for user in users:
        client = sessions.get(user["username"]) if user else None
        cookie = client.cookie_header() if client else ""
        if user and page.method == "POST":
            reportable = user.get("reportable", [])[:-1]  # the last one is profile.py's
            share = len(reportable) // len(STAGES)
            start = STAGES.index(stage) * share
            tasks = reportable[start : start + share]
        elif user and "{task}" in page.path:
            tasks = [{"id": pk} for pk in user["tasks"][:50]]
        else:
            tasks = [None]
        for task in tasks:
            path = page.path.replace("{task}", str(task["id"])) if task else page.path
            body = ""
            if page.method == "POST":
                form = {k: str(v).format(**task) for k, v in page.form.items()}
                form["csrfmiddlewaretoken"] = client.cookies.get("csrftoken", "")
                body = urllib.parse.urlencode(form)
            lines.append("\t".join([page.method, path, cookie, body]))
    return lines


def probe(page, sessions, fixtures, port):
    """Send the page's first request once; return its status and size."""
    lines = request_lines(page, sessions, fixtures, stage="probe")
    if not lines:
        return 0, 0, 0.0
    method, path, _, body = lines[0].split("\t")
    user = next((u for u in fixtures["users"] if u["role"] == page.role), None)
    client = sessions[user["username"]] if user else Client(port)
    form = dict(urllib.parse.parse_qsl(body)) if method == "POST" else None
    started = time.monotonic()
    status, content = client.request(method, path, form)
    return status, len(content), (time.monotonic() - started) * 1000


def wrk(args, lines_file, threads, connections, seconds):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "20s",
        "-s",
        str(BENCH / "wrk.lua"),
        f"http://127.0.0.1:{args.port}",
    ]
    env = dict(os.environ, BENCH_REQUESTS=str(lines_file))
    result = subprocess.run(command, env=env, check=True, text=True, capture_output=True)
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["errors"] = sum(v for k, v in stats.items() if k.startswith("errors_"))
    return stats


def measure(args, sessions, fixtures):
    rows = []
    for index, page in enumerate(PAGES):
        wanted = [part for part in args.only.split("|") if part]
        if wanted and not any(part in page.name for part in wanted) and not page.floor:
            continue
        wait_until_idle(args.port)
        status, size, first_ms = probe(page, sessions, fixtures, args.port)
        row = {"page": page, "status": status, "bytes": size, "first_ms": first_ms}
        rows.append(row)
        if status == 0:
            log(f"{page.name} ({page.role}): no task to request, not measured")
            continue
        if status >= 400:
            log(f"{page.name} ({page.role}): HTTP {status}, not measured")
            continue
        if first_ms > args.too_slow_ms:
            row["too_slow"] = True
            log(f"{page.name} ({page.role}): first request {first_ms:.0f} ms, not load-tested")
            continue
        files = {}
        for stage in STAGES[1:]:
            files[stage] = OUT / f"requests-{index:02d}-{stage}.tsv"
            lines = request_lines(page, sessions, fixtures, stage=stage)
            files[stage].write_text("\n".join(lines) + "\n")
        wrk(args, files["warm-up"], 1, 2, 1)  # warm-up, not recorded
        wait_until_idle(args.port)
        # Other work on the machine skews the figures: keep the load average next to them.
        row["load"] = os.getloadavg()[0]
        row["single"] = wrk(args, files["single"], 1, 1, args.single_seconds)
        wait_until_idle(args.port)
        threads = min(2, args.concurrency)
        row["concurrent"] = wrk(
            args, files["concurrent"], threads, args.concurrency, args.concurrent_seconds
        )
        log(
            f"{page.name} ({page.role}): HTTP {status}; 1 user p50 "
            f"{row['single']['p50_us'] / 1000:.1f} ms; {args.concurrency} users p95 "
            f"{row['concurrent']['p95_us'] / 1000:.1f} ms, {row['concurrent']['rps']:.0f} req/s"
        )
    return rows


def ms(us):
    return f"{us / 1000:.1f}"


def table(args, rows):
    floor = next((r for r in rows if r["page"].floor and "concurrent" in r), None)
    floor_rps = floor["concurrent"]["rps"] if floor else None
    c = args.concurrency
    out = [
        "| page | as | HTTP | first request ms | 1 user p50 ms | 1 user req/s "
        f"| {c} users p50 / p95 / p99 ms "
        f"| {c} users req/s | × floor | errors | load before |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        page = row["page"]
        who = page.role or "anonymous"
        label = f"{page.name} `{page.method} {page.path}`"
        if row.get("too_slow"):
            out.append(
                f"| {label} | {who} | {row['status']} | {row['first_ms']:.0f} "
                f"| not load-tested: over {args.too_slow_ms} ms | | | | | | |"
            )
            continue
        if "single" not in row:
            out.append(
                f"| {label} | {who} | {row['status']} | {row['first_ms']:.0f} "
                f"| not measured: HTTP {row['status']} | | | | | | |"
            )
            continue
        s, k = row["single"], row["concurrent"]
        ratio = f"{k['rps'] / floor_rps:.2f}" if floor_rps else "?"
        single = f"{ms(s['p50_us'])} | {s['rps']:.1f}" if s["requests"] else "none done | 0"
        concurrent = (
            f"{ms(k['p50_us'])} / {ms(k['p95_us'])} / {ms(k['p99_us'])} | {k['rps']:.1f}"
            if k["requests"]
            else "none done | 0"
        )
        out.append(
            f"| {label} | {who} | {row['status']} | {row['first_ms']:.0f} | {single} "
            f"| {concurrent} "
            f"| {ratio} | {s['errors'] + k['errors']} | {row['load']:.1f} |"
        )
    return "\n".join(out)


def machine():
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    version = (wrk_version.stdout or wrk_version.stderr).split()[:2]
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {' '.join(version)}"


def write_results(args, command, dataset, fixtures, rows, explain, started):
    users_per_role = ", ".join(f"{n} {role}s" for role, n in USERS_PER_ROLE.items())
    users = "\n".join(
        f"- `{u['username']}` ({u['role']}): sees {u['visible']:,} tasks"
        + (f", owns {u['owned']}" if "owned" in u else "")
        + (f", {u['pending_reports']:,} pending reports in scope" if "pending_reports" in u else "")
        for u in fixtures["users"]
    )
    block = f"""{BEGIN}
_Generated by `bench/run.py` on {started:%Y-%m-%d %H:%M} UTC; do not edit between the markers._

Command: `{command}`

Machine: {machine()}. Server: gunicorn with {args.workers} sync workers and production settings
(`etown.settings.production`, DEBUG off, cache on Redis); PostgreSQL on the same machine with
`random_page_cost = {args.random_page_cost}` on the bench database; wrk on loopback, on the same
2 cores (the load generator takes some of the CPU it measures).

- "1 user": one connection for {args.single_seconds}s; "{args.concurrency} users":
  {args.concurrency} connections over {min(2, args.concurrency)} wrk threads for
  {args.concurrent_seconds}s; each after a 1 s warm-up and once the server is idle again.
  Requests rotate over {users_per_role} signed-in users and up to 50 tasks each.
- "first request ms": one request sent before the runs; "none done": no request finished in
  the run; "× floor": the page's req/s at {args.concurrency} users over the floor view's.
- "load before": the machine's 1-minute load average when the page's runs began. Other
  sessions' test suites shared these 2 cores: figures taken at a load above 2 are pessimistic.

{table(args, rows)}

Data set:

```
{dataset}
```

Users the load runs as:

{users}

Each page requested once in-process (Django test client, same settings and data), after one
warm-up request: queries, time in SQL, total time.

{explain}
{END}"""
    text = RESULTS.read_text() if RESULTS.exists() else f"# Benchmark results\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    RESULTS.write_text(head + block + tail)
    (OUT / f"results-{started:%Y%m%d-%H%M%S}.md").write_text(block)


def main(argv=None):
    args = parse_args(argv)
    started = datetime.now(UTC)
    command = shlex.join(["python", "bench/run.py", *(sys.argv[1:] if argv is None else argv)])
    OUT.mkdir(exist_ok=True)
    env = environment(args)
    if args.reuse_data:
        dataset = "(reused from an earlier run: --reuse-data)"
    else:
        dataset = build(args, env)
        (OUT / "dataset.txt").write_text(dataset)
    if args.reuse_data and (OUT / "dataset.txt").exists():
        dataset = (OUT / "dataset.txt").read_text()
    tune_database(args)
    manage(env, "collectstatic", "--noinput", "-v0")
    fixtures = json.loads(
        subprocess.run(
            [sys.executable, str(BENCH / "fixtures.py"), json.dumps(USERS_PER_ROLE)],
            cwd=ROOT,
            env=env,
            check=True,
            text=True,
            capture_output=True,
        ).stdout
    )
    (OUT / "fixtures.json").write_text(json.dumps(fixtures))
    explain = subprocess.run(
        [sys.executable, str(BENCH / "profile.py"), str(OUT / "fixtures.json")],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_file = (OUT / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "etown.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "--timeout=60",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_server(args.port, server)
        password = "etown-bench-2024"  # noqa: S105 (generate_workload's default)
        sessions = {}
        for user in fixtures["users"]:
            client = Client(args.port)
            client.sign_in(user["username"], password)
            sessions[user["username"]] = client
        log(f"signed in {len(sessions)} users; measuring")
        rows = measure(args, sessions, fixtures)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_file.close()
    print(table(args, rows))
    if not args.no_results:
        write_results(args, command, dataset, fixtures, rows, explain, started)
        log(f"results written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
