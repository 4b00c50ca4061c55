"""Reads of the supervision workflows: one module per workflow."""
