"""When to sync next: a steady interval, and back-off with jitter after failures.

Qt-free: the desktop app's timer asks :meth:`SyncSchedule.next_delay` and hands
:meth:`SyncService.run_round` to its background runner, so the GUI never waits on
the network.  The status it keeps (last success, last error in the user's
language, failures in a row) is what the status bar and the sync panel show.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from app.domain.base import utc_now
from app.errors import FieldAuditError
from app.progress import Progress
from app.services.session import Session
from sync.engine import SyncEngine
from sync.report import SyncReport

MAX_BACKOFF_SECONDS = 30 * 60.0


@dataclass
class SyncSchedule:
    interval_seconds: float = 15 * 60.0
    base_retry_seconds: float = 15.0
    failures: int = 0
    rng: Callable[[], float] = field(default=random.random)

    def next_delay(self) -> float:
        if self.failures == 0:
            return self.interval_seconds
        backoff = min(self.base_retry_seconds * 2 ** (self.failures - 1), MAX_BACKOFF_SECONDS, self.interval_seconds)
        # Jitter spreads the retries of a whole team that lost the network at the same moment.
        return float(backoff * (0.5 + self.rng() / 2))

    def succeeded(self) -> None:
        self.failures = 0

    def failed(self) -> None:
        self.failures += 1


@dataclass
class SyncStatus:
    running: bool = False
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error: str = ""
    last_report: SyncReport | None = None
    failures_in_a_row: int = 0


class SyncService:
    """Runs rounds one at a time and keeps the status the UI shows."""

    def __init__(self, session: Session, schedule: SyncSchedule | None = None,
                 engine_factory: Callable[[Session], SyncEngine] = SyncEngine) -> None:
        self.session = session
        self.schedule = schedule or SyncSchedule()
        self.status = SyncStatus()
        self._engine_factory = engine_factory
        self._lock = threading.Lock()

    def run_round(self, progress: Progress | None = None) -> SyncReport | None:
        """One round; returns None (and records why) when it could not complete."""
        if not self._lock.acquire(blocking=False):
            return None  # a round is already under way
        try:
            self.status.running = True
            self.status.last_attempt = utc_now()
            report = self._engine_factory(self.session).run_once(progress)
        except FieldAuditError as error:
            self.schedule.failed()
            self.status.failures_in_a_row = self.schedule.failures
            self.status.last_error = str(error)
            return None
        else:
            self.schedule.succeeded()
            self.status.failures_in_a_row = 0
            self.status.last_error = ""
            self.status.last_success = report.finished_at
            self.status.last_report = report
            return report
        finally:
            self.status.running = False
            self._lock.release()
