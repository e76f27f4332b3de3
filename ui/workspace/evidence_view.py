"""Layout of the evidence page: thumbnail grid, preview and metadata of the selected file."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.widgets import AutoSaveLine, ErrorLabel, Heading, MutedLabel, master_detail
from ui.workspace.evidence_model import ICON_EDGE

META_FIELDS = ("file", "type", "size", "captured", "camera", "gps", "sha256", "state", "linked")


class EvidenceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceView")
        self.summary = MutedLabel()
        self.add_button = QPushButton()
        self.grid = QListView()
        self.grid.setObjectName("evidenceGrid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(ICON_EDGE, ICON_EDGE))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setSpacing(8)
        self.grid.setWordWrap(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.drop_hint = MutedLabel()
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.add_button)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.grid, 1)
        left_layout.addWidget(self.drop_hint)

        self.title = Heading(level=2)
        self.preview = QLabel()
        self.preview.setObjectName("evidencePreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(200)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.caption_label = QLabel()
        self.caption = AutoSaveLine()
        self.caption_error = ErrorLabel()
        self.meta_labels: dict[str, QLabel] = {}
        self.meta_values: dict[str, QLabel] = {}
        meta = QFormLayout()
        meta.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for name in META_FIELDS:
            label, value = QLabel(), QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.meta_labels[name], self.meta_values[name] = label, value
            meta.addRow(label, value)
        self.annotate_button = QPushButton()
        self.annotate_button.setObjectName("primary")
        card = QFrame()
        card.setObjectName("card")
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(16, 14, 16, 14)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.preview, 1)
        card_layout.addWidget(self.caption_label)
        card_layout.addWidget(self.caption)
        card_layout.addWidget(self.caption_error)
        card_layout.addLayout(meta)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.annotate_button)
        card_layout.addLayout(actions)
        self.nothing = MutedLabel()
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = card
        self.detail_stack = master_detail(self, left, [self.nothing, card])
        self.retranslate()

    def show_detail(self, visible: bool) -> None:
        self.detail_stack.setCurrentWidget(self.detail if visible else self.nothing)

    def retranslate(self) -> None:
        self.add_button.setText(_("Add files…"))
        self.drop_hint.setText(_("Drop photos and documents here, or on a checklist item to attach them to it."))
        self.nothing.setText(_("Select a photo or document to see it and its details."))
        self.caption_label.setText(_("Caption"))
        self.annotate_button.setText(_("Annotate…"))
        self.annotate_button.setToolTip(_("Draw on a copy of the photo; the original stays unchanged."))
        labels = {"file": _("File"), "type": _("Type"), "size": _("Size"), "captured": _("Captured"),
                  "camera": _("Camera"), "gps": _("Position"), "sha256": _("SHA-256"), "state": _("Stored"),
                  "linked": _("Linked to")}
        for name, text in labels.items():
            self.meta_labels[name].setText(text)
