"""A progress dialog that appears only for work lasting longer than about half a second."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.i18n import _
from ui.runner import Job

SHOW_AFTER_MS = 500


class DelayedProgress(QObject):
    """Watches one job; shows a modal progress dialog with Cancel once it has run for a while."""

    def __init__(self, job: Job, parent: QWidget | None, delay_ms: int = SHOW_AFTER_MS) -> None:
        super().__init__(parent)
        self._job = job
        self._parent = parent
        self._dialog: QProgressDialog | None = None
        self._last: tuple[int, int, str] = (0, 0, "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        self._timer.start(delay_ms)
        job.progressed.connect(self._on_progress)
        job.finished.connect(self._close)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _show(self) -> None:
        if self._job.done:
            return
        dialog = QProgressDialog(self._parent)
        dialog.setWindowTitle(self._job.title or _("Working"))
        dialog.setLabelText(self._job.title)
        dialog.setCancelButtonText(_("Cancel"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._job.cancel)
        self._dialog = dialog
        self._apply()
        dialog.show()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self._last = (done, total, label)
        self._apply()

    def _apply(self) -> None:
        if self._dialog is None:
            return
        done, total, label = self._last
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if label:
            self._dialog.setLabelText(label)

    def _close(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.deleteLater()
