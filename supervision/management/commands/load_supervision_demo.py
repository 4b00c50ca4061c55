from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from supervision.demo import supervision_demo_load


class Command(BaseCommand):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Translated when the command is built, as in load_workplan.
        self.help = _(
            "Add the supervision demo after `load_workplan --demo`: leader1's instructions "
            "and urge notices, an open extension request, a missing monthly report."
        )

    def handle(self, *args, **options):
        added = supervision_demo_load()
        if added is None:
            self.stdout.write(
                _("Supervision demo: already there (or no demo plan); nothing added.")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Supervision demo: %(instructions)d instructions, %(urges)d urge notices, "
                    "%(requests)d open extension request, %(missing)d missing reports."
                )
                % {
                    "instructions": added.instructions,
                    "urges": added.urges,
                    "requests": added.extension_requests,
                    "missing": added.missing_reports,
                }
            )
        )
