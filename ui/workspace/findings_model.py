"""The findings of one audit as a table: grade, clauses, statement, state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain import Finding
from app.domain.finding import FINDING_STATE_LABELS, GRADE_LABELS
from app.i18n import N_, _
from ui import theme
from ui.signals import emit

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = (N_("Grade"), N_("Clauses"), N_("Statement"), N_("State"))


def clause_text(finding: Finding) -> str:
    return "; ".join(f"{ref.standard.split(':')[0]} {ref.clause}" for ref in finding.clause_refs)


class FindingsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self.findings = list(findings)
        self.endResetModel()

    def upsert(self, finding: Finding) -> int:
        for row, existing in enumerate(self.findings):
            if existing.id == finding.id:
                self.findings[row] = finding
                emit(self.dataChanged, self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return row
        row = len(self.findings)
        self.beginInsertRows(QModelIndex(), row, row)
        self.findings.append(finding)
        self.endInsertRows()
        return row

    def row_of(self, finding_id: str) -> int:
        return next((r for r, f in enumerate(self.findings) if f.id == finding_id), -1)

    def retranslate(self) -> None:
        emit(self.headerDataChanged, Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.findings:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self.findings) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        finding = self.findings[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return finding.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _(GRADE_LABELS[finding.grade])
            if column == 1:
                return clause_text(finding)
            if column == 2:
                return finding.statement.replace("\n", " ")
            return _(FINDING_STATE_LABELS[finding.state])
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor(theme.ANSWER_COLOURS.get(finding.grade.value, theme.current().text))
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return finding.statement
        return None
