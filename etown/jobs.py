"""Queue a Celery job from a page without letting a Redis outage turn into a server error."""

import logging

logger = logging.getLogger("etown.job")


def job_enqueue(task, *args, **kwargs) -> bool:
    """Queue `task` with these arguments; return False (and log it) if the broker is unreachable.

    The caller must keep in the database whatever the job needs, so that a job not queued now
    is picked up again (by the next beat run, for instance) once Redis is back.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as error:  # noqa: BLE001 (kombu, redis and celery each raise their own)
        logger.error(
            "job_not_queued",
            extra={"task": getattr(task, "name", None), "error": error.__class__.__name__},
        )
        return False
    return True
