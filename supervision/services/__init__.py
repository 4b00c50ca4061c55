"""Writes of the supervision workflows: one module per workflow."""

# Report cycles (定期报送).
from supervision.services.cycles import (  # noqa: F401
    missed_reports_record,
    report_cycle_delete,
    report_cycle_save,
)
