"""Raising and editing findings; each field saves on its own, reasons appear under the field.

A new finding is a draft until it is valid (it needs at least a statement);
from then on every change is a patch on the stored record.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QItemSelection, QObject, Signal

from app.domain import Audit, ChecklistItem, Finding
from app.domain.base import parse
from app.errors import ValidationFailed
from app.i18n import _, ngettext
from app.progress import Progress
from app.store import Store
from ui import operations
from ui.language import Language
from ui.runner import Runner
from ui.signals import emit
from ui.widgets import show_field_problems
from ui.workspace import refnames
from ui.workspace.findings_model import ID_ROLE, FindingsModel
from ui.workspace.findings_view import TEXT_FIELDS, FindingsView

EDITOR_FIELDS = ("clause_refs", "grade", "state", *TEXT_FIELDS)


class BadClauseRefs(ValueError):
    pass


def format_refs(refs: list[dict[str, str]]) -> str:
    return "; ".join(f"{ref['standard']} {ref['clause']}" for ref in refs)


def parse_refs(text: str, standards: list[str]) -> list[dict[str, str]]:
    """"ISO 9001 7.1.5; ISO 14001:2015 4.1" -> clause refs; a short standard name is completed."""
    refs = []
    for part in re.split(r"[;；\n]+", text):
        part = part.strip()
        if not part:
            continue
        pieces = part.rsplit(None, 1)
        if len(pieces) != 2:
            raise BadClauseRefs(part)
        standard, clause = pieces
        match = [s for s in standards if s == standard or s.split(":")[0] == standard]
        full = match[0] if match else (refnames.canonical_standard(standard) or standard)
        refs.append({"standard": full, "clause": clause})
    return refs


class FindingsController(QObject):
    changed = Signal()
    message = Signal(str)
    current_changed = Signal()

    def __init__(self, view: FindingsView, runner: Runner, store: Store, *, actor: str, audit: Audit,
                 language: Language) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.store = store
        self.actor = actor
        self.audit = audit
        self.model = FindingsModel()
        view.table.setModel(self.model)
        view.configure_columns()
        self.current_id: str | None = None
        self.draft: dict[str, Any] | None = None
        self._creating = False
        view.table.selectionModel().selectionChanged.connect(self._selection_changed)
        view.new_button.clicked.connect(self.new_blank)
        view.clause_refs.commit.connect(lambda text: self._commit("clause_refs", text))
        view.grade.currentIndexChanged.connect(lambda _i: self._commit("grade", view.grade.currentData()))
        view.state.currentIndexChanged.connect(lambda _i: self._commit("state", view.state.currentData()))
        for name in TEXT_FIELDS:
            getattr(view, name).commit.connect(lambda text, field=name: self._commit(field, text))
        language.changed.connect(self.retranslate)

    # -- showing -------------------------------------------------------------------------
    def load(self, findings: list[Finding]) -> None:
        self.model.set_findings(findings)
        self._update_summary()
        if self.draft is None and self.current_id is None:
            self.view.show_editor(False)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        finding_id = indexes[0].data(ID_ROLE)
        if finding_id == self.current_id:
            return
        self.flush()
        self.draft = None
        self.current_id = finding_id
        row = self.model.row_of(finding_id)
        self._show(self.model.findings[row].model_dump(mode="json"), draft=False)
        emit(self.current_changed)

    def _show(self, data: dict[str, Any], *, draft: bool) -> None:
        view = self.view
        view.show_editor(True)
        view.clear_errors()
        view.title.setText(_("New finding") if draft else _("Finding"))
        view.hint.setText(_("Draft: it is saved as soon as the statement is written.") if draft
                          else _("Every change is saved automatically."))
        view.clause_refs.show_stored(format_refs(data.get("clause_refs", [])))
        for combo, key in ((view.grade, "grade"), (view.state, "state")):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(data.get(key) or "raised")))
            combo.blockSignals(False)
        for name in TEXT_FIELDS:
            getattr(view, name).show_stored(str(data.get(name) or ""))
        source = data.get("checklist_item_id")
        view.source.setText(_("Raised from the checklist item on {refs}.").format(
            refs=format_refs(data.get("clause_refs", [])[:1])) if source else "")
        view.saved.setText("")

    def new_from_item(self, item: ChecklistItem) -> None:
        self.flush()
        self._start_draft(operations.finding_draft(item, self.actor))
        self.view.statement.setFocus()

    def new_blank(self) -> None:
        self.flush()
        standard = str(self.audit.standards[0])
        self._start_draft({"audit_id": self.audit.id, "clause_refs": [{"standard": standard, "clause": ""}],
                           "grade": "minor_nc", "statement": "", "raised_by": self.actor})
        self.view.clause_refs.setFocus()
        self.view.clause_refs.end(False)

    def _start_draft(self, draft: dict[str, Any]) -> None:
        self.view.table.clearSelection()
        self.current_id = None
        self.draft = draft
        self._show(draft, draft=True)
        emit(self.current_changed)

    def current(self) -> Finding | None:
        row = self.model.row_of(self.current_id) if self.current_id else -1
        return self.model.findings[row] if row >= 0 else None

    def flush(self) -> None:
        for name in ("clause_refs", *TEXT_FIELDS):
            getattr(self.view, name).flush()

    # -- saving --------------------------------------------------------------------------
    def _commit(self, field: str, value: Any) -> None:
        if self.draft is None and self.current_id is None:
            return
        self.view.errors[field].clear_error()
        if field == "clause_refs":
            try:
                value = parse_refs(str(value), [str(s) for s in self.audit.standards])
            except BadClauseRefs as bad:
                self.view.errors[field].show_error(
                    _("“{text}” is not a clause reference: write the standard, a space, then the clause "
                      "(for example ISO 9001:2015 7.1.5).").format(text=str(bad)))
                return
            unknown = [p for p in (refnames.clause_problem(r["standard"], r["clause"]) for r in value) if p]
            if unknown:
                self.view.errors[field].show_error(unknown[0])
                return
        if self.draft is not None:
            self.draft[field] = value
            self._try_create()
        elif self.current_id is not None:
            self._update(self.current_id, {field: value})

    def _try_create(self) -> None:
        if self._creating or self.draft is None:
            return
        try:
            parse(Finding, self.draft)
        except ValidationFailed as error:
            # Validation is pure and quick: show every reason now, under its field.
            self._show_problems(error)
            if not str(self.draft.get("statement") or "").strip():
                self.view.errors["statement"].show_error(_("Write the statement to save the finding."))
            return
        store, actor, data = self.store, self.actor, dict(self.draft)

        def work(_progress: Progress) -> Finding:
            return operations.create_finding(store, actor, data)

        self._creating = True
        job = self.runner.database(work, _("Saving the finding"))
        job.succeeded.connect(lambda finding: self._created(finding, data))
        job.failed.connect(self._create_failed)

    def _created(self, finding: Finding, sent: dict[str, Any]) -> None:
        self._creating = False
        draft, self.draft = self.draft or {}, None
        self.current_id = finding.id
        self.model.upsert(finding)
        self.view.table.blockSignals(True)
        self.view.table.selectRow(self.model.row_of(finding.id))
        self.view.table.blockSignals(False)
        self.view.title.setText(_("Finding"))
        self.view.hint.setText(_("Every change is saved automatically."))
        self.view.saved.setText(_("Saved"))
        self._update_summary()
        emit(self.changed)
        emit(self.current_changed)
        # Typed while the record was being created: send it as a normal change now.
        later = {k: v for k, v in draft.items() if k in EDITOR_FIELDS and sent.get(k) != v}
        if later:
            self._update(finding.id, later)

    def _create_failed(self, error: BaseException) -> None:
        self._creating = False
        self._show_problems(error)

    def _update(self, finding_id: str, changes: dict[str, Any]) -> None:
        store, actor = self.store, self.actor

        def work(_progress: Progress) -> Finding:
            return operations.update_finding(store, actor, finding_id, changes)

        job = self.runner.database(work)
        job.succeeded.connect(self._updated)
        job.failed.connect(self._show_problems)

    def _updated(self, finding: Finding) -> None:
        self.model.upsert(finding)
        self.view.saved.setText(_("Saved"))
        emit(self.changed)

    def _show_problems(self, error: BaseException) -> None:
        show_field_problems(error, self.view.errors, lambda text: emit(self.message, text))

    # -- text ------------------------------------------------------------------------------
    def _update_summary(self) -> None:
        count = len(self.model.findings)
        self.view.summary.setText(ngettext("{count} finding", "{count} findings", count).format(count=count))

    def retranslate(self) -> None:
        self.view.retranslate()
        self.model.retranslate()
        self._update_summary()
