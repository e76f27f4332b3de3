"""Plan and report previews (rendered in memory on the database thread) and saving them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Signal
from PySide6.QtWidgets import QFileDialog

from app.domain.audit import Audit
from app.i18n import _
from app.progress import Progress
from app.services.session import Session
from ui import documents
from ui.language import Language
from ui.progress_dialog import DelayedProgress
from ui.runner import Runner
from ui.signals import emit
from ui.workspace.documents_view import DocumentsView


class DocumentsController(QObject):
    message = Signal(str)

    def __init__(self, view: DocumentsView, runner: Runner, session: Session, audit: Audit,
                 language: Language, file_name: str) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.session = session
        self.audit_id = audit.id
        self.file_name = file_name
        self._buffer: QBuffer | None = None
        self.preview_result: documents.Preview | None = None
        view.language.setCurrentIndex(max(0, view.language.findData(language.code)))
        view.preview_button.clicked.connect(self.preview)
        view.save_button.clicked.connect(self._choose_and_save)
        language.changed.connect(lambda _code: view.retranslate())
        view.show_audit(audit)

    def preview(self) -> None:
        session, audit_id = self.session, self.audit_id
        kind, language = str(self.view.kind.currentData()), str(self.view.language.currentData())
        complexity = self.view.chosen_complexity

        def work(_progress: Progress) -> documents.Preview:
            return documents.preview(session, audit_id, kind, language, complexity)

        self.view.error.clear_error()
        job = self.runner.database(work, _("Preparing the preview"))
        DelayedProgress(job, self.view)
        job.succeeded.connect(self._show)
        job.failed.connect(lambda error: self.view.error.show_error(str(error)))

    def _show(self, result: documents.Preview) -> None:
        self.preview_result = result
        buffer = QBuffer(self)
        buffer.setData(QByteArray(result.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.view.document.close()
        self.view.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.view.show_preview(True)
        self.view.gaps.clear()
        self.view.gaps.addItems(result.notes or ([_("Nothing: the report can be issued.")] if result.kind == "report"
                                                 else []))
        self.refresh_produced()

    def _choose_and_save(self) -> None:
        fmt = str(self.view.format.currentData())
        kind = str(self.view.kind.currentData())
        label = _("Audit plan") if kind == "plan" else _("Audit report")
        suggested = f"{self.file_name}-{label}.{fmt}"
        path, _filter = QFileDialog.getSaveFileName(self.view, _("Save as…"), suggested)
        if path:
            self.save(Path(path), kind, fmt)

    def save(self, out: Path, kind: str, fmt: str) -> None:
        session, audit_id = self.session, self.audit_id
        language, draft = str(self.view.language.currentData()), self.view.draft.isChecked()
        complexity = self.view.chosen_complexity

        def work(_progress: Progress) -> dict[str, Any]:
            return documents.save(session, audit_id, kind, fmt, out, language, draft, complexity)

        self.view.error.clear_error()
        job = self.runner.database(work, _("Writing the document"))
        DelayedProgress(job, self.view)
        job.succeeded.connect(lambda summary: self._saved(summary))
        job.failed.connect(lambda error: self.view.error.show_error(str(error)))

    def _saved(self, summary: dict[str, Any]) -> None:
        emit(self.message, _("Saved {path} (SHA-256 {hash}…)").format(path=summary.get("path"),
                                                                     hash=str(summary.get("sha256"))[:16]))
        self.refresh_produced()

    def refresh_produced(self) -> None:
        session, audit_id = self.session, self.audit_id
        job = self.runner.database(lambda _p: documents.produced(session, audit_id))
        job.succeeded.connect(self._list_produced)

    def _list_produced(self, rows: list[dict[str, Any]]) -> None:
        self.view.produced.clear()
        for row in reversed(rows):
            kind = _("Audit plan") if row.get("kind") == "plan" else _("Audit report")
            draft = " · " + _("Draft") if row.get("draft") else ""
            self.view.produced.addItem(f"{kind} · {str(row.get('format', '')).upper()}{draft}\n"
                                       f"{row.get('file_name', '')} · {str(row.get('at', ''))[:16]}\n"
                                       f"SHA-256 {str(row.get('sha256', ''))[:16]}…")
