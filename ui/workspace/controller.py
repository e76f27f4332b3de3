"""Opens one audit: loads it on the database thread and wires its pages together."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from app.domain import Audit, ChecklistItem
from app.i18n import _, ngettext
from app.progress import Progress
from app.services.session import Session
from app.store import Store
from ui.language import Language
from ui.progress_dialog import DelayedProgress
from ui.queries import WorkspaceSnapshot, load_workspace
from ui.runner import Runner
from ui.signals import emit
from ui.widgets import FileDrop
from ui.workspace.checklist_controller import ChecklistController
from ui.workspace.documents_controller import DocumentsController
from ui.workspace.evidence_controller import EvidenceAccess, EvidenceController
from ui.workspace.findings_controller import FindingsController
from ui.workspace.view import WorkspaceView


class WorkspaceController(QObject):
    back_requested = Signal()
    message = Signal(str)
    changed = Signal()

    def __init__(self, runner: Runner, store: Store, audit_id: str, language: Language, *,
                 actor: str, user_id: str, evidence: EvidenceAccess, session: Session) -> None:
        super().__init__()
        self.view = WorkspaceView()
        self.runner = runner
        self.store = store
        self.audit_id = audit_id
        self.language = language
        self.actor = actor
        self.user_id = user_id
        self.audit: Audit | None = None
        self.checklist: ChecklistController | None = None
        self.findings: FindingsController | None = None
        self.evidence_access = evidence
        self.evidence: EvidenceController | None = None
        self.session = session
        self.documents: DocumentsController | None = None
        self.pending = 0
        self.view.back.clicked.connect(self.back_requested)
        QShortcut(QKeySequence("Alt+Left"), self.view, lambda: emit(self.back_requested))
        language.changed.connect(self.retranslate)

    def load(self) -> None:
        store, audit_id = self.store, self.audit_id

        def work(_progress: Progress) -> WorkspaceSnapshot:
            return load_workspace(store, audit_id)

        job = self.runner.database(work, _("Opening the audit"))
        DelayedProgress(job, self.view)
        job.succeeded.connect(self._loaded)
        job.failed.connect(lambda error: emit(self.message, str(error)))

    def _loaded(self, snapshot: WorkspaceSnapshot) -> None:
        audit = snapshot.audit
        self.audit = audit
        self.pending = snapshot.pending
        team = {m.user_id: m.name for m in audit.team}
        if self.checklist is None:
            self.checklist = ChecklistController(self.view.checklist, self.runner, self.store, actor=self.actor,
                                                 user_id=self.user_id, team_names=team,
                                                 standards=[str(s) for s in audit.standards],
                                                 language=self.language, audit_id=audit.id)
            self.checklist.finding_requested.connect(self.raise_finding)
            self.checklist.changed.connect(self._changed)
            self.checklist.message.connect(self.message)
        if self.findings is None:
            self.findings = FindingsController(self.view.findings, self.runner, self.store, actor=self.actor,
                                               audit=audit, language=self.language)
            self.findings.changed.connect(self._changed)
            self.findings.message.connect(self.message)
        if self.evidence is None:
            self.evidence = EvidenceController(self.view.evidence, self.runner, self.store, self.evidence_access,
                                               audit=audit, actor=self.actor, language=self.language)
            self.evidence.changed.connect(self._changed)
            self.evidence.message.connect(self.message)
            FileDrop(self.view.checklist.detail, self._attach_to_item)
            FileDrop(self.view.findings.editor, self._attach_to_finding)
            self.evidence.changed.connect(self._show_finding_evidence)
            self.findings.current_changed.connect(self._show_finding_evidence)
        if self.documents is None:
            self.documents = DocumentsController(self.view.documents, self.runner, self.session, audit.id,
                                                 self.language, file_name=audit.client.name)
            self.documents.message.connect(self.message)
            self.documents.refresh_produced()
        self.checklist.load(snapshot.items)
        self.findings.load(snapshot.findings)
        self.evidence.load()
        self.retranslate()
        if snapshot.items:
            self.view.tabs.setCurrentWidget(self.view.checklist)
            self.view.checklist.tree.setFocus()

    def raise_finding(self, item: ChecklistItem) -> None:
        if self.findings is None:
            return
        self.view.tabs.setCurrentWidget(self.view.findings)
        self.findings.new_from_item(item)

    def _attach_to_item(self, paths: list[str]) -> None:
        if self.evidence is not None and self.checklist is not None and self.checklist.current_id:
            self.evidence.import_files(paths, checklist_item_id=self.checklist.current_id)

    def _attach_to_finding(self, paths: list[str]) -> None:
        if self.evidence is None or self.findings is None:
            return
        if self.findings.current_id is None:
            emit(self.message, _("Write the statement first: files can be linked to a saved finding."))
            return
        self.evidence.import_files(paths, finding_id=self.findings.current_id)

    def _show_finding_evidence(self) -> None:
        if self.evidence is None or self.findings is None:
            return
        finding = self.findings.current()
        view = self.view.findings
        if finding is None:
            view.linked.setText(_("Drop photos or documents here once the finding is saved."))
            return
        linked = {e.id: e for e in self.evidence.linked_to(finding_id=finding.id)}
        linked.update({r.evidence.id: r.evidence for r in self.evidence.model.rows
                       if r.evidence.id in finding.evidence_ids})
        if finding.checklist_item_id:
            linked.update({e.id: e for e in self.evidence.linked_to(item_id=finding.checklist_item_id)})
        names = [e.caption or e.file_name or e.sha256[:12] for e in linked.values()]
        view.linked.setText("\n".join(names) if names else _("None yet: drop photos or documents here to link them."))

    def _changed(self) -> None:
        store, audit_id = self.store, self.audit_id

        def work(_progress: Progress) -> int:
            return int(store.query("SELECT count(*) FROM outbox WHERE audit_id = ?", (audit_id,))[0][0])

        job = self.runner.database(work)
        job.succeeded.connect(self._pending_counted)
        emit(self.changed)

    def _pending_counted(self, pending: int) -> None:
        self.pending = pending
        self._show_pending()

    def _show_pending(self) -> None:
        self.view.pending.setText(
            ngettext("{count} change waiting to sync", "{count} changes waiting to sync",
                     self.pending).format(count=self.pending) if self.pending else _("No changes waiting"))

    def flush(self) -> None:
        if self.checklist is not None:
            self.view.checklist.notes.flush()
        if self.findings is not None:
            self.findings.flush()

    def close(self) -> None:
        self.flush()
        self.language.changed.disconnect(self.retranslate)
        self.view.hide()
        self.view.deleteLater()

    def retranslate(self) -> None:
        self.view.retranslate()
        audit = self.audit
        if audit is None:
            return
        self.view.overview.show_audit(audit, self.user_id)
        self.view.title.setText(audit.client.name)
        start = QLocale().toString(QDate(audit.start_date.year, audit.start_date.month, audit.start_date.day),
                                   QLocale.FormatType.ShortFormat)
        self.view.subtitle.setText(" · ".join([audit.title, start]))
        self._show_pending()
