"""Time the register queries the main window runs, on a large database.

    .venv/bin/python bench/bench_registers.py --db sqlite:////tmp/cqms-large.sqlite3

For each register (visits, feedback, complaints, surveys, service records) it times, as the
table models do: the row count, the first page (default sort), the first page sorted by
customer name (a join, no index), a text filter (count + first page) and a deep page (the
last page by offset). Each figure is the median of ``--runs`` runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from cqms_desktop.services.registers import RECORD_KINDS, REGISTERS, Filter
from cqms_desktop.store import db as dbmod

PAGE = 200
#: A trade name that appears in some customers' names: a selective text search.
TEXT = "精工"


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median wall time of *action* over *runs* runs, in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench(runs: int) -> list[tuple[str, int, dict[str, float]]]:
    """Figures for every record register of the open database."""
    results = []
    for kind in RECORD_KINDS:
        register = REGISTERS[kind]
        everything = Filter()
        text = Filter(text=TEXT)
        rows = register.count(everything)
        deep = max(0, rows - PAGE)
        figures = {
            "count": median_ms(lambda r=register, f=everything: r.count(f), runs),
            "first page": median_ms(lambda r=register, f=everything: r.page(f, limit=PAGE), runs),
            "sort by customer": median_ms(
                lambda r=register, f=everything: r.page(
                    f, sort="customer", descending=False, limit=PAGE
                ),
                runs,
            ),
            "text filter": median_ms(
                lambda r=register, f=text: (r.count(f), r.page(f, limit=PAGE)), runs
            ),
            "deep page": median_ms(
                lambda r=register, f=everything, o=deep: r.page(f, offset=o, limit=PAGE), runs
            ),
        }
        results.append((kind, rows, figures))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:////tmp/cqms-large.sqlite3")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    info = dbmod.open_database(args.db)
    try:
        results = bench(args.runs)
    finally:
        dbmod.close_database()
    columns = list(results[0][2])
    print(f"Database: {info.display} ({info.backend}); median of {args.runs} runs, ms")
    print()
    print("| register | rows | " + " | ".join(columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for kind, rows, figures in results:
        cells = " | ".join(f"{figures[c]:.1f}" for c in columns)
        print(f"| {kind} | {rows:,} | {cells} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
