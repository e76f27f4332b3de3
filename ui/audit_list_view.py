"""Layout of the audit list page (no logic: see audit_list_controller)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.vocabulary import AUDIT_STATUS_LABELS
from app.i18n import _
from ui import theme
from ui.audit_list_model import ROW_ROLE, Column
from ui.queries import AuditRow
from ui.widgets import Heading, MutedLabel


class ProgressDelegate(QStyledItemDelegate):
    """A slim bar under the "answered/total" text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        row = index.data(ROW_ROLE)
        if not isinstance(row, AuditRow) or not row.items:
            return
        colours = theme.current()
        rect: QRect = option.rect.adjusted(6, option.rect.height() - 7, -6, -3)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.border))
        painter.drawRoundedRect(rect, 2, 2)
        filled = QRect(rect)
        filled.setWidth(int(rect.width() * row.progress))
        painter.setBrush(QColor(colours.ok if row.progress >= 1 else colours.accent))
        painter.drawRoundedRect(filled, 2, 2)
        painter.restore()


class AuditListView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditListView")
        self.heading = Heading(level=1)
        self.summary = MutedLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.mine_only = QCheckBox()
        self.refresh = QPushButton()
        self.open_button = QPushButton()
        self.open_button.setObjectName("primary")
        self.open_button.setEnabled(False)

        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegateForColumn(Column.PROGRESS, ProgressDelegate(self.table))
        self.empty = MutedLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.summary)
        top.addLayout(titles, 1)
        top.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignBottom)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.mine_only)
        filters.addStretch(0)
        filters.addWidget(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.body, 1)
        self.retranslate()

    def configure_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.CLIENT, QHeaderView.ResizeMode.Stretch)
        widths = {Column.STANDARDS: 150, Column.TYPE: 110, Column.DATES: 170, Column.ROLE: 100,
                  Column.PROGRESS: 90, Column.FINDINGS: 70, Column.SYNC: 130, Column.STATUS: 80}
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    def show_empty(self, empty: bool) -> None:
        self.body.setCurrentWidget(self.empty if empty else self.table)

    def retranslate(self) -> None:
        self.heading.setText(_("Audits"))
        self.search.setPlaceholderText(_("Search client, title, credit code or standard…"))
        current = self.status.currentData()
        self.status.blockSignals(True)
        self.status.clear()
        self.status.addItem(_("All statuses"), "")
        for status, label in AUDIT_STATUS_LABELS.items():
            self.status.addItem(_(label), status.value)
        self.status.setCurrentIndex(max(0, self.status.findData(current)))
        self.status.blockSignals(False)
        self.mine_only.setText(_("Only audits I am on"))
        self.refresh.setText(_("Refresh"))
        self.refresh.setToolTip(_("Reload the list from the local store (F5)"))
        self.open_button.setText(_("Open audit"))
        self.empty.setText(_("No audits in this profile yet.\n\nAudits assigned to you arrive when you "
                             "sync with the platform, or import an assignment file with:\n"
                             "fieldaudit audit import FILE"))
