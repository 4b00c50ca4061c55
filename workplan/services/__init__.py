"""Writes to the work plan, one module per subject; every function is a transaction."""

from workplan.services.plan import LoadResult, plan_load

__all__ = ["LoadResult", "plan_load"]
