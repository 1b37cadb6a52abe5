"""Schema upgrade steps, one module each (registered in ``store.migrations.STEPS``)."""
