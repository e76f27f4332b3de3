"""Background sync for the desktop: on a timer with back-off, on demand, never blocking the GUI.

It takes a Qt-free engine (``sync.engine.SyncEngine`` by default, made on the
database thread where the session lives) and reports through signals.  The
engine's store writes share the session's connection, so a round runs on the
database thread; the network waits there do not touch the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import FieldAuditError
from app.i18n import _
from app.progress import Progress
from app.services.session import Session
from ui.runner import Job, Runner
from ui.signals import emit
from ui.sync_status import SyncEngineLike, SyncStatus, read_status, resolve_conflict

EngineFactory = Callable[[Session], SyncEngineLike]
MAX_BACKOFF_MINUTES = 60


def default_engine(session: Session) -> SyncEngineLike:
    from sync.engine import SyncEngine

    return SyncEngine(session)


class SyncController(QObject):
    status_changed = Signal(object)   # SyncStatus
    progressed = Signal(int, int, str)
    synced = Signal(object)           # the engine's report
    failed = Signal(str)              # translated reason; the app keeps working offline
    busy_changed = Signal(bool)
    paused_changed = Signal(bool)

    def __init__(self, runner: Runner, session: Session, *, interval_minutes: Callable[[], int],
                 engine_factory: EngineFactory = default_engine) -> None:
        super().__init__()
        self.runner = runner
        self.session = session
        self._factory = engine_factory
        self._engine: SyncEngineLike | None = None
        self._interval = interval_minutes
        self.status = SyncStatus()
        self.last_error: str | None = None
        self.last_report: Any = None
        self.busy = False
        # Paused (client sign-off): no round starts, neither on the timer nor on request; one that was
        # due runs when it resumes.
        self.paused = False
        self._missed = False
        self._failures = 0
        self._job: Job | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    def _engine_on_db_thread(self) -> SyncEngineLike:
        if self._engine is None:
            self._engine = self._factory(self.session)
        return self._engine

    # -- status --------------------------------------------------------------------------------
    def refresh(self) -> None:
        store = self.session.store
        job = self.runner.database(lambda _p: read_status(store))
        job.succeeded.connect(self._status_read)

    def _status_read(self, status: SyncStatus) -> None:
        self.status = status
        emit(self.status_changed, status)
        if status.logged_in and not self.timer.isActive() and not self.busy and not self.paused:
            self._schedule()

    # -- login and rounds -----------------------------------------------------------------------
    def login(self, server: str, username: str, password: str) -> Job:
        def work(_progress: Progress) -> Any:
            return self._engine_on_db_thread().login(server, username, password)

        job = self.runner.database(work, _("Logging in"))
        job.succeeded.connect(lambda _tokens: self._logged_in())
        return job

    def _logged_in(self) -> None:
        self.last_error = None
        self.refresh()
        self.sync_now()

    def sync_now(self) -> Job | None:
        if self.paused:
            self._missed = True
            return None
        if self.busy:
            return self._job
        self.timer.stop()

        def work(progress: Progress) -> Any:
            return self._engine_on_db_thread().run_once(progress)

        self._set_busy(True)
        job = self.runner.database(work, _("Synchronising with the platform"))
        job.progressed.connect(lambda d, t, label: emit(self.progressed, d, t, label))
        job.succeeded.connect(self._round_done)
        job.failed.connect(self._round_failed)
        self._job = job
        return job

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _round_done(self, report: Any) -> None:
        self._set_busy(False)
        self._failures = 0
        self.last_error = None
        self.last_report = report
        emit(self.synced, report)
        self.refresh()
        self._schedule()

    def _round_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._failures += 1
        self.last_error = str(error) if isinstance(error, FieldAuditError) else str(FieldAuditError())
        emit(self.failed, self.last_error)
        self.refresh()
        self._schedule()

    def pause(self) -> None:
        """Start no round until :meth:`resume` (a round already queued finishes first)."""
        if self.paused:
            return
        self.paused = True
        self._missed = False
        self.timer.stop()
        emit(self.paused_changed, True)

    def resume(self) -> None:
        if not self.paused:
            return
        self.paused = False
        emit(self.paused_changed, False)
        if self._missed and self.status.logged_in:
            self._missed = False
            self.sync_now()
        elif not self.busy:
            self._schedule()

    def _schedule(self) -> None:
        if not self.status.logged_in or self.paused:
            return
        # Failures back off (1, 2, 4 ... x the interval, at most an hour) so an unreachable platform costs little.
        minutes = min(self._interval() * (2 ** min(self._failures, 6)), max(self._interval(), MAX_BACKOFF_MINUTES))
        self.timer.start(int(minutes * 60_000))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if not busy:
            self._job = None
        emit(self.busy_changed, busy)

    # -- conflicts ------------------------------------------------------------------------------
    def resolve(self, conflict: dict[str, Any], resolution: str, values: dict[str, Any], actor: str) -> Job:
        store = self.session.store

        def work(_progress: Progress) -> None:
            resolve_conflict(store, actor, conflict, resolution, values)

        job = self.runner.database(work, _("Saving the decision"))
        job.succeeded.connect(lambda _r: self.refresh())
        return job

    def stop(self) -> None:
        self.timer.stop()
        self.cancel()
