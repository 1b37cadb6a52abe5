"""Schema upgrade steps: one module per change, each exposing ``upgrade(database)`` with
explicit DDL (never the current models, which move on), registered in ``migrations.STEPS``."""
