"""Benchmark the reminder run: dispatch and delivery of every digest to a local SMTP sink.

    .venv/bin/python bench/reminders/run.py [--concurrency 1] [--keep-data]

(from the repository root; any Python with the project installed will do, from any directory.)

Data (issue 7): 5,000 officials, 100,000 open tasks, 20,000 of them overdue or due within three
working days, four per official (two overdue, one by 8 working days so it escalates to the area's
supervisor, two due soon). It builds a scratch PostgreSQL database (etown_bench_reminders, dropped
and recreated), starts an aiosmtpd sink in its own process, a `celery -A etown worker` on Redis DB
14, publishes workplan.tasks.send_reminders and measures:
- the dispatch (the job's own run time, from publish to its result),
- the whole run, from publish to the last digest accepted by the sink,
- the queries of one dispatch (run in-process, rolled back),
- the peak RSS of the worker's main and pool processes (sampled every 100 ms).
"""

import argparse
import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

DAY = datetime.date(2024, 3, 6)
OFFICIALS = 5000
OPEN_TASKS = 100_000
PER_OFFICIAL = 4  # listed in the digest


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="etown_bench_reminders")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="Run the worker with PGOPTIONS='-c synchronous_commit=off' (see RESULTS.md).",
    )
    parser.add_argument("--keep-data", action="store_true", help="Reuse the database as it is.")
    return parser.parse_args()


class Sink:
    """Count accepted messages into shared memory; runs in its own process."""

    def __init__(self, count, size, last):
        self.count, self.size, self.last = count, size, last

    async def handle_DATA(self, server, session, envelope):
        self.count.value += 1
        self.size.value += len(envelope.content)
        self.last.value = time.monotonic()
        return "250 OK"


def run_sink(port, count, size, last, stop):
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(count, size, last), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def recreate_database(name: str):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')


def build_data():
    from django.core.management import call_command

    from accounts.models import Role, User
    from workplan.models import Area, Plan, Task, TaskStatus

    call_command("migrate", verbosity=0)
    plan = Plan.objects.create(year=2024, title="Bench plan")
    areas = [Area(plan=plan, number=n, title=f"Key area {n}") for n in range(1, 10)]
    Area.objects.bulk_create(areas)
    supervisors = User.objects.bulk_create(
        [
            User(username=f"sup{n}", email=f"sup{n}@bench.example", role=Role.SUPERVISOR)
            for n in range(1, 10)
        ]
    )
    for area, supervisor in zip(areas, supervisors, strict=True):
        area.supervisors.add(supervisor)
    officials = User.objects.bulk_create(
        [
            User(username=f"off{n}", email=f"off{n}@bench.example", role=Role.OFFICIAL)
            for n in range(OFFICIALS)
        ],
        batch_size=1000,
    )
    listed_dues = [
        datetime.date(2024, 2, 23),  # overdue by 8 working days: escalated
        datetime.date(2024, 3, 5),  # overdue by one day
        DAY,  # due today
        datetime.date(2024, 3, 8),  # the third working day
    ]
    later = (OPEN_TASKS - OFFICIALS * PER_OFFICIAL) // OFFICIALS
    batch = []
    for i, official in enumerate(officials):
        distant = [datetime.date(2024, 6, 1) + datetime.timedelta(d) for d in range(later)]
        dues = listed_dues + distant
        for j, due in enumerate(dues):
            batch.append(
                Task(
                    area=areas[(i + j) % 9],
                    title=f"Task {j} of official {i}",
                    owner=official,
                    start_date=datetime.date(2024, 1, 2),
                    due_date=due,
                    status=TaskStatus.IN_PROGRESS,
                )
            )
        if len(batch) >= 10_000:
            Task.objects.bulk_create(batch)
            batch = []
    Task.objects.bulk_create(batch)
    # Completed tasks are not open and never listed: a realistic share of them.
    return Task.objects.count()


def count_dispatch_queries() -> int:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from workplan.reminders.delivery import reminders_dispatch

    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                result = reminders_dispatch(date=DAY)
                raise RuntimeError(len(result.pending_ids))
        except RuntimeError as rolled_back:
            pending = rolled_back.args[0]
    return len(queries), pending


def watch_memory(pid: int, peaks: dict, cpu: dict, stop: threading.Event):
    import psutil

    root = psutil.Process(pid)
    while not stop.is_set():
        try:
            for process in [root, *root.children(recursive=True)]:
                rss = process.memory_info().rss
                name = "main" if process.pid == pid else f"child {process.pid}"
                peaks[name] = max(peaks.get(name, 0), rss)
                times = process.cpu_times()
                cpu[name] = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.1)


def main():
    args = parse_args()
    import multiprocessing

    import redis
    from celery import Celery

    port = 8725
    count, size = multiprocessing.Value("q", 0, lock=False), multiprocessing.Value("q", 0)
    last = multiprocessing.Value("d", 0.0, lock=False)
    sink_stop = multiprocessing.Event()
    sink = multiprocessing.Process(target=run_sink, args=(port, count, size, last, sink_stop))
    sink.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "etown.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": args.redis,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    worker_env = dict(env)
    if args.async_commit:
        worker_env["PGOPTIONS"] = "-c synchronous_commit=off"
    import django

    if not args.keep_data:
        recreate_database(args.database)
    django.setup()
    if not args.keep_data:
        started = time.monotonic()
        tasks = build_data()
        print(f"data: {tasks} open tasks, built in {time.monotonic() - started:.1f} s")
    from workplan.models import Reminder

    Reminder.objects.all().delete()
    queries, to_send = count_dispatch_queries()
    print(f"queries per dispatch: {queries} ({to_send} digests to send)")

    redis.Redis.from_url(args.redis).flushdb()
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "etown",
            "worker",
            f"--concurrency={args.concurrency}",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=BASE_DIR,
        env=worker_env,
        start_new_session=True,
    )
    peaks: dict = {}
    cpu: dict = {}
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_memory, args=(worker.pid, peaks, cpu, stop), daemon=True
    )
    watcher.start()
    client = Celery("bench", broker=args.redis, backend=args.redis)
    try:
        client.control.ping(timeout=20)  # the worker is up before the clock starts
        deadline = time.monotonic() + 30
        while not client.control.ping(timeout=1) and time.monotonic() < deadline:
            pass
        import psutil

        sink_cpu = psutil.Process(sink.pid).cpu_times()
        sink_cpu_before = sink_cpu.user + sink_cpu.system
        cpu_before = dict(cpu)
        started = time.monotonic()
        result = client.send_task("workplan.tasks.send_reminders", kwargs={"date": DAY.isoformat()})
        summary = result.get(timeout=300)
        dispatched = time.monotonic() - started
        deadline = time.monotonic() + 600
        while count.value < summary["to_send"] and time.monotonic() < deadline:
            time.sleep(0.05)
        total = last.value - started
        jobs = f"{summary['to_send']} digests, {summary['jobs']} jobs"
        print(f"dispatch: {dispatched:.2f} s ({jobs})")
        print(f"whole run, publish to last digest accepted: {total:.2f} s")
        print(f"delivered: {count.value} mails, {size.value / 1e6:.1f} MB")
        statuses = dict(
            Reminder.objects.values_list("status").annotate(n=django.db.models.Count("pk"))
        )
        print(f"reminder rows: {statuses}")
        time.sleep(0.3)  # one more memory/CPU sample after the last mail
        sink_cpu = psutil.Process(sink.pid).cpu_times()
        used = sum(cpu.values()) - sum(cpu_before.values())
        print(f"CPU seconds during the run: worker {used:.1f} s, ", end="")
        print(f"SMTP sink {sink_cpu.user + sink_cpu.system - sink_cpu_before:.1f} s")
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        stop.set()
        watcher.join()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        sink_stop.set()
        sink.join(timeout=10)
    for name, rss in sorted(peaks.items()):
        print(f"peak RSS {name}: {rss / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
