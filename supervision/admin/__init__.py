"""The back office of the supervision workflows: one module per workflow, imported here."""

from supervision.admin import instructions, urges  # noqa: F401  (registers the model admins)
from supervision.admin.cycles import MissedReportAdmin, ReportCycleAdmin
from supervision.admin.extensions import ExtensionRequestAdmin

__all__ = ["ExtensionRequestAdmin", "MissedReportAdmin", "ReportCycleAdmin"]
