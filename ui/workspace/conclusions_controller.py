"""The lead auditor's report conclusions: each field saves on its own through the write path.

Only the lead auditor of the audit may write them (the platform refuses audit changes from other
team members), so everyone else sees them read-only.  A value is checked against the domain model
on the GUI thread first (pure and quick), so the reason appears under the field before anything
is sent; the store checks it again when it is written.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox

from app.domain import Audit
from app.domain.audit import AuditConclusion, Recommendation
from app.domain.base import parse
from app.errors import ValidationFailed
from app.i18n import _
from app.progress import Progress
from app.reporting.report_input import DEFAULT_OBJECTIVES, DEFAULT_SAMPLING, recommendation_label
from app.store import Store
from ui import operations
from ui.language import Language
from ui.runner import Runner
from ui.signals import emit
from ui.widgets import AutoSaveLine, AutoSaveText, show_field_problems
from ui.workspace.conclusions_view import LINE_FIELDS, TEXT_FIELDS, ConclusionsView


class ConclusionsController(QObject):
    changed = Signal()
    message = Signal(str)

    def __init__(self, view: ConclusionsView, runner: Runner, store: Store, *, actor: str, audit: Audit,
                 editable: bool, lead_name: str, language: Language) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.store = store
        self.actor = actor
        self.audit = audit
        self.editable = editable
        self.lead_name = lead_name
        view.set_editable(editable)
        for name in (*LINE_FIELDS, *TEXT_FIELDS):
            widget = view.fields[name]
            assert isinstance(widget, (AutoSaveLine, AutoSaveText))
            widget.commit.connect(lambda text, field=name: self.commit(field, text))
        for name in ("objectives_fulfilled", "scope_appropriate", "recommendation"):
            combo = view.combo(name)
            combo.currentIndexChanged.connect(lambda _i, field=name, box=combo: self.commit(field, box.currentData()))
        language.changed.connect(self.retranslate)
        self.retranslate()

    # -- showing ---------------------------------------------------------------------------
    def show(self, audit: Audit) -> None:
        self.audit = audit
        given = audit.conclusions or AuditConclusion()
        for name in (*LINE_FIELDS, *TEXT_FIELDS):
            widget = self.view.fields[name]
            assert isinstance(widget, (AutoSaveLine, AutoSaveText))
            widget.show_stored(str(getattr(given, name)))
        for name in ("objectives_fulfilled", "scope_appropriate", "recommendation"):
            value = getattr(given, name)
            self._select(self.view.combo(name), value.value if isinstance(value, Recommendation) else value)

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        combo.blockSignals(True)
        index = next((i for i in range(combo.count()) if combo.itemData(i) == value), 0)
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def flush(self) -> None:
        for name in (*LINE_FIELDS, *TEXT_FIELDS):
            widget = self.view.fields[name]
            assert isinstance(widget, (AutoSaveLine, AutoSaveText))
            widget.flush()

    # -- saving ----------------------------------------------------------------------------
    def commit(self, field: str, value: Any) -> None:
        if not self.editable:
            return
        self.view.errors[field].clear_error()
        current = self.audit.conclusions.model_dump(mode="json") if self.audit.conclusions is not None else {}
        try:
            parse(AuditConclusion, {**current, field: value})
        except ValidationFailed as error:
            self._show_problems(error)
            return
        store, actor, audit_id = self.store, self.actor, self.audit.id

        def work(_progress: Progress) -> Audit:
            return operations.set_conclusion(store, actor, audit_id, field, value)

        job = self.runner.database(work)
        job.succeeded.connect(self._saved)
        job.failed.connect(self._show_problems)

    def _saved(self, audit: Audit) -> None:
        self.audit = audit
        self.view.saved.setText(_("Saved"))
        emit(self.changed)

    def _show_problems(self, error: BaseException) -> None:
        show_field_problems(error, self.view.errors, lambda text: emit(self.message, text))

    # -- text ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        view = self.view
        view.retranslate()
        if self.editable:
            view.hint.setText(_("Your conclusions as lead auditor go into the report. Every field is saved as "
                                "you type; the report preview and export use what is saved here."))
        else:
            view.hint.setText(_("Only the lead auditor ({name}) can write the conclusions; you can read them "
                                "here.").format(name=self.lead_name or _("not assigned")))
        yes_no = ((None, _("Not stated yet")), (True, _("Yes")), (False, _("No")))
        for name in ("objectives_fulfilled", "scope_appropriate"):
            self._fill(view.combo(name), yes_no)
        self._fill(view.combo("recommendation"), [(None, _("Not decided yet"))] + [
            (choice.value, _(recommendation_label(choice, self.audit.audit_type))) for choice in Recommendation])
        objectives = view.fields["objectives"]
        sampling = view.fields["sampling"]
        assert isinstance(objectives, AutoSaveText) and isinstance(sampling, AutoSaveText)
        objectives.setPlaceholderText(_("Empty: the report uses the standard wording — {text}").format(
            text=_(DEFAULT_OBJECTIVES[self.audit.audit_type])))
        sampling.setPlaceholderText(_("Empty: the report uses the standard wording — {text}").format(
            text=_(DEFAULT_SAMPLING)))

    def _fill(self, combo: QComboBox, choices: Any) -> None:
        value = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for data, text in choices:
            combo.addItem(text, data)
        combo.blockSignals(False)
        self._select(combo, value)
