"""The portal's forms of the supervision workflows: one module per workflow."""
