# mypy: disable-error-code="union-attr, no-untyped-call"
"""The background runner: results on the GUI thread, delayed progress, cancel, no event-loop stalls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.domain import ChecklistItem
from app.domain.base import parse
from app.progress import Cancelled, Progress, check_cancelled
from app.services.session import Session
from ui.progress_dialog import DelayedProgress
from ui.runner import Runner

MAX_STALL_MS = 200


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[Runner]:
    pool = Runner()
    yield pool
    pool.shutdown()


def test_results_and_progress_arrive_on_the_gui_thread(qtbot: QtBot, runner: Runner) -> None:
    threads: dict[str, object] = {}
    progress: list[tuple[int, int, str]] = []

    def work(p: Progress) -> str:
        threads["worker"] = threading.get_ident()
        for n in range(3):
            p.update(n + 1, 3, "step")
        return "done"

    job = runner.database(work, "test")
    job.progressed.connect(lambda d, t, label: progress.append((d, t, label)))
    job.succeeded.connect(lambda _r: threads.setdefault("result", QThread.currentThread()))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert job.result == "done"
    assert threads["worker"] != threading.get_ident()
    assert threads["result"] is QApplication.instance().thread()
    assert progress[-1] == (3, 3, "step")


def test_database_jobs_run_one_at_a_time_in_order(qtbot: QtBot, runner: Runner) -> None:
    order: list[int] = []
    workers: set[int] = set()

    def make(n: int) -> Callable[[Progress], None]:
        def work(_p: Progress) -> None:
            workers.add(threading.get_ident())
            time.sleep(0.01)
            order.append(n)
        return work

    jobs = [runner.database(make(n)) for n in range(5)]
    qtbot.waitUntil(lambda: all(j.done for j in jobs), timeout=5000)
    assert order == list(range(5))
    assert len(workers) == 1


def test_errors_are_delivered_not_raised(qtbot: QtBot, runner: Runner) -> None:
    def broken(_p: Progress) -> None:
        raise ZeroDivisionError

    job = runner.network(broken)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        pass
    assert str(blocker.args[0])  # a translated one-liner, never a traceback


def test_progress_dialog_only_for_long_work_and_cancel_stops_it(qtbot: QtBot, runner: Runner) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    quick = runner.database(lambda _p: 1, "quick")
    quick_watch = DelayedProgress(quick, parent, delay_ms=500)
    qtbot.waitUntil(lambda: quick.done, timeout=5000)
    assert quick_watch.dialog is None

    def slow(p: Progress) -> None:
        for n in range(200):
            check_cancelled(p)
            p.update(n, 200, "slow")
            time.sleep(0.02)

    job = runner.database(slow, "slow")
    watch = DelayedProgress(job, parent, delay_ms=300)
    qtbot.wait(100)
    assert watch.dialog is None
    qtbot.waitUntil(lambda: watch.dialog is not None and watch.dialog.isVisible(), timeout=3000)
    assert watch.dialog is not None
    cancel_button = watch.dialog.findChild(QPushButton)
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert isinstance(job.error, Cancelled)


def test_event_loop_never_stalls_while_a_long_store_job_runs(qtbot: QtBot, runner: Runner, session: Session) -> None:
    """A 4,000-item import through the write path, in batches, on the database thread."""
    from tests.ui.seed import integrated_audit

    store = session.store
    audit = integrated_audit()

    def long_import(p: Progress) -> int:
        with store.unit_of_work(actor="test") as uow:
            uow.create(audit)
        total = 4000
        for start in range(0, total, 200):
            check_cancelled(p)
            with store.unit_of_work(actor="test") as uow:
                for n in range(start, start + 200):
                    uow.create(parse(ChecklistItem, {"audit_id": audit.id, "standard": "ISO 9001:2015",
                                                     "clause": f"8.{n}", "question": f"问题 {n}"}))
            p.update(start + 200, total, "import")
        return store.checklist.count(audit.id)

    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    job = runner.database(long_import, "import")
    qtbot.waitUntil(lambda: job.done, timeout=120000)
    timer.stop()
    assert job.error is None and job.result == 4000
    assert len(gaps) > 20
    assert max(gaps) < MAX_STALL_MS, f"event loop stalled for {max(gaps)} ms"


def test_emitting_signals_does_not_leak_references(qapp: QApplication) -> None:
    import sys

    from PySide6.QtCore import QObject, Signal

    from ui.signals import emit

    class Source(QObject):
        ping = Signal(object)

    source = Source()
    before = sys.getrefcount(True)
    for _ in range(500):
        emit(source.ping, None)
    assert abs(sys.getrefcount(True) - before) < 50
