"""Test settings with the real services: for the Celery worker the integration tests start.

The worker reads DATABASE_URL (the pytest test database), REDIS_URL (broker and results) and
EMAIL_URL (the test's SMTP server) from its environment. Leases and backoffs are short so a
crash is recovered in seconds; the recovery job runs from an embedded beat (`worker -B`) with a
file-based schedule, because the test database is emptied between tests.
"""

from etown.env import env

from .test import *  # noqa: F403

REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
vars().update(env.email_url("EMAIL_URL"))
EMAIL_TIMEOUT = 10

# The tests dispatch for a fixed date of 2024; no catch-up run for the real today.
REMINDER_CATCH_UP_MISSED_DISPATCH = False

CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
CELERY_BEAT_SCHEDULE = {
    "recover-reminders": {
        "task": "workplan.tasks.recover_reminders",
        "schedule": float(env.int("REMINDER_RECOVERY_INTERVAL_SECONDS", default=1)),
    },
}
