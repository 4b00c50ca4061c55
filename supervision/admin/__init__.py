"""The back office of the supervision workflows: one module per workflow, imported here."""

from supervision.admin.extensions import ExtensionRequestAdmin

__all__ = ["ExtensionRequestAdmin"]
