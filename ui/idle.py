"""Auto-lock: notices when nobody has touched keyboard or mouse for the configured time."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui.signals import emit

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Emits ``timed_out`` once after ``minutes`` without user input while armed."""

    timed_out = Signal()

    def __init__(self, app: QApplication, minutes: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(app)
        self._clock = clock
        self._last = clock()
        self._armed = False
        self._limit = minutes * 60.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)
        self.set_minutes(minutes)
        app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self._limit = max(0.05, minutes * 60.0)
        # Check often enough to lock within ~5% of the limit, but no more than 4 times a second.
        self._timer.setInterval(int(min(5000.0, max(250.0, self._limit * 50.0))))

    def arm(self) -> None:
        self._last = self._clock()
        self._armed = True
        self._timer.start()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()

    @property
    def idle_seconds(self) -> float:
        return self._clock() - self._last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last = self._clock()
        return False

    def _check(self) -> None:
        if self._armed and self.idle_seconds >= self._limit:
            self.disarm()
            emit(self.timed_out)
