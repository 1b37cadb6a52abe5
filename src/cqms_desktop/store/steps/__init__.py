"""Schema upgrade steps, one module each (registered in :data:`..migrations.STEPS`)."""
