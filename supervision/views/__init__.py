"""The portal's pages of the supervision workflows: one module per workflow."""
