from django.core.management.base import BaseCommand, CommandError

from workplan.plan_file import DEFAULT_PLAN_PATH, PlanFileError, read_plan


class Command(BaseCommand):
    help = "Load a work plan (default: the shipped 2024 plan). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PLAN_PATH))
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also add demo departments and accounts, owners and deadlines.",
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
        summary = (
            f"Plan {plan.year}: {plan.areas.count()} areas, "
            f"{sum(len(a.tasks) for a in data.areas)} tasks in the file, "
            f"{plan.indicators.count()} indicators."
        )
        if result.changed:
            created = ", ".join(f"{n} {m}" for m, n in sorted(result.created.items())) or "none"
            updated = ", ".join(f"{n} {m}" for m, n in sorted(result.updated.items())) or "none"
            self.stdout.write(
                self.style.SUCCESS(f"{summary} Created: {created}. Updated: {updated}.")
            )
        else:
            self.stdout.write(f"{summary} Already up to date; nothing changed.")

        if demo:
            demo_result = demo_load(plan=plan)
            self.stdout.write(
                self.style.SUCCESS("Demo accounts (password for all: " + DEMO_PASSWORD + "):")
            )
            for username, role, what in demo_result.logins:
                self.stdout.write(f"  {username:<12} {role:<14} {what}")
