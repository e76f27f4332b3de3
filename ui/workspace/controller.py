"""Opens one audit: loads it on the database thread and wires its pages together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale, QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from app.domain import Audit, ChecklistItem, TeamRole
from app.i18n import _, ngettext
from app.progress import Progress
from app.services.session import Session
from app.store import Store
from ui.language import Language
from ui.progress_dialog import DelayedProgress
from ui.queries import WorkspaceSnapshot, load_workspace, my_role
from ui.runner import Runner
from ui.signals import emit
from ui.widgets import FileDrop
from ui.workspace.checklist_controller import ChecklistController
from ui.workspace.evidence_controller import EvidenceAccess, EvidenceController
from ui.workspace.findings_controller import FindingsController
from ui.workspace.view import WorkspaceView

if TYPE_CHECKING:
    from ui.workspace.conclusions_controller import ConclusionsController
    from ui.workspace.documents_controller import DocumentsController


class WorkspaceController(QObject):
    back_requested = Signal()
    message = Signal(str)
    changed = Signal()
    signoff_requested = Signal(str)  # audit id

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
        self._documents: DocumentsController | None = None
        self._conclusions: ConclusionsController | None = None
        self.pending = 0
        self.closed = False  # results of work queued before closing arrive after the view is gone
        self.view.back.clicked.connect(self.back_requested)
        self.view.allow_signoff(False)
        self.view.page_built.connect(self._page_built)
        self.view.signoff.clicked.connect(self._signoff_clicked)
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
        if self.closed:
            return
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
        for name in self.view.built_pages():
            self._page_built(name)
        self.checklist.load(snapshot.items)
        self.findings.load(snapshot.findings)
        self.evidence.load()
        if self._conclusions is not None:
            self._conclusions.show(audit)
        if self._documents is not None:
            self.view.documents.show_audit(audit)  # the complexity recorded on the audit may have changed
        self.view.allow_signoff(self.is_lead)
        self.retranslate()
        if snapshot.items:
            self.view.tabs.setCurrentWidget(self.view.checklist)
            self.view.checklist.tree.setFocus()

    def _page_built(self, name: str) -> None:
        """A tab built on first use gets its controller (once the audit is loaded)."""
        audit = self.audit
        if audit is None or self.closed:
            return
        if name == "conclusions" and self._conclusions is None:
            from ui.workspace import conclusions_controller

            lead = audit.lead()
            self._conclusions = conclusions = conclusions_controller.ConclusionsController(
                self.view.conclusions, self.runner, self.store, actor=self.actor, audit=audit,
                editable=self.is_lead, lead_name=lead.name if lead else "", language=self.language)
            conclusions.changed.connect(self._changed)
            conclusions.message.connect(self.message)
            conclusions.show(audit)
        elif name == "documents" and self._documents is None:
            from ui.workspace import documents_controller

            self._documents = documents = documents_controller.DocumentsController(
                self.view.documents, self.runner, self.session, audit, self.language, file_name=audit.client.name)
            documents.message.connect(self.message)
            documents.refresh_produced()

    @property
    def conclusions(self) -> ConclusionsController | None:
        """The conclusions tab's controller, building the tab if needed (None until the audit is loaded)."""
        if self._conclusions is None and self.audit is not None and not self.closed:
            self.view.conclusions  # noqa: B018  (building the page creates its controller)
        return self._conclusions

    @property
    def documents(self) -> DocumentsController | None:
        """The documents tab's controller, building the tab if needed (None until the audit is loaded)."""
        if self._documents is None and self.audit is not None and not self.closed:
            self.view.documents  # noqa: B018
        return self._documents

    @property
    def is_lead(self) -> bool:
        """Whether "me" leads this audit: only the lead writes conclusions and starts the client sign-off."""
        return self.audit is not None and my_role(self.audit, self.user_id) is TeamRole.LEAD

    def _signoff_clicked(self) -> None:
        if self.is_lead:
            self.flush()
            emit(self.signoff_requested, self.audit_id)

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
        if self.closed:
            return
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
        if self._conclusions is not None:
            self._conclusions.flush()

    def close(self) -> None:
        self.flush()
        self.closed = True
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
