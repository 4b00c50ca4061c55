from django.core.management.base import BaseCommand, CommandError

from bench.workload import (
    DEFAULT_AREA_COUNT,
    DEFAULT_PASSWORD,
    Progress,
    WorkloadError,
    WorkloadSpec,
    generate_workload,
    summary_lines,
)


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic workload for benchmarks: departments, officials, "
        "supervisors, leaders, tasks, progress reports, report cycles, extension requests, urge "
        "notices, instructions, notifications and history. Refuses a database that already "
        "holds users, departments or reports unless --append is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=100_000)
        parser.add_argument("--officials", type=int, default=5_000)
        parser.add_argument("--departments", type=int, default=200)
        parser.add_argument(
            "--supervisors", type=int, default=None, help="Default: two per key area."
        )
        parser.add_argument("--leaders", type=int, default=10)
        parser.add_argument("--reports-per-task", type=float, default=2.0)
        parser.add_argument("--subtask-share", type=float, default=0.3)
        parser.add_argument(
            "--areas",
            type=int,
            default=DEFAULT_AREA_COUNT,
            help="Areas of the plan created when the database holds no plan with areas.",
        )
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument(
            "--append", action="store_true", help="Add to a database that already holds data."
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        spec = WorkloadSpec(
            tasks=options["tasks"],
            officials=options["officials"],
            departments=options["departments"],
            supervisors=options["supervisors"],
            leaders=options["leaders"],
            reports_per_task=options["reports_per_task"],
            subtask_share=options["subtask_share"],
            areas=options["areas"],
            seed=options["seed"],
            password=options["password"],
            append=options["append"],
        )
        # The raw stream: OutputWrapper ends every write with a newline, which breaks the redraw.
        bar = None if options["no_progress"] else Progress(spec.tasks, stream=self.stderr._out)
        try:
            result = generate_workload(spec=spec, progress=bar.advance if bar else None)
        except WorkloadError as error:
            raise CommandError(str(error)) from None
        for line in summary_lines(result, spec):
            self.stdout.write(line)
