"""The supervision office's work on the plan: one module per workflow, names re-exported here."""

# Report cycles (定期报送).
from supervision.models.cycles import Frequency, MissedReport, ReportCycle, Weekday  # noqa: F401
