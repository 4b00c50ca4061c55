"""`make run`'s settings work with DEBUG off and nothing collected; `make run` links mails to
the port it serves."""

import os
import subprocess
import sys

from etown.env import BASE_DIR

PAGES = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for url in ["/accounts/login/", "/static/css/portal.css", "/static/admin/css/base.css"]:
    print(url, client.get(url).status_code)
"""


def test_the_local_settings_serve_pages_and_assets_with_debug_off_and_nothing_collected(
    tmp_path,
):
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"}
    environment.update(
        DJANGO_SETTINGS_MODULE="etown.settings.local",
        DJANGO_DEBUG="false",
        STATIC_ROOT=str(tmp_path / "never-collected"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PAGES],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:3] == [
        "/accounts/login/ 200",
        "/static/css/portal.css 200",
        "/static/admin/css/base.css 200",
    ], result.stderr[-2000:]


def _make_run_commands(**variables):
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    environment.update(variables)
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", "PORT=8123"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "runserver" in line]


def test_make_run_links_mails_to_the_port_it_serves():
    (serve,) = _make_run_commands()
    assert "SITE_URL='http://127.0.0.1:8123'" in serve
    assert serve.endswith("runserver 127.0.0.1:8123")


def test_make_run_keeps_a_site_url_that_was_given():
    (serve,) = _make_run_commands(SITE_URL="https://portal.example")
    assert "SITE_URL='https://portal.example'" in serve
