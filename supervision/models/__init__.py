"""The supervision office's work on the plan: one module per workflow, names re-exported here."""

from supervision.models.overview_reports import MonthlyReportDelivery, MonthlyReportStatus

__all__ = ["MonthlyReportDelivery", "MonthlyReportStatus"]
