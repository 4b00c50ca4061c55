"""Real services for the integration tests: Redis, a `celery worker` process, an SMTP server.

PostgreSQL is the pytest test database (transactional tests, so the worker sees the rows).
Without PostgreSQL or Redis the tests skip on a developer machine and fail in CI
(tests.conftest.service_unavailable).
"""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from django.conf import settings

from tests.conftest import service_unavailable

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = (
    os.environ.get("INTEGRATION_REDIS_URL")
    or os.environ.get("REDIS_URL")
    or "redis://127.0.0.1:6379/13"
)
CELERY_KEYS = ("celery", "unacked*", "_kombu.binding.*", "celery-task-meta-*")


def purge_celery_keys(client):
    """Drop the queues, unacked messages and results of a previous run, and nothing else."""
    for pattern in CELERY_KEYS:
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)


CELERY = str(Path(sys.executable).with_name("celery"))


def wait_for(predicate, *, timeout: float, interval: float = 0.1, message: str = ""):
    """Poll `predicate` until it returns a true value or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s: {message or predicate}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SinkHandler:
    """Keep every accepted message; refuse the first `refuse` ones; hold all from `hold_at` on."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = 0
        self.refused = 0
        # A busy server's answer by default; a test may make it a permanent refusal (554).
        self.refusal = "451 4.3.0 Mail system busy, try again later"
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return self.refusal
            self.seen += 1
            hold = self.hold_at is not None and self.seen >= self.hold_at
        if hold:
            # The sender is mid-send; the test kills it now. Nothing is accepted.
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def received(self) -> list:
        with self.lock:
            return list(self.messages)


@pytest.fixture
def smtp_sink():
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        service_unavailable(f"Redis is not reachable at {REDIS_URL}: {exc}")
    purge_celery_keys(client)
    yield REDIS_URL
    purge_celery_keys(client)


@pytest.fixture
def postgres_db(transactional_db):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        service_unavailable("The integration tests need PostgreSQL in DATABASE_URL.")
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


class Worker:
    """A `celery -A etown worker -B` process in its own process group."""

    def __init__(self, env: dict, log_dir: Path, concurrency: int):
        self.env, self.log_dir, self.concurrency = env, log_dir, concurrency
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self):
        self.starts += 1
        log = open(self.log_dir / f"worker-{self.starts}.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "etown",
                "worker",
                "-B",
                "-s",
                str(self.log_dir / f"beat-{self.starts}"),
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=reminders-it-{self.starts}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_for(self.ready, timeout=30, message="the worker to start")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"The worker exited: {self.log()}")
        return "ready." in self.log()

    def log(self) -> str:
        return (self.log_dir / f"worker-{self.starts}.log").read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture
def start_worker(postgres_db, redis_url, smtp_sink, tmp_path):
    workers = []

    def start(*, concurrency: int = 2) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "etown.settings.integration",
            "DATABASE_URL": postgres_db,
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
            "SITE_URL": "https://plan.etown.example",
            "REMINDER_CHUNK_SIZE": "10",
            "REMINDER_CLAIM_LEASE_SECONDS": "5",
            "REMINDER_RECOVERY_INTERVAL_SECONDS": "1",
            "REMINDER_RETRY_BACKOFF_SECONDS": "0.2",
            "REMINDER_RETRY_BACKOFF_MAX_SECONDS": "2",
            "REMINDER_MAX_RETRIES": "10",
            "PYTHONPATH": str(BASE_DIR),
        }
        worker = Worker(env, tmp_path, concurrency)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill(signal.SIGTERM)


@pytest.fixture
def broker(redis_url):
    """A client of the worker's broker: publish a job by name, wait for its result."""
    # Not the current app: the shared jobs the tests queue in-process stay bound to etown.celery.
    app = Celery("integration-client", broker=redis_url, backend=redis_url, set_as_current=False)
    app.conf.update(task_serializer="json", accept_content=["json"], result_serializer="json")

    def dispatch(date: str, timeout: float = 60) -> dict:
        result = app.send_task("workplan.tasks.send_reminders", kwargs={"date": date})
        return result.get(timeout=timeout)

    yield dispatch
    app.close()
