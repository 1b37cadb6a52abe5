"""Save latency with the audit trail: p50 / p95 of creating and editing customers and of
registering complaints on a SQLite file (WAL), through the services.

    PYTHONPATH=src python -m bench.audit_save [--rounds 300]

Run it on two checkouts to compare (docs/BENCHMARKS.md has the numbers before/after the hash
chain). Password hashing is set to the cheapest cost so only the save is measured.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher

from cqms_desktop.domain.clock import utcnow
from cqms_desktop.domain.enums import Department
from cqms_desktop.services import admin, auth, complaints
from cqms_desktop.services.base import Actor
from cqms_desktop.store import db as dbmod
from cqms_desktop.store import migrations


def _measure(rounds: int, action: Callable[[int], object]) -> tuple[float, float]:
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    """Print p50 / p95 in milliseconds per kind of save."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    auth.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with tempfile.TemporaryDirectory() as folder:
        dbmod.open_database(dbmod.sqlite_url(Path(folder) / "bench.sqlite3"))
        migrations.migrate()
        system = Actor.system()
        sales = auth.actor_for(
            admin.add_user(
                system, username="s1", full_name="S", department="sales", password="pw-12345x"
            )
        )
        qa = auth.actor_for(
            admin.add_user(
                system, username="q1", full_name="Q", department="qa", password="pw-12345x"
            )
        )
        assert qa.department == Department.QA
        customer = admin.add_customer(sales, code="C0", name="Customer 0")
        version = {"customer": customer.version}

        def edit_customer(i: int) -> None:
            row = admin.update_customer(
                sales, customer_id=customer.id, version=version["customer"], name=f"Name {i}"
            )
            version["customer"] = row.version

        ids: list[int] = []

        def register(i: int) -> None:
            record = complaints.register_complaint(
                sales,
                customer_id=customer.id,
                received_at=utcnow(),
                description=f"Complaint {i}",
                severity="normal",
            )
            ids.append(record.id)

        results = {
            "add customer": _measure(
                args.rounds, lambda i: admin.add_customer(sales, code=f"B{i}", name=f"B {i}")
            ),
            "edit customer": _measure(args.rounds, edit_customer),
            "register complaint": _measure(args.rounds, register),
        }
        dbmod.close_database()
    for name, (p50, p95) in results.items():
        print(f"{name:20} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")


if __name__ == "__main__":
    main()
