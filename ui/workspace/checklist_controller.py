"""Answering checklist items with one click or one key, and writing notes; every edit saves at once."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QItemSelection, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from app.domain import Answer, ChecklistItem
from app.errors import ValidationFailed
from app.i18n import _, current_language
from app.progress import Progress
from app.store import Store
from ui import operations
from ui.language import Language
from ui.runner import Runner
from ui.signals import emit
from ui.widgets import KeyForwarder
from ui.workspace import refnames
from ui.workspace.checklist_model import ANSWER_ORDER, KIND_ROLE, ChecklistModel
from ui.workspace.checklist_view import ChecklistView

ANSWER_KEYS = {Qt.Key.Key_1 + n: answer for n, answer in enumerate(ANSWER_ORDER)}
CLEAR_KEYS = {Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace}


class ChecklistController(QObject):
    changed = Signal()
    finding_requested = Signal(object)  # ChecklistItem
    message = Signal(str)

    def __init__(self, view: ChecklistView, runner: Runner, store: Store, *, actor: str, user_id: str,
                 team_names: dict[str, str], standards: list[str], language: Language, audit_id: str) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.store = store
        self.actor = actor
        self.user_id = user_id
        self.team_names = team_names
        self.standards = standards
        self.audit_id = audit_id
        self.model = ChecklistModel()
        view.tree.setModel(self.model)
        self.current_id: str | None = None
        self._keys = KeyForwarder(self._tree_key, view)
        view.tree.installEventFilter(self._keys)
        view.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        view.answers.idClicked.connect(self._answer_clicked)
        view.notes.commit.connect(self._notes_committed)
        view.raise_finding.clicked.connect(self._raise_finding)
        view.create_checklist.clicked.connect(self.create_checklist)
        view.only_mine.toggled.connect(lambda _on: self.load(list(self.model.items.values())))
        language.changed.connect(self.retranslate)

    # -- loading -------------------------------------------------------------------------
    def load(self, items: list[ChecklistItem]) -> None:
        keep = self.current_id
        self.model.load(items, self.user_id, self.view.only_mine.isChecked(), self.standards)
        self.view.configure_columns()
        self.view.tree.expandAll()
        self._update_summary()
        target = self.model.index_of(keep) if keep else None
        if target is None or not target.isValid():
            ids = self.model.ordered_ids()
            target = self.model.index_of(ids[0]) if ids else None
        if target is not None and target.isValid():
            self.select(self.model.item_at(target).id)  # type: ignore[union-attr]
        else:
            self.current_id = None
            self.view.show_detail(False)
        self.view.create_checklist.setVisible(not self.model.items)
        self.view.retranslate()

    def select(self, item_id: str) -> None:
        index = self.model.index_of(item_id)
        if index.isValid():
            self.view.tree.setCurrentIndex(index)
            self.view.tree.scrollTo(index)

    def current(self) -> ChecklistItem | None:
        return self.model.items.get(self.current_id) if self.current_id else None

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.view.notes.flush()  # notes typed for the previous item are saved to that item
        indexes = selected.indexes()
        item = self.model.item_at(indexes[0]) if indexes else None
        if item is None:
            self.current_id = None
            self.view.show_detail(bool(indexes and indexes[0].data(KIND_ROLE) == "item"))
            return
        self.current_id = item.id
        self._show(item)

    def _show(self, item: ChecklistItem) -> None:
        view = self.view
        view.show_detail(True)
        title = refnames.clause_title(item.standard, item.clause)
        view.clause.setText(f"{item.standard} · {item.clause}" + (f"  {title}" if title else ""))
        view.question.setText(item.question or _("No question text for this clause."))
        parts = []
        if item.assigned_to:
            who = self.team_names.get(item.assigned_to, item.assigned_to)
            parts.append(_("Assigned to me") if item.assigned_to == self.user_id
                         else _("Assigned to {name}").format(name=who))
        if item.also_covers:
            parts.append(_("Also covers: {standards}").format(standards=", ".join(item.also_covers)))
        if item.answered_at is not None:
            who = self.team_names.get(item.answered_by or "", item.answered_by or "")
            moment = QDateTime.fromSecsSinceEpoch(int(item.answered_at.timestamp()))
            when = QLocale().toString(moment, QLocale.FormatType.ShortFormat)
            parts.append(_("Answered by {name}, {when}").format(name=who, when=when))
        view.meta.setText(" · ".join(parts))
        view.meta.setVisible(bool(parts))
        for button in view.answer_buttons:
            button.setChecked(item.answer is not None and button.property("answer") == item.answer.value)
        view.notes.show_stored(item.notes)
        view.notes_error.clear_error()

    def create_checklist(self) -> None:
        store, actor, audit_id, language = self.store, self.actor, self.audit_id, current_language()

        def work(_progress: Progress) -> list[ChecklistItem]:
            return operations.create_checklist(store, actor, audit_id, language)

        self.view.create_checklist.setEnabled(False)
        job = self.runner.database(work, _("Creating the checklist"))
        job.succeeded.connect(self._checklist_created)
        job.failed.connect(lambda error: emit(self.message, str(error)))
        job.finished.connect(lambda: self.view.create_checklist.setEnabled(True))

    def _checklist_created(self, items: list[ChecklistItem]) -> None:
        self.load(items)
        emit(self.changed)

    # -- answering -----------------------------------------------------------------------
    def _tree_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key in ANSWER_KEYS and self.current_id:
            self.answer(self.current_id, ANSWER_KEYS[Qt.Key(key)], advance=True)
            return True
        if key in CLEAR_KEYS and self.current_id:
            self.answer(self.current_id, None)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_id:
            self.view.notes.setFocus()
            return True
        if key == Qt.Key.Key_F and self.current_id:
            self._raise_finding()
            return True
        return False

    def _answer_clicked(self, number: int) -> None:
        if self.current_id is None:
            return
        item = self.current()
        answer = ANSWER_ORDER[number - 1]
        # Clicking the answer already given takes it back.
        self.answer(self.current_id, None if item is not None and item.answer is answer else answer)

    def answer(self, item_id: str, answer: Answer | None, *, advance: bool = False) -> None:
        store, actor = self.store, self.actor

        def work(_progress: Progress) -> ChecklistItem:
            return operations.answer_item(store, actor, item_id, answer)

        job = self.runner.database(work)
        job.succeeded.connect(self._saved)
        job.failed.connect(self._failed)
        if advance:
            self._advance(item_id)

    def _advance(self, item_id: str) -> None:
        ids = self.model.ordered_ids()
        if item_id in ids and ids.index(item_id) + 1 < len(ids):
            self.select(ids[ids.index(item_id) + 1])

    def _notes_committed(self, text: str) -> None:
        item_id = self.current_id
        if item_id is None:
            return
        store, actor = self.store, self.actor

        def work(_progress: Progress) -> ChecklistItem:
            return operations.set_item_notes(store, actor, item_id, text)

        job = self.runner.database(work)
        job.succeeded.connect(self._saved)
        job.failed.connect(self._failed)

    def _saved(self, item: ChecklistItem) -> None:
        self.model.update_item(item)
        if item.id == self.current_id:
            self._show(item)
        self._update_summary()
        self.view.saved.setText(_("Saved"))
        emit(self.changed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ValidationFailed) and error.problems:
            self.view.notes_error.show_error("; ".join(reason for _path, reason in error.problems))
        else:
            emit(self.message, str(error))

    def _raise_finding(self) -> None:
        self.view.notes.flush()
        item = self.current()
        if item is not None:
            emit(self.finding_requested, item)

    # -- text ------------------------------------------------------------------------------
    def _update_summary(self) -> None:
        items = list(self.model.items.values())
        answered = sum(1 for i in items if i.answer is not None)
        mine = [i for i in items if self.user_id and i.assigned_to == self.user_id]
        text = _("{answered} of {total} answered").format(answered=answered, total=len(items))
        if mine:
            done = sum(1 for i in mine if i.answer is not None)
            text += " · " + _("mine: {done}/{total}").format(done=done, total=len(mine))
        self.view.summary.setText(text)

    def retranslate(self) -> None:
        self.view.retranslate()
        self.model.retranslate()
        self._update_summary()
        item = self.current()
        if item is not None:
            self._show(item)

