from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workplan.plan_file import DEFAULT_PLAN_PATH, PlanFileError, read_plan


class Command(BaseCommand):
    # What an operator reads runs in LANGUAGE_CODE; the file errors stay as the parser words them.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Translated when the command is built, not at import, and as a str: argparse wraps the
        # description with a regular expression, which a lazy string fails (`--help` crashed).
        self.help = _(
            "Load a work plan (default: the shipped 2024 plan). Running it again changes nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PLAN_PATH))
        parser.add_argument(
            "--demo",
            action="store_true",
            help=gettext_lazy("Also add demo departments and accounts, owners and deadlines."),
        )

    def handle(self, *args, path, demo, **options):
        from workplan.demo import DEMO_PASSWORD, demo_load
        from workplan.services import plan_load

        try:
            data = read_plan(path)
        except PlanFileError as error:
            raise CommandError(f"{path}: {error}") from None
        result = plan_load(data=data)
        plan = result.plan
        summary = _(
            "Plan %(year)s: %(areas)d areas, %(tasks)d tasks in the file, %(indicators)d "
            "indicators."
        ) % {
            "year": plan.year,
            "areas": plan.areas.count(),
            "tasks": sum(len(a.tasks) for a in data.areas),
            "indicators": plan.indicators.count(),
        }
        if result.changed:
            none = _("none")
            created = ", ".join(f"{n} {m}" for m, n in sorted(result.created.items())) or none
            updated = ", ".join(f"{n} {m}" for m, n in sorted(result.updated.items())) or none
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(summary)s Created: %(created)s. Updated: %(updated)s.")
                    % {"summary": summary, "created": created, "updated": updated}
                )
            )
        else:
            self.stdout.write(
                _("%(summary)s Already up to date; nothing changed.") % {"summary": summary}
            )

        if demo:
            demo_result = demo_load(plan=plan)
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo accounts (password for all: %(password)s):")
                    % {"password": DEMO_PASSWORD}
                )
            )
            for username, role, what in demo_result.logins:
                self.stdout.write(f"  {username:<12} {role:<14} {what}")
