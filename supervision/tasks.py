"""The Celery jobs of supervision, under the names beat and other systems queue them by."""

# Report cycles (定期报送).
from supervision.cycle_jobs import notify_missing_reports  # noqa: F401
