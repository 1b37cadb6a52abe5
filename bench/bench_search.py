"""Time the registers' text search with and without the trigram index, on a large database.

    .venv/bin/python bench/bench_search.py --db sqlite:////tmp/cqms-large.sqlite3 --runs 20

For each record register and each query it times what a tab does when a user types in the
search box: the count and the first page of 200 rows. "LIKE" is the scan as before the index
(the index switched off for the process, ``Register.count`` + ``Register.page``); "index" is
the trigram index with the count and the page from one query (``Register.page_and_count``).
Each figure is the 95th percentile of ``--runs`` runs, in milliseconds. Both ways must give
the same rows: the script stops if they do not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from cqms_desktop.services.registers import RECORD_KINDS, REGISTERS, Filter, Register
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import search_index

PAGE = 200
#: What users search for: a customer's name, words of a description, a batch number, a
#: record number, a word found nowhere, and a two-character word (no trigram: scanned).
QUERIES = ("Müller", "电子版送货单", "L2411", "2026-00", "不存在的词", "精工")


def p95_ms(action: Callable[[], object], runs: int) -> float:
    """The 95th percentile wall time of *action* over *runs* runs (after one warm-up)."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def _like(register: Register, flt: Filter) -> tuple[list[dict[str, Any]], int]:
    return register.page(flt, limit=PAGE), register.count(flt)


def _indexed(register: Register, flt: Filter) -> tuple[list[dict[str, Any]], int]:
    return register.page_and_count(flt, limit=PAGE)


def _switch(indexed: bool) -> None:
    database = dbmod.database_proxy.obj
    search_index.forget(database)
    if not indexed:
        setattr(database, search_index._STATE, frozenset())


def bench(runs: int) -> list[tuple[str, str, int, float, float]]:
    """``(register, query, matches, LIKE ms, index ms)`` for every register and query."""
    results = []
    for kind in RECORD_KINDS:
        register = REGISTERS[kind]
        for text in QUERIES:
            flt = Filter(text=text)
            _switch(indexed=False)
            like_rows, like_total = _like(register, flt)
            like = p95_ms(lambda r=register, f=flt: _like(r, f), runs)
            _switch(indexed=True)
            rows, total = _indexed(register, flt)
            if rows != like_rows or total != like_total:
                raise SystemExit(f"{kind} {text!r}: the index found other rows than LIKE")
            index = p95_ms(lambda r=register, f=flt: _indexed(r, f), runs)
            results.append((kind, text, total, like, index))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:////tmp/cqms-large.sqlite3")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    info = dbmod.open_database(args.db)
    try:
        indexed = sorted(search_index.indexed_tables(dbmod.database_proxy.obj))
        results = bench(args.runs)
    finally:
        dbmod.close_database()
    print(f"Database: {info.display} ({info.backend}); indexed: {', '.join(indexed) or 'none'}")
    print(f"count + first page of {PAGE}, 95th percentile of {args.runs} runs, ms")
    print()
    print("| register | query | matches | LIKE | index | speed-up |")
    print("|---|---|---:|---:|---:|---:|")
    for kind, text, total, like, index in results:
        print(f"| {kind} | {text} | {total:,} | {like:.1f} | {index:.1f} | {like / index:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
