"""The back office of the supervision workflows: one module per workflow, imported here."""

from supervision.admin import (  # noqa: F401  (registers the model admins)
    instructions,
    overview_reports,
    urges,
)
from supervision.admin.cycles import MissedReportAdmin, ReportCycleAdmin
from supervision.admin.extensions import ExtensionRequestAdmin

__all__ = ["ExtensionRequestAdmin", "MissedReportAdmin", "ReportCycleAdmin"]
