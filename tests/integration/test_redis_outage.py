"""With Redis stopped, queuing a job fails fast; once Redis is back, jobs queue again.

Runs in a subprocess with the development settings and REDIS_URL pointing at a Redis server of
our own on a free port, so stopping it disturbs nobody.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from etown.env import BASE_DIR
from tests.conftest import service_unavailable

pytestmark = pytest.mark.integration

PROBE = """
import json, sys, time
import django
django.setup()
from etown.celery import app
from etown.jobs import job_enqueue

@app.task(name="tests.integration.probe")
def probe(n):
    return n

started = time.monotonic()
queued = job_enqueue(probe, 1)
print(json.dumps({"queued": queued, "seconds": time.monotonic() - started}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _enqueue(port: int) -> dict:
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "etown.settings.local",
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if not binary:
        service_unavailable("redis-server is not installed")
    port = _free_port()
    servers = []

    def start():
        import redis

        server = subprocess.Popen(
            [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        servers.append(server)
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return client
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    yield port, start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def test_a_job_queued_while_redis_is_down_fails_fast_and_queues_once_redis_is_back(
    redis_server,
):
    port, start = redis_server
    down = _enqueue(port)
    assert down["queued"] is False
    assert down["seconds"] < 3

    client = start()
    up = _enqueue(port)
    assert up["queued"] is True
    assert client.llen("celery") == 1
