"""Writes of the supervision workflows: one module per workflow."""

# Report cycles (定期报送).
from supervision.services.cycles import (  # noqa: F401
    missed_reports_record,
    report_cycle_delete,
    report_cycle_save,
)
from supervision.services.instructions import instruction_answer as instruction_answer
from supervision.services.instructions import instruction_close as instruction_close
from supervision.services.instructions import instruction_write as instruction_write
from supervision.services.urges import urge_acknowledge as urge_acknowledge
from supervision.services.urges import urge_reply as urge_reply
from supervision.services.urges import urge_send as urge_send
from supervision.services.urges import urges_report_unacknowledged as urges_report_unacknowledged
