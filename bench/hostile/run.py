"""Hostile load: do three hostile clients slow twenty officials down? (issue 14)

    .venv/bin/python bench/hostile/run.py            # or: make bench-hostile
    .venv/bin/python bench/hostile/run.py --reuse-data --seconds 60

(from the repository root, with locust installed: `pip install -e '.[bench]'`.)

Steps: (re)create the scratch PostgreSQL database, migrate, load the 2024 plan, run
generate_workload, collect static files, start gunicorn as the README's Production section
says (production settings, 3 sync workers, TRUSTED_PROXY_COUNT=1), then run locust twice on
loopback, each time for --seconds: the 20 officials alone, then the same 20 officials beside
the 3 hostile clients of bench/hostile/locustfile.py. Redis (the limits' counters) is flushed
before each run. Prints the officials' p95 in each run and the ratio; everything else lands in
bench/out/hostile/.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "hostile"
sys.path.insert(0, str(BENCH))

from run import flush_redis, log, manage, recreate_database, tune_database  # noqa: E402

PASSWORD = "etown-bench-2024"  # noqa: S105 (generate_workload's default, a bench account)
OFFICIALS = 20

USERS_SCRIPT = """
import json
from django.db.models import Count
from accounts.models import Role, User
officials = list(
    User.objects.filter(role=Role.OFFICIAL, is_active=True)
    .annotate(n=Count("owned_tasks")).filter(n__gt=0).order_by("n", "pk")
    .values_list("username", flat=True)
)
middle = len(officials) // 2
print(json.dumps({
    "officials": officials[middle - 10 : middle + 10],
    "body_official": officials[middle + 11],
    "admin": User.objects.filter(role=Role.ADMIN).order_by("pk").first().username,
    "spray_usernames": officials[: middle - 10][:300] + [f"nobody-{n}" for n in range(100)],
}))
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="etown_bench_hostile")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--officials", type=int, default=1_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--random-page-cost", default="1.1")
    parser.add_argument("--reuse-data", action="store_true", help="Keep the database as it is.")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seconds", type=int, default=150, help="length of each locust run")
    parser.add_argument(
        "--warm-up",
        type=int,
        default=40,
        help="seconds at the start of each run not measured: the officials sign in (PBKDF2, "
        "the same in both runs); the hostile clients start when it ends",
    )
    return parser.parse_args(argv)


def environment(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{args.pg}/{args.database}",
        DJANGO_SETTINGS_MODULE="etown.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",  # noqa: S106
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"https://127.0.0.1:{args.port}",
        DJANGO_DEBUG="false",
        STATIC_ROOT=str(OUT / "static"),
        MEDIA_ROOT=str(OUT / "media"),
        REDIS_URL=args.redis,
        TRUSTED_PROXY_COUNT="1",
        LOG_LEVEL="WARNING",
    )
    return env


def build(args, env):
    recreate_database(args)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_workplan")
    manage(
        env,
        "generate_workload",
        f"--tasks={args.tasks}",
        f"--officials={args.officials}",
        f"--departments={args.departments}",
        f"--seed={args.seed}",
        "--no-progress",
    )
    import psycopg

    with psycopg.connect(f"{args.pg}/{args.database}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def healthy(port) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def wait_for_server(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited during start-up; see {OUT / 'gunicorn.log'}")
        if healthy(port):
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def locust_run(args, env, name: str, classes: list[str], users: int) -> dict:
    samples = OUT / f"{name}-samples.jsonl"
    samples.unlink(missing_ok=True)
    flush_redis(args)
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        f"--users={users}",
        f"--spawn-rate={users}",
        f"--run-time={args.seconds}s",
        f"--host=http://127.0.0.1:{args.port}",
        f"--csv={OUT / name}",
        "--only-summary",
        "--stop-timeout=10",
        *classes,
    ]
    log("$ " + shlex.join(command))
    load_before = os.getloadavg()[0]
    started = time.time()
    with (OUT / f"{name}-locust.log").open("w") as output:
        subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    rows = [json.loads(line) for line in samples.read_text().splitlines()]
    rows = [row for row in rows if row[3] >= started + args.warm_up]
    times = [row[1] for row in rows]
    statuses: dict[str, int] = {}
    for row in rows:
        statuses[str(row[2])] = statuses.get(str(row[2]), 0) + 1
    by_page = {}
    for page in sorted({row[0] for row in rows}):
        page_times = [row[1] for row in rows if row[0] == page]
        by_page[page] = {
            "count": len(page_times),
            "p50": percentile(page_times, 0.5),
            "p95": percentile(page_times, 0.95),
        }
    return {
        "run": name,
        "requests": len(times),
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times, default=float("nan")),
        "statuses": statuses,
        "by_page": by_page,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def main(argv=None):
    args = parse_args(argv)
    command = shlex.join(
        ["python", "bench/hostile/run.py", *(sys.argv[1:] if argv is None else argv)]
    )
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    if not args.reuse_data:
        build(args, env)
    tune_database(args)
    manage(env, "collectstatic", "--noinput", "-v0")
    users = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", USERS_SCRIPT],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    config = json.loads(users.strip().splitlines()[-1])
    config["password"] = PASSWORD
    config["body_limit"] = 52 * 2**20  # REQUEST_BODY_MAX_BYTES's default
    config["hostile_start"] = args.warm_up
    env["HOSTILE_CONFIG"] = json.dumps(config)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_file = (OUT / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "etown.wsgi:application",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "--access-logfile=-",
            "--access-logformat=%(s)s %(m)s %(U)s %(M)sms",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    results = []
    try:
        wait_for_server(args.port, server)
        for name, classes, count in (
            ("without", ["Official"], OFFICIALS),
            ("with", ["Official", "Searcher", "Sprayer", "BodyThrower"], OFFICIALS + 3),
        ):
            env["HOSTILE_SAMPLES"] = str(OUT / f"{name}-samples.jsonl")
            results.append(locust_run(args, env, name, classes, count))
            log(f"{name} hostile clients: officials' p95 {results[-1]['p95_ms']:.0f} ms")
            # Let what the hostile clients left running finish before the next run.
            while not healthy(args.port):
                time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_file.close()
    access = (OUT / "gunicorn.log").read_text().splitlines()
    server_errors = sum(1 for line in access if line[:1] == "5" and line[3:4] == " ")
    without, with_ = results
    summary = {
        "command": command,
        "without": without,
        "with": with_,
        "ratio": with_["p95_ms"] / without["p95_ms"],
        "server_errors": server_errors,
        "cpus": os.cpu_count(),
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    print(
        f"officials' p95: {without['p95_ms']:.0f} ms alone, {with_['p95_ms']:.0f} ms beside the "
        f"hostile clients: ratio {summary['ratio']:.2f} (target < 2); 5xx: {server_errors}"
    )


if __name__ == "__main__":
    main()
