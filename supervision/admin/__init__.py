"""The back office of the supervision workflows: one module per workflow, imported here."""
