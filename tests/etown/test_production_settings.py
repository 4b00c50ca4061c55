import os
import secrets
import subprocess
import sys

from etown.env import BASE_DIR


def _check_deploy(**variables):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(variables)
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=etown.settings.production",
        ],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


REQUIRED = {
    "DJANGO_ALLOWED_HOSTS": "workplan.etown.example",
    "DATABASE_URL": "postgres://etown@db.internal:5432/etown",
}


def test_the_production_settings_pass_the_deploy_check_with_no_issue():
    result = _check_deploy(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), **REQUIRED)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_the_production_settings_refuse_to_start_without_a_secret_key():
    result = _check_deploy(**REQUIRED)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_the_production_settings_refuse_to_start_without_a_database_url():
    result = _check_deploy(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=REQUIRED["DJANGO_ALLOWED_HOSTS"],
    )
    assert result.returncode != 0
    assert "Set the DATABASE_URL environment variable" in result.stderr


def test_the_deploy_check_reports_a_weak_secret_key():
    result = _check_deploy(DJANGO_SECRET_KEY="short", **REQUIRED)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
