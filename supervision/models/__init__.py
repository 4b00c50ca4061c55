"""The supervision office's work on the plan: one module per workflow, names re-exported here."""
