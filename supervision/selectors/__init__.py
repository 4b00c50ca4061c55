"""Reads of the supervision workflows, scoped by role: one module per workflow."""
