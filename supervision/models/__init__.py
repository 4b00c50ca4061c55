"""The supervision office's work on the plan: one module per workflow, names re-exported here."""

from supervision.models.cycles import Frequency, MissedReport, ReportCycle, Weekday
from supervision.models.extensions import ExtensionRequest, ExtensionRequestState
from supervision.models.instructions import Instruction as Instruction
from supervision.models.instructions import InstructionAnswer as InstructionAnswer
from supervision.models.instructions import InstructionState as InstructionState
from supervision.models.urges import UrgeNotice as UrgeNotice
from supervision.models.urges import UrgeRecipient as UrgeRecipient
from supervision.models.urges import UrgeState as UrgeState

__all__ = [
    "ExtensionRequest",
    "ExtensionRequestState",
    "Frequency",
    "MissedReport",
    "ReportCycle",
    "Weekday",
]
