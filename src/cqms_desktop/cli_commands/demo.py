"""``cqms demo``: load demonstration data, creating the schema on an empty database."""

from __future__ import annotations

import argparse

from ..domain.i18n import QT_TRANSLATE_NOOP
from ..store import migrations
from .common import EXIT_OK, _open, _progress, _require_schema, _say

__all__ = ["cmd_demo"]


def cmd_demo(args: argparse.Namespace) -> int:
    """Load demonstration data (creating the schema on an empty database)."""
    from ..services import demo

    info = _open(args.db, create=True)
    if migrations.current_version() == 0:
        migrations.migrate()
        _say(
            QT_TRANSLATE_NOOP("Cli", "Created a new CQMS database in {where}."), where=info.display
        )
    _require_schema()
    summary = demo.generate_demo(
        seed=args.seed,
        scale=args.scale,
        progress=_progress(QT_TRANSLATE_NOOP("Cli", "Loading demonstration data")),
    )
    _say(
        QT_TRANSLATE_NOOP(
            "Cli",
            "Loaded demonstration data (seed {seed}, scale {scale}): {records} records, "
            "{rows} rows in all.",
        ),
        seed=summary.seed,
        scale=summary.scale,
        records=summary.records,
        rows=summary.total_rows,
    )
    for table, count in summary.counts.items():
        print(f"  {table:<20} {count:>8}")
    if summary.users:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Demonstration accounts (password “{password}”):"),
            password=summary.password,
        )
        for username, full_name, department in summary.users:
            print(f"  {username:<12} {department:<15} {full_name}")
    if summary.skipped_users:
        _say(
            QT_TRANSLATE_NOOP("Cli", "Existing accounts kept as they were: {names}."),
            names=", ".join(summary.skipped_users),
        )
    return EXIT_OK
