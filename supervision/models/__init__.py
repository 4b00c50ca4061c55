"""The supervision office's work on the plan: one module per workflow, names re-exported here."""

from supervision.models.cycles import Frequency, MissedReport, ReportCycle, Weekday
from supervision.models.extensions import ExtensionRequest, ExtensionRequestState

__all__ = [
    "ExtensionRequest",
    "ExtensionRequestState",
    "Frequency",
    "MissedReport",
    "ReportCycle",
    "Weekday",
]
