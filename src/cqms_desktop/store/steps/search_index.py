"""Schema step "search index": trigram indexes for the registers' text search.

SQLite gets FTS5 trigram tables and triggers, PostgreSQL ``pg_trgm`` GIN indexes, MariaDB the
``search_gram`` side table and triggers (see :mod:`cqms_desktop.store.search_index`), filled
from the records already there. Where the backend cannot make them the step still succeeds and
the search keeps scanning with ``LIKE``.

Re-runnable: what exists is dropped and made again.
"""

from __future__ import annotations

import peewee as pw

from .. import search_index


def upgrade(database: pw.Database) -> None:
    """Create and fill the text search indexes (where the backend can)."""
    search_index.install(database)
