"""Beat's schedule follows the settings: what REMINDER_TIME says when beat starts is what runs."""

from types import SimpleNamespace

import pytest
from celery import Celery
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

# The scheduler closes "old" database connections as it starts, and to Django a connection inside
# the transaction a test runs in is one: these tests commit instead.
beat_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def beat_start(base_settings):
    """Start beat's scheduler as `celery beat` would, with the settings of an environment."""

    def start(**environment):
        defaults = {
            "REMINDER_TIME": None,
            "TIME_ZONE": None,
            "REMINDER_RECOVERY_INTERVAL_SECONDS": None,
        }
        settings = base_settings(**{**defaults, "REDIS_URL": None, **environment})
        app = Celery("etown", set_as_current=False)
        app.config_from_object(
            SimpleNamespace(**{name: value for name, value in settings.items() if name.isupper()}),
            namespace="CELERY",
        )
        DatabaseScheduler(app=app)

    return start


def daily_dispatch():
    (entry,) = PeriodicTask.objects.filter(task="workplan.tasks.send_reminders")
    crontab = entry.crontab
    return crontab.hour, crontab.minute, str(crontab.timezone), entry.enabled


@pytest.mark.django_db
def test_the_schedule_names_the_rows_the_migration_seeded(settings):
    seeded = PeriodicTask.objects.filter(task__startswith="workplan.tasks.")
    reminders = {
        name
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith("workplan.tasks.")
    }
    assert set(seeded.values_list("name", flat=True)) == reminders


@beat_db
def test_a_changed_reminder_time_is_what_beat_installs_at_start(beat_start):
    beat_start()
    assert daily_dispatch() == ("9", "0", "Asia/Shanghai", True)

    beat_start(REMINDER_TIME="07:45")
    assert daily_dispatch() == ("7", "45", "Asia/Shanghai", True)

    beat_start(REMINDER_TIME="18:30", TIME_ZONE="Europe/Berlin")
    assert daily_dispatch() == ("18", "30", "Europe/Berlin", True)


@beat_db
def test_the_recovery_job_runs_at_the_interval_the_settings_give(beat_start):
    beat_start(REMINDER_RECOVERY_INTERVAL_SECONDS="30")
    (entry,) = PeriodicTask.objects.filter(task="workplan.tasks.recover_reminders")
    assert (entry.interval.every, entry.interval.period) == (30, "seconds")


@beat_db
def test_a_schedule_an_admin_disabled_stays_disabled_at_the_next_start(beat_start):
    beat_start()
    PeriodicTask.objects.filter(task="workplan.tasks.send_reminders").update(enabled=False)
    beat_start(REMINDER_TIME="08:15")
    assert daily_dispatch() == ("8", "15", "Asia/Shanghai", False)
