"""Build a large SQLite database of demonstration data for the register benchmark.

    .venv/bin/python bench/make_large_db.py --scale 50 -o /tmp/cqms-large.sqlite3

``--scale 50`` gives about 116,000 records of the five kinds (265,000 rows with circulation,
corrective actions and customer responses). See docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cqms_desktop.services.demo import generate_demo
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations

DEFAULT_OUTPUT = Path("/tmp/cqms-large.sqlite3")


def build(output: Path, *, scale: int, seed: int, force: bool) -> int:
    """Create *output* with demonstration data at *scale*; returns the number of records."""
    if output.exists():
        if not force:
            raise SystemExit(f"{output} exists; pass --force to replace it")
        for path in output.parent.glob(output.name + "*"):  # the file and its -wal/-shm
            path.unlink()
    dbmod.open_database(dbmod.sqlite_url(output))
    try:
        migrations.migrate()
        started = time.perf_counter()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] > 2 or done == total:
                last[0] = now
                print(f"  {done:>8} / {total} rows", file=sys.stderr)

        summary = generate_demo(seed=seed, scale=scale, progress=progress)
        elapsed = time.perf_counter() - started
    finally:
        dbmod.close_database()
    print(
        f"{output}: {summary.records} records ({summary.total_rows} rows) "
        f"at scale {scale} in {elapsed:.1f} s"
    )
    for table, count in summary.counts.items():
        print(f"  {table:<20} {count:>8}")
    return summary.records


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    build(args.output, scale=args.scale, seed=args.seed, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
