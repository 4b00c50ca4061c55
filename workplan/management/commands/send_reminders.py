"""send_reminders [--date YYYY-MM-DD] [--dry-run] [--retry-failed]: the daily dispatch, in-process.

The same code as the Celery job workplan.tasks.send_reminders, delivering synchronously: for cron
users and for operators. --retry-failed sends at once every digest not recorded as sent (failed,
or left unsent by a crash), leaving alone those a worker is sending right now.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from workplan.reminders.delivery import (
    reminders_claim,
    reminders_deliver,
    reminders_dispatch,
    reminders_fail,
)
from workplan.reminders.jobs import dispatched_key
from workplan.reminders.policy import parse_reminder_date, reminder_window, reminders_for


class Command(BaseCommand):
    help = "Send the day's reminder digests and escalations (working days only)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The date to remind for, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show who would get what; send nothing."
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Send every digest not recorded as sent (of --date, or of every date).",
        )

    def handle(self, *args, date=None, dry_run=False, retry_failed=False, **options):
        try:
            day = parse_reminder_date(date)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if dry_run:
            return self._dry_run(day)
        if retry_failed:
            return self._deliver(date=day if date else None, include_failed=True)
        result = reminders_dispatch(date=day)
        cache.set(dispatched_key(day), True, timeout=3 * 24 * 3600)
        if not result.is_working_day:
            self.stdout.write(f"{day} is not a working day: no reminders.")
            return
        self.stdout.write(
            f"{day}: {result.planned} digests planned, {result.created} new, "
            f"{result.skipped} skipped, {len(result.pending_ids)} to send."
        )
        self._deliver(date=day, include_failed=False, reminder_ids=result.pending_ids)

    def _dry_run(self, day):
        window = reminder_window(day)
        if not window.is_working_day:
            self.stdout.write(f"{day} is not a working day: no reminders.")
            return
        self.stdout.write(
            f"{day}: due soon up to {window.due_soon_until}; escalating tasks due before "
            f"{window.escalate_due_before}. Nothing is sent or recorded."
        )
        for plan in reminders_for(day):
            note = f" (skipped: {plan.skip_reason})" if plan.skip_reason else ""
            self.stdout.write(
                f"{plan.kind} to user {plan.recipient_id}: {len(plan.overdue_task_ids)} overdue, "
                f"{len(plan.due_soon_task_ids)} due soon{note}"
            )

    def _deliver(self, *, date, include_failed, reminder_ids=None):
        sent = skipped = failed = 0
        size = settings.REMINDER_CHUNK_SIZE
        while True:
            if reminder_ids is not None:
                batch, reminder_ids = reminder_ids[:size], reminder_ids[size:]
                if not batch:
                    break
                claimed_at, claimed = reminders_claim(reminder_ids=batch)
            else:
                claimed_at, claimed = reminders_claim(
                    date=date, include_failed=include_failed, limit=size
                )
                if not claimed:
                    break
            result = reminders_deliver(reminder_ids=claimed, claimed_at=claimed_at)
            sent += len(result.sent)
            skipped += len(result.skipped)
            if result.unsent:
                failed += len(result.unsent)
                reminders_fail(reminder_ids=result.unsent, error=result.error)
                self.stderr.write(f"{len(result.unsent)} not sent: {result.error}")
                if reminder_ids is None:
                    break
        self.stdout.write(f"Sent {sent}, skipped {skipped}, failed {failed}.")
        if failed:
            raise CommandError(
                f"{failed} digests failed; run `send_reminders --retry-failed` once mail works."
            )
