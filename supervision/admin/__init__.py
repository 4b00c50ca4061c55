"""The back office of the supervision workflows: one module per workflow, imported here."""

# Report cycles (定期报送).
from supervision.admin.cycles import MissedReportAdmin, ReportCycleAdmin  # noqa: F401
