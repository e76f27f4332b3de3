"""Layout of the findings page: the list, and the editor of the selected finding."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.finding import FINDING_STATE_LABELS, GRADE_LABELS
from app.i18n import _
from ui.widgets import AutoSaveLine, AutoSaveText, ErrorLabel, Heading, MutedLabel, master_detail

# Editor fields in tab order: (attribute, domain field).
TEXT_FIELDS = ("requirement", "objective_evidence", "statement")


class FindingsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsView")
        self.summary = MutedLabel()
        self.new_button = QPushButton()
        self.table = QTableView()
        self.table.setObjectName("findingsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.new_button)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table, 1)

        self.title = Heading(level=2)
        self.hint = MutedLabel()
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.clause_refs = AutoSaveLine()
        self.grade = QComboBox()
        self.state = QComboBox()
        self.requirement = AutoSaveText()
        self.objective_evidence = AutoSaveText()
        self.statement = AutoSaveText()
        self.statement.setObjectName("findingStatement")
        self.source = MutedLabel()
        self.linked_title = QLabel()
        self.linked_title.setObjectName("heading3")
        self.linked = MutedLabel()
        self.saved = MutedLabel()

        editor = QFrame()
        editor.setObjectName("card")
        form = QVBoxLayout(editor)
        form.setContentsMargins(18, 16, 18, 16)
        form.setSpacing(4)
        form.addWidget(self.title)
        form.addWidget(self.hint)
        row = QHBoxLayout()
        for name, widget in (("grade", self.grade), ("state", self.state)):
            column = QVBoxLayout()
            column.addWidget(self._label(name))
            column.addWidget(widget)
            column.addWidget(self._error(name))
            row.addLayout(column, 1)
        self._add(form, "clause_refs", self.clause_refs)
        form.addLayout(row)
        for name in TEXT_FIELDS:
            editor_widget: AutoSaveText = getattr(self, name)
            editor_widget.setMinimumHeight(56)
            editor_widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            self._add(form, name, editor_widget, stretch=2 if name == "statement" else 1)
        form.addWidget(self.linked_title)
        form.addWidget(self.linked)
        form.addWidget(self.source)
        form.addWidget(self.saved)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(editor)
        self.editor = editor

        self.nothing = MutedLabel()
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scroll = scroll
        self.editor_stack = master_detail(self, left, [self.nothing, scroll], stretch=(4, 5))
        self.setTabOrder(self.clause_refs, self.grade)
        self.setTabOrder(self.grade, self.state)
        self.setTabOrder(self.state, self.requirement)
        self.setTabOrder(self.requirement, self.objective_evidence)
        self.setTabOrder(self.objective_evidence, self.statement)
        self.retranslate()

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName("heading3")
        self.labels[name] = label
        return label

    def _error(self, name: str) -> ErrorLabel:
        error = ErrorLabel()
        self.errors[name] = error
        return error

    def _add(self, form: QVBoxLayout, name: str, widget: QWidget, stretch: int = 0) -> None:
        form.addWidget(self._label(name))
        form.addWidget(widget, stretch)
        form.addWidget(self._error(name))

    def configure_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def show_editor(self, visible: bool) -> None:
        self.editor_stack.setCurrentWidget(self._scroll if visible else self.nothing)

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_error()

    def fill_choices(self) -> None:
        for combo, labels in ((self.grade, GRADE_LABELS), (self.state, FINDING_STATE_LABELS)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for value, label in labels.items():
                combo.addItem(_(label), value.value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def retranslate(self) -> None:
        self.new_button.setText(_("New finding"))
        self.linked_title.setText(_("Linked evidence"))
        self.nothing.setText(_("No finding selected.\nRaise one from a checklist item (F) or with "
                               "“New finding”."))
        texts = {
            "clause_refs": _("Clause references (standard and clause; separate several with ;)"),
            "grade": _("Grade"), "state": _("State"), "requirement": _("Requirement"),
            "objective_evidence": _("Objective evidence"), "statement": _("Statement of nonconformity"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
        self.clause_refs.setPlaceholderText("ISO 9001:2015 7.1.5")
        self.statement.setPlaceholderText(_("What does not meet which requirement (required)"))
        self.fill_choices()
