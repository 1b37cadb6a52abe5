"""How long does the GUI thread block while the main window pages, filters and refreshes?

    PYTHONPATH=src QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_thread_stalls.py \\
        --db sqlite:////tmp/ops-bench.sqlite3

A heartbeat timer on the GUI thread ticks every :data:`TICK_MS`; the longest gap between two
ticks, less the tick, is the longest time the event loop could not run (the window could not
repaint or react to a click). The scenarios run the main window as a user would — the
complaints and feedback lists scrolled to the bottom page after page, filters typed and
toggled, sorting by a column, the dashboard refreshed (tiles and charts), the visit plan
shown — and wait for the database worker's results each time.

For comparison, each scenario also reports what its database calls take when run directly
(the time the GUI thread blocked when they ran on it, before ``ui.operations``).
Make the database first::

    PYTHONPATH=src .venv/bin/python -m cqms_desktop.cli --db sqlite:////tmp/ops-bench.sqlite3 \\
        demo --seed 1 --scale 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

TICK_MS = 5


class StallMonitor:
    """Records the gaps between heartbeat ticks on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000 - TICK_MS)
        self._last = now

    def start(self) -> None:
        """Forget what was recorded and start ticking."""
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> tuple[float, float, int]:
        """Stop; (longest stall ms, 99th percentile ms, ticks)."""
        self._timer.stop()
        gaps = sorted(self.gaps) or [0.0]
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        return max(gaps), p99, len(gaps)


def pump(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Run the event loop (in slices of a few ms) until *condition* holds."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the scenario did not finish in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, TICK_MS)


def settle(seconds: float = 0.0) -> None:
    """Wait for the database worker to be idle (and for *seconds* more)."""
    from cqms_desktop.ui.operations import database_worker

    worker = database_worker()
    end = time.perf_counter() + seconds
    pump(lambda: worker.is_idle() and time.perf_counter() >= end)


def direct_ms(action: Callable[[], object]) -> float:
    """What *action* takes when run on this thread (the old way), in ms."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios and print a table of stalls."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="database URL (a demo database)")
    parser.add_argument("--pages", type=int, default=10, help="pages scrolled per list")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.setswitchinterval(0.001)  # as the application does (app.main)

    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    from cqms_desktop.services import auth
    from cqms_desktop.services.base import Actor
    from cqms_desktop.services.dashboard_queries import dashboard_figures
    from cqms_desktop.services.registers import COMPLAINTS, FEEDBACK, Filter
    from cqms_desktop.services.visit_plan_queries import visit_plan
    from cqms_desktop.store import db as dbmod
    from cqms_desktop.store.models import User
    from cqms_desktop.ui.dashboard import dashboard_counts, deadline_counts
    from cqms_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cqms-bench")
    info = dbmod.open_database(args.db)
    user = User.select().where(User.is_admin & User.active).order_by(User.id).first()
    actor = auth.actor_for(user) if user is not None else Actor.system()

    monitor = StallMonitor()
    rows: list[tuple[str, float, float, int, float]] = []

    def run(name: str, scenario: Callable[[], None], direct: Callable[[], object]) -> None:
        monitor.start()
        scenario()
        settle(0.05)
        longest, p99, ticks = monitor.stop()
        rows.append((name, longest, p99, ticks, direct_ms(direct)))

    # The floor: the same heartbeat with nothing to do (a busy machine deschedules the
    # GUI thread too; stalls below this figure are not the program's).
    run("idle, nothing asked (baseline)", lambda: settle(2.0), lambda: None)

    started = time.perf_counter()
    window = MainWindow(actor, info)
    window.remember_layout = False
    window.resize(1400, 860)
    window.show()
    construct_ms = (time.perf_counter() - started) * 1000
    run("open the window (lists, tiles, charts)", settle, lambda: None)

    def page_through(kind: str) -> Callable[[], None]:
        def scenario() -> None:
            window.select_tab(kind)
            view = window.views[kind]
            for _ in range(args.pages):
                before = view.model.rowCount()
                view.model.fetchMore(QModelIndex())
                view.table.scrollToBottom()
                pump(lambda v=view, b=before: v.model.rowCount() > b or not v.model.canFetchMore())

        return scenario

    rows_per_page = 200
    run(
        f"complaints: {args.pages} pages scrolled",
        page_through("complaints"),
        lambda: [
            COMPLAINTS.page(Filter(), offset=i * rows_per_page, limit=rows_per_page)
            for i in range(1, args.pages + 1)
        ],
    )
    run(
        f"feedback: {args.pages} pages scrolled",
        page_through("feedback"),
        lambda: [
            FEEDBACK.page(Filter(), offset=i * rows_per_page, limit=rows_per_page)
            for i in range(1, args.pages + 1)
        ],
    )

    filters = [Filter(text="精工"), Filter(overdue=True), Filter(open_only=True), Filter()]

    def filtering() -> None:
        view = window.views["complaints"]
        window.select_tab("complaints")
        for flt in filters:
            view.model.setFilter(flt)
            settle()

    run(
        "complaints: 4 filters applied",
        filtering,
        lambda: [(COMPLAINTS.count(f), COMPLAINTS.page(f, limit=rows_per_page)) for f in filters],
    )

    def typing() -> None:
        view = window.views["complaints"]
        for text in ("C", "CC", "CC-", "CC-2", "CC-20", "精", "精工", ""):
            view.model.setFilter(Filter(text=text))  # each overtakes the one before
            pump(lambda: True)
        settle()

    run("complaints: 8 keystrokes, stale pages dropped", typing, lambda: None)

    def sorting() -> None:
        view = window.views["feedback"]
        window.select_tab("feedback")
        column = view.model.columnOfKey("customer")
        view.model.sort(column)
        settle()

    run(
        "feedback: sort by customer",
        sorting,
        lambda: FEEDBACK.page(Filter(), sort="customer", limit=rows_per_page),
    )

    def dashboard() -> None:
        window.select_tab("dashboard")
        settle()
        window.on_changed(frozenset({"*"}))
        settle(0.5)  # the charts coalesce changes for 300 ms

    run(
        "dashboard: refresh tiles, charts, status bar",
        dashboard,
        lambda: (dashboard_counts(), dashboard_figures(None), deadline_counts()),
    )

    def plan() -> None:
        window.select_tab("visit_plan")
        settle()

    from cqms_desktop.domain.clock import today

    run("visit plan shown", plan, lambda: visit_plan(today().year, None))

    window.close()
    print(f"database: {info.display}")
    print(f"window constructed in {construct_ms:.0f} ms (widgets only; reads queued)")
    print(f"{'scenario':48} {'longest stall':>14} {'p99':>8} {'ticks':>6} {'direct':>9}")
    for name, longest, p99, ticks, direct in rows:
        print(f"{name:48} {longest:11.1f} ms {p99:5.1f} ms {ticks:6d} {direct:6.0f} ms")
    print(
        f"(median gap {statistics.median(monitor.gaps or [0.0]):.1f} ms over the last scenario; "
        f"'direct': the same reads on the GUI thread, the old way)"
    )
    dbmod.close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
