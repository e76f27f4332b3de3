"""Layout of the checklist page: clause tree on the left, the selected item on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.checklist import ANSWER_LABELS
from app.i18n import _
from ui.widgets import AutoSaveText, ErrorLabel, Heading, MutedLabel, master_detail
from ui.workspace.checklist_model import ANSWER_ORDER


class ChecklistView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistView")
        self.only_mine = QCheckBox()
        self.summary = MutedLabel()
        self.tree = QTreeView()
        self.tree.setObjectName("checklistTree")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAllColumnsShowFocus(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.only_mine)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.tree, 1)
        self.keys_hint = MutedLabel()
        left_layout.addWidget(self.keys_hint)

        # Right: the selected item.
        self.clause = Heading(level=2)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = MutedLabel()
        self.answer_title = Heading(level=3)
        self.answers = QButtonGroup(self)
        self.answers.setExclusive(False)
        self.answer_buttons: list[QPushButton] = []
        grid = QGridLayout()
        grid.setSpacing(6)
        for number, answer in enumerate(ANSWER_ORDER, start=1):
            button = QPushButton()
            button.setObjectName("answer")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setProperty("answer", answer.value)
            self.answers.addButton(button, number)
            self.answer_buttons.append(button)
            grid.addWidget(button, (number - 1) // 3, (number - 1) % 3)
        self.notes_title = Heading(level=3)
        self.notes = AutoSaveText()
        self.notes.setObjectName("itemNotes")
        self.notes_error = ErrorLabel()
        self.raise_finding = QPushButton()
        self.raise_finding.setObjectName("primary")
        self.saved = MutedLabel()

        detail = QFrame()
        detail.setObjectName("card")
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(18, 16, 18, 16)
        detail_layout.setSpacing(8)
        detail_layout.addWidget(self.clause)
        detail_layout.addWidget(self.question)
        detail_layout.addWidget(self.meta)
        detail_layout.addSpacing(6)
        detail_layout.addWidget(self.answer_title)
        detail_layout.addLayout(grid)
        detail_layout.addSpacing(6)
        detail_layout.addWidget(self.notes_title)
        detail_layout.addWidget(self.notes, 1)
        detail_layout.addWidget(self.notes_error)
        actions = QHBoxLayout()
        actions.addWidget(self.saved, 1)
        actions.addWidget(self.raise_finding)
        detail_layout.addLayout(actions)

        self.nothing = MutedLabel()
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create_checklist = QPushButton()
        self.create_checklist.setObjectName("primary")
        self.create_checklist.hide()
        nothing_page = QWidget()
        nothing_layout = QVBoxLayout(nothing_page)
        nothing_layout.addStretch(1)
        nothing_layout.addWidget(self.nothing)
        nothing_layout.addWidget(self.create_checklist, 0, Qt.AlignmentFlag.AlignHCenter)
        nothing_layout.addStretch(1)
        self.nothing_page = nothing_page
        self.detail = detail
        self.detail_stack = master_detail(self, left, [nothing_page, detail])
        self.setTabOrder(self.tree, self.answer_buttons[0])
        self.setTabOrder(self.answer_buttons[-1], self.notes)
        self.setTabOrder(self.notes, self.raise_finding)
        self.retranslate()

    def configure_columns(self) -> None:
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def show_detail(self, visible: bool) -> None:
        self.detail_stack.setCurrentWidget(self.detail if visible else self.nothing_page)

    def retranslate(self) -> None:
        self.only_mine.setText(_("Only my clauses"))
        self.answer_title.setText(_("Answer"))
        self.notes_title.setText(_("Notes and objective evidence seen"))
        self.notes.setPlaceholderText(_("What was seen, who was interviewed, which records… (saved automatically)"))
        self.raise_finding.setText(_("Raise finding…"))
        self.raise_finding.setToolTip(_("Create a finding on this clause (F)"))
        self.nothing.setText(_("This audit has no checklist yet.") if self.create_checklist.isVisibleTo(self)
                             else _("Select a checklist item on the left."))
        self.create_checklist.setText(_("Create the checklist from the clause catalogue"))
        self.keys_hint.setText(_("Keys: 1–6 answer · 0 clears · Enter writes notes · F raises a finding"))
        for number, button in enumerate(self.answer_buttons, start=1):
            button.setText(f"{number}  {_(ANSWER_LABELS[ANSWER_ORDER[number - 1]])}")
            button.setToolTip(_("Press {key} in the checklist").format(key=number))
