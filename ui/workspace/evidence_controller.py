"""The evidence gallery: lazy thumbnails, preview and metadata, import by button or drop, annotation.

Vault reads, decoding and imports run on the database thread (the evidence
service shares the store); the GUI thread only turns finished QImages into pixmaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDateTime, QIODevice, QLocale, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader, QPixmap
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.domain import Audit, Evidence
from app.evidence import EvidenceService, ImportReport
from app.evidence.state import STATE_LABELS
from app.i18n import _, ngettext
from app.progress import Progress
from app.services.session import Session
from app.store import Store
from ui.language import Language
from ui.progress_dialog import DelayedProgress
from ui.runner import Runner
from ui.signals import emit
from ui.widgets import FileDrop
from ui.workspace.annotation_editor import AnnotationEditor
from ui.workspace.evidence_model import ID_ROLE, EvidenceModel, EvidenceRow
from ui.workspace.evidence_view import EvidenceView

PREVIEW_EDGE = 1200
THUMBNAILS_PER_JOB = 24


class EvidenceAccess:
    """The unlocked session's evidence service, made on first use; use only on the database thread."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._service: EvidenceService | None = None

    def get(self) -> EvidenceService:
        if self._service is None:
            self._service = EvidenceService.for_session(self._session)
        return self._service

    def close(self) -> None:
        service, self._service = self._service, None
        # Older evidence services own worker processes; stop them with the session when they do.
        stop = getattr(service, "close", None)
        if callable(stop):
            stop()


def decode_preview(data: bytes, edge: int) -> tuple[QImage, QSize]:
    """A preview at most ``edge`` pixels wide or high, and the photo's displayed size (worker thread)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        size = size.transposed()
    if size.isValid() and max(size.width(), size.height()) > edge:
        scaled = size.scaled(edge, edge, Qt.AspectRatioMode.KeepAspectRatio)
        reader.setScaledSize(scaled if not reader.transformation()
                             & QImageIOHandler.Transformation.TransformationRotate90 else scaled.transposed())
    return reader.read(), size


def human_size(size: int) -> str:
    return QLocale().formattedDataSize(size)


class EvidenceController(QObject):
    changed = Signal()
    message = Signal(str)

    def __init__(self, view: EvidenceView, runner: Runner, store: Store, access: EvidenceAccess, *,
                 audit: Audit, actor: str, language: Language) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.store = store
        self.access = access
        self.audit = audit
        self.actor = actor
        self.model = EvidenceModel()
        view.grid.setModel(self.model)
        self.current_id: str | None = None
        self.preview: QImage | None = None
        self.preview_source_width = 0
        self.failure_box: QMessageBox | None = None
        FileDrop(view.grid, lambda paths: self.import_files(paths))
        view.add_button.clicked.connect(self._choose_files)
        view.annotate_button.clicked.connect(self.annotate)
        view.grid.selectionModel().currentChanged.connect(lambda current, _prev: self._selected(current))
        view.grid.verticalScrollBar().valueChanged.connect(lambda _v: self.request_thumbnails())
        view.caption.commit.connect(self._caption_committed)
        language.changed.connect(self.retranslate)

    # -- listing and thumbnails ---------------------------------------------------------------
    def load(self) -> None:
        access, audit_id = self.access, self.audit.id

        def work(_progress: Progress) -> list[tuple[Evidence, str]]:
            return [(e, str(s)) for e, s in access.get().list(audit_id)]

        job = self.runner.database(work, _("Loading evidence"))
        job.succeeded.connect(self._loaded)
        job.failed.connect(lambda error: emit(self.message, str(error)))

    def _loaded(self, found: list[tuple[Evidence, str]]) -> None:
        self.model.set_rows([EvidenceRow(evidence, state) for evidence, state in found])
        self._update_summary()
        self.view.show_detail(False)
        self.request_thumbnails()

    def visible_range(self) -> tuple[int, int]:
        grid = self.view.grid
        first = grid.indexAt(QPoint(4, 4)).row()
        last = grid.indexAt(QPoint(grid.viewport().width() - 4, grid.viewport().height() - 4)).row()
        first = max(0, first)
        # Before the first layout nothing is "visible": ask for the first screenful.
        last = last if last >= 0 else min(len(self.model.rows), first + THUMBNAILS_PER_JOB * 2) - 1
        return first, last

    def request_thumbnails(self) -> None:
        first, last = self.visible_range()
        wanted = self.model.wanting_thumbnails(first, last + THUMBNAILS_PER_JOB)
        for start in range(0, len(wanted), THUMBNAILS_PER_JOB):
            hashes = [row.evidence.sha256 for row in wanted[start:start + THUMBNAILS_PER_JOB]]
            self._thumbnail_job(hashes)

    def _thumbnail_job(self, hashes: list[str]) -> None:
        access = self.access

        def work(_progress: Progress) -> dict[str, QImage | None]:
            service = access.get()
            images: dict[str, QImage | None] = {}
            for sha256 in hashes:
                try:
                    data = service.thumbnail(sha256)
                except Exception:  # a damaged or missing file keeps its placeholder tile
                    data = None
                images[sha256] = QImage.fromData(data) if data else None
            return images

        job = self.runner.database(work)
        job.succeeded.connect(self._thumbnails_ready)

    def _thumbnails_ready(self, images: dict[str, QImage | None]) -> None:
        for sha256, image in images.items():
            self.model.set_thumbnail(sha256, image)

    # -- the selected file ----------------------------------------------------------------------
    def _selected(self, index: Any) -> None:
        self.view.caption.flush()
        evidence_id = index.data(ID_ROLE) if index.isValid() else None
        self.current_id = evidence_id
        row = self._row(evidence_id)
        if row is None:
            self.view.show_detail(False)
            return
        self._show(row)
        self.preview = None
        self.view.preview.setText(_("Loading…"))
        self.view.annotate_button.setEnabled(False)
        if row.evidence.media_type.startswith("image/"):
            self._load_preview(row.evidence)
        else:
            self.view.preview.setPixmap(QPixmap())
            self.view.preview.setText(row.evidence.media_type)

    def _row(self, evidence_id: str | None) -> EvidenceRow | None:
        index = self.model.row_of(evidence_id) if evidence_id else -1
        return self.model.rows[index] if index >= 0 else None

    def _show(self, row: EvidenceRow) -> None:
        e, values = row.evidence, self.view.meta_values
        self.view.show_detail(True)
        self.view.title.setText(e.file_name or e.sha256[:12])
        self.view.caption.show_stored(e.caption)
        self.view.caption_error.clear_error()
        values["file"].setText(e.file_name or "—")
        values["type"].setText(e.media_type)
        values["size"].setText(human_size(e.size))
        values["captured"].setText(QLocale().toString(QDateTime.fromSecsSinceEpoch(int(e.captured_at.timestamp())),
                                                      QLocale.FormatType.ShortFormat) if e.captured_at else "—")
        values["camera"].setText(e.camera or "—")
        values["gps"].setText(f"{e.gps.latitude:.5f}, {e.gps.longitude:.5f}" if e.gps else "—")
        values["sha256"].setText(e.sha256)
        labels = {str(k): v for k, v in STATE_LABELS.items()}
        values["state"].setText(_(labels[row.state]) if row.state in labels else row.state)
        links = []
        if e.checklist_item_id:
            links.append(_("checklist item"))
        if e.finding_id:
            links.append(_("finding"))
        if e.derived_from:
            links.append(_("annotated copy of another photo"))
        values["linked"].setText(", ".join(links) or "—")

    def _load_preview(self, evidence: Evidence) -> None:
        access = self.access

        def work(_progress: Progress) -> tuple[str, QImage, QSize]:
            image, size = decode_preview(access.get().vault.read_bytes(evidence.sha256), PREVIEW_EDGE)
            return evidence.id, image, size

        job = self.runner.database(work, _("Opening the photo"))
        job.succeeded.connect(self._preview_ready)
        job.failed.connect(lambda error: self.view.preview.setText(str(error)))

    def _preview_ready(self, result: tuple[str, QImage, QSize]) -> None:
        evidence_id, image, size = result
        if evidence_id != self.current_id or image.isNull():
            return
        self.preview, self.preview_source_width = image, size.width()
        label = self.view.preview
        label.setText("")
        label.setPixmap(QPixmap.fromImage(image).scaled(
            label.width(), label.height(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        self.view.annotate_button.setEnabled(True)

    def _caption_committed(self, text: str) -> None:
        evidence_id, store, actor = self.current_id, self.store, self.actor
        if evidence_id is None:
            return

        def work(_progress: Progress) -> Evidence:
            with store.unit_of_work(actor=actor) as uow:
                return uow.update(Evidence, evidence_id, {"caption": text})

        job = self.runner.database(work)
        job.succeeded.connect(self._evidence_saved)
        job.failed.connect(lambda error: self.view.caption_error.show_error(str(error)))

    def _evidence_saved(self, evidence: Evidence) -> None:
        index = self.model.row_of(evidence.id)
        if index >= 0:
            self.model.rows[index].evidence = evidence
            emit(self.model.dataChanged, self.model.index(index), self.model.index(index))
        emit(self.changed)

    # -- adding ---------------------------------------------------------------------------------
    def _choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self.view, _("Add evidence"))
        if paths:
            self.import_files(paths)

    def import_files(self, paths: Sequence[str], checklist_item_id: str | None = None,
                     finding_id: str | None = None) -> None:
        access, audit_id = self.access, self.audit.id

        def work(progress: Progress) -> ImportReport:
            return access.get().import_files(audit_id, list(paths), checklist_item_id=checklist_item_id,
                                             finding_id=finding_id, progress=progress)

        job = self.runner.database(work, _("Importing evidence"))
        DelayedProgress(job, self.view)
        job.succeeded.connect(self._imported)
        job.failed.connect(lambda error: emit(self.message, str(error)))

    def _imported(self, report: ImportReport) -> None:
        self.model.add_rows([EvidenceRow(evidence, "local") for evidence in report.imported])
        self._update_summary()
        self.request_thumbnails()
        if report.imported:
            emit(self.changed)
            emit(self.message, ngettext("{count} file added", "{count} files added",
                                        len(report.imported)).format(count=len(report.imported)))
        if report.failures:
            # Window-modal and non-blocking: the list stays readable while the user fixes the files.
            box = QMessageBox(QMessageBox.Icon.Warning, _("Some files were not added"),
                              "\n".join(f"{f.path}: {f.message()}" for f in report.failures),
                              QMessageBox.StandardButton.Ok, self.view)
            box.setObjectName("importFailures")
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.failure_box = box

    def annotate(self) -> None:
        row = self._row(self.current_id)
        if row is None or self.preview is None:
            return
        editor = AnnotationEditor(self.preview, self.preview_source_width or self.preview.width(), self.view)
        if editor.exec() and editor.shapes:
            self.save_annotation(row.evidence.id, editor.annotation())

    def save_annotation(self, evidence_id: str, annotation: dict[str, Any]) -> None:
        access = self.access

        def work(_progress: Progress) -> Evidence:
            return access.get().annotate(evidence_id, annotation)

        job = self.runner.database(work, _("Saving the annotated photo"))
        DelayedProgress(job, self.view)
        job.succeeded.connect(lambda e: self._imported(ImportReport(imported=[e])))
        job.failed.connect(lambda error: emit(self.message, str(error)))

    def linked_to(self, *, finding_id: str | None = None, item_id: str | None = None) -> list[Evidence]:
        return [r.evidence for r in self.model.rows
                if (finding_id and r.evidence.finding_id == finding_id)
                or (item_id and r.evidence.checklist_item_id == item_id)]

    def _update_summary(self) -> None:
        count = len(self.model.rows)
        self.view.summary.setText(ngettext("{count} file", "{count} files", count).format(count=count))

    def retranslate(self) -> None:
        self.view.retranslate()
        self._update_summary()
        row = self._row(self.current_id)
        if row is not None:
            self._show(row)
