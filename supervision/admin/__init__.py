"""The back office of the supervision workflows: one module per workflow, imported here."""

from supervision.admin import overview_reports  # noqa: F401 (registers its model admins)
