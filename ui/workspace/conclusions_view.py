"""Layout of the lead auditor's report conclusions (ISO/IEC 17021-1 9.4.8): one widget per field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.base import FIELD_LABELS
from app.i18n import N_, _
from ui.widgets import AutoSaveLine, AutoSaveText, ErrorLabel, Heading, MutedLabel

# (section title, fields) in reading order, one column each (they fit 1366x768 without scrolling).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Audit, objectives and method"), ("cb_name", "objectives", "objectives_fulfilled", "deviations",
                                          "sampling")),
    (N_("Conclusions on the management system"), ("conformity", "effectiveness", "internal_audit")),
    (N_("Scope and recommendation"), ("scope_appropriate", "scope_note", "recommendation", "recommendation_note")),
    (N_("Follow-up and open issues"), ("previous_actions", "changes", "marks_use", "programme_issues",
                                       "unresolved_issues")),
)
LINE_FIELDS = ("cb_name",)
# These two show the standard wording as their placeholder: give them room to show it whole.
STRETCH = {"objectives": 3, "sampling": 3, "deviations": 1}
CHOICE_FIELDS = ("objectives_fulfilled", "scope_appropriate", "recommendation")
TEXT_FIELDS = tuple(name for _title, fields in SECTIONS for name in fields
                    if name not in LINE_FIELDS and name not in CHOICE_FIELDS)


class ConclusionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conclusionsView")
        self.title = Heading(level=2)
        self.hint = MutedLabel()
        self.saved = MutedLabel()
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.section_titles: list[tuple[Heading, str]] = []
        for name in LINE_FIELDS:
            self.fields[name] = AutoSaveLine()
        for name in CHOICE_FIELDS:
            self.fields[name] = QComboBox()
        for name in TEXT_FIELDS:
            text = AutoSaveText()
            text.setMinimumHeight(52)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)  # share the height
            self.fields[name] = text

        columns = QHBoxLayout()
        columns.setSpacing(12)
        for title, names in SECTIONS:
            card = QFrame()
            card.setObjectName("card")
            form = QVBoxLayout(card)
            form.setContentsMargins(16, 12, 16, 12)
            form.setSpacing(4)
            heading = Heading(level=3)
            self.section_titles.append((heading, title))
            form.addWidget(heading)
            for name in names:
                label = QLabel()
                label.setWordWrap(True)
                label.setBuddy(self.fields[name])
                self.labels[name] = label
                self.errors[name] = ErrorLabel()
                form.addWidget(label)
                form.addWidget(self.fields[name], STRETCH.get(name, 1 if name in TEXT_FIELDS else 0))
                form.addWidget(self.errors[name])
            columns.addWidget(card, 1)
        body = QWidget()
        body.setLayout(columns)
        columns.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.saved)
        self.retranslate()

    def combo(self, name: str) -> QComboBox:
        widget = self.fields[name]
        assert isinstance(widget, QComboBox)
        return widget

    def set_editable(self, editable: bool) -> None:
        for name, widget in self.fields.items():
            if isinstance(widget, (AutoSaveText, AutoSaveLine)):
                widget.setReadOnly(not editable)
            else:
                widget.setEnabled(editable)
            self.labels[name].setEnabled(True)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear_error()

    def retranslate(self) -> None:
        self.title.setText(_("Report conclusions"))
        for heading, title in self.section_titles:
            heading.setText(_(title))
        for name, label in self.labels.items():
            label.setText(_(FIELD_LABELS[name]))
