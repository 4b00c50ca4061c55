"""The supervision office's work on the plan: one module per workflow, names re-exported here."""

from supervision.models.extensions import ExtensionRequest, ExtensionRequestState

__all__ = ["ExtensionRequest", "ExtensionRequestState"]
