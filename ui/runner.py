"""The one background runner of the desktop app.

Database work is serialised on one long-lived worker thread: SQLCipher
connections belong to the thread that opened them, and the profile lock and the
session are opened and closed there too.  Network work runs on a small pool.
Workers never touch widgets: every result, error and progress report crosses
back to the GUI thread through a queued signal, and the :class:`Job` handle
re-emits it there.  Services see only the Qt-free :class:`app.progress.Progress`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThread, QThreadPool, Signal, Slot

from app.errors import FieldAuditError
from app.progress import Cancelled, Progress
from ui.signals import emit

log = logging.getLogger(__name__)

Work = Callable[[Progress], Any]
# Progress reports closer together than this are dropped (the last one always gets through).
PROGRESS_INTERVAL = 0.05


class Job(QObject):
    """The GUI-thread handle of one piece of background work."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, work: Work, title: str = "") -> None:
        super().__init__()
        self.work = work
        self.title = title
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _WorkerProgress:
    """Adapts :class:`app.progress.Progress` to queued signals, throttled."""

    def __init__(self, job: Job, bridge: _Bridge) -> None:
        self._job = job
        self._bridge = bridge
        self._last = 0.0

    def update(self, done: int, total: int, label: str = "") -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL and done < total:
            return
        self._last = now
        emit(self._bridge.deliver, self._job, "progress", (done, total, label))

    def cancelled(self) -> bool:
        return self._job.is_cancelled()


class _Bridge(QObject):
    """Lives on the GUI thread; its slot runs there for every delivery (queued connection)."""

    deliver = Signal(object, str, object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, str, object)
    def _on_deliver(self, job: Job, kind: str, payload: Any) -> None:
        if kind == "progress":
            if not job.done:
                emit(job.progressed, *payload)
            return
        job.done = True
        if kind == "ok":
            job.result = payload
            emit(job.succeeded, payload)
        else:
            job.error = payload
            emit(job.failed, payload)
        emit(job.finished)


def _execute(job: Job, bridge: _Bridge) -> None:
    """Run one job on the current (worker) thread and post the outcome to the GUI thread."""
    if job.is_cancelled():
        emit(bridge.deliver, job, "error", Cancelled())
        return
    try:
        result = job.work(_WorkerProgress(job, bridge))
    except FieldAuditError as error:
        emit(bridge.deliver, job, "error", error)
    except Exception as error:  # a bug: log it with its traceback, show the user one line
        log.exception("background job %r failed", job.title or job.work)
        wrapped = FieldAuditError()
        wrapped.__cause__ = error
        emit(bridge.deliver, job, "error", wrapped)
    else:
        emit(bridge.deliver, job, "ok", result)


class _DatabaseThread(QThread):
    def __init__(self, bridge: _Bridge) -> None:
        super().__init__()
        self.setObjectName("fieldaudit-db")
        self._bridge = bridge
        self.jobs: queue.Queue[Job | None] = queue.Queue()

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            _execute(job, self._bridge)


class _NetworkTask(QRunnable):
    def __init__(self, job: Job, bridge: _Bridge) -> None:
        super().__init__()
        self._job = job
        self._bridge = bridge

    def run(self) -> None:
        _execute(self._job, self._bridge)


class Runner(QObject):
    """Submit work; get a :class:`Job` whose signals fire on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, network_threads: int = 3) -> None:
        super().__init__()
        self._bridge = _Bridge()
        self._db = _DatabaseThread(self._bridge)
        self._db.start()
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(network_threads)
        self._active: set[Job] = set()
        self._stopped = False

    def database(self, work: Work, title: str = "") -> Job:
        """Queue ``work(progress)`` on the database thread (one job at a time, in order)."""
        job = Job(work, title)
        if self._track(job):
            self._db.jobs.put(job)
        return job

    def network(self, work: Work, title: str = "") -> Job:
        """Run ``work(progress)`` on the network pool (no store access from there)."""
        job = Job(work, title)
        if self._track(job):
            self._pool.start(_NetworkTask(job, self._bridge))
        return job

    def _track(self, job: Job) -> bool:
        if self._stopped:
            # Late results can still ask for work while the app closes: there is no session any more.
            log.debug("dropped %r: the runner is shut down", job.title or job.work)
            job.cancel()
            return False
        was_idle = not self._active
        self._active.add(job)
        job.finished.connect(lambda: self._forget(job))
        if was_idle:
            emit(self.busy_changed, True)
        return True

    def _forget(self, job: Job) -> None:
        self._active.discard(job)
        if not self._active:
            emit(self.busy_changed, False)

    @property
    def active_jobs(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        for job in list(self._active):
            job.cancel()

    def wait_database(self, work: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Run ``work`` on the database thread and block until it is done.

        Only for shutdown (closing the session where it was opened): the GUI is gone then.
        """
        outcome: dict[str, Any] = {}
        ready = threading.Event()

        def call(_progress: Progress) -> None:
            try:
                outcome["value"] = work()
            except BaseException as error:
                outcome["error"] = error
            finally:
                ready.set()

        self._db.jobs.put(Job(call, "wait"))
        if not ready.wait(timeout):
            raise TimeoutError("database thread did not answer")
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def shutdown(self, timeout_ms: int = 30000) -> None:
        if self._stopped:
            return
        self.cancel_all()
        self._stopped = True
        self._db.jobs.put(None)
        self._db.wait(timeout_ms)
        self._pool.waitForDone(timeout_ms)
