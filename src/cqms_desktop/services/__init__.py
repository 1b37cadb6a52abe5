"""Use cases: one transaction each, a permission check, audit rows, then one "changed" event."""
