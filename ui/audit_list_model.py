"""Qt item models for the audit list: the rows, and the search / filter in front of them."""

from __future__ import annotations

from enum import IntEnum
from functools import cmp_to_key
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from app.domain.vocabulary import AUDIT_STATUS_LABELS, AUDIT_TYPE_LABELS, TEAM_ROLE_LABELS, AuditStatus, AuditType
from app.i18n import N_, _, ngettext
from ui import theme
from ui.queries import AuditRow
from ui.signals import emit

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    CLIENT = 0
    STANDARDS = 1
    TYPE = 2
    DATES = 3
    ROLE = 4
    PROGRESS = 5
    FINDINGS = 6
    SYNC = 7
    STATUS = 8


# Qt asks for the row and column counts thousands of times while a proxy maps 500 rows: constants, not len(Enum).
COLUMN_COUNT = len(Column)

HEADERS = {
    Column.CLIENT: N_("Client"), Column.STANDARDS: N_("Standards"), Column.TYPE: N_("Audit type"),
    Column.DATES: N_("Dates"), Column.ROLE: N_("My role"), Column.PROGRESS: N_("Progress"),
    Column.FINDINGS: N_("Findings"), Column.SYNC: N_("Sync"), Column.STATUS: N_("Status"),
}


def short_standards(standards: tuple[str, ...]) -> str:
    # "ISO 9001:2015" -> "ISO 9001": the edition is the same for every audit of a standard.
    return " · ".join(s.split(":")[0] for s in standards)


def date_range(row: AuditRow) -> str:
    locale = QLocale()
    start = locale.toString(QDate(row.start.year, row.start.month, row.start.day), QLocale.FormatType.ShortFormat)
    if row.end == row.start:
        return start
    end = locale.toString(QDate(row.end.year, row.end.month, row.end.day), QLocale.FormatType.ShortFormat)
    return f"{start} – {end}"


def sync_text(row: AuditRow) -> str:
    if row.conflicts:
        return ngettext("{count} conflict to resolve", "{count} conflicts to resolve",
                        row.conflicts).format(count=row.conflicts)
    if row.pending:
        return ngettext("{count} change waiting", "{count} changes waiting", row.pending).format(count=row.pending)
    if not row.synced_once:
        return _("Not synced yet")
    return _("Up to date")


class AuditListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []
        self._keys: dict[int, list[Any]] = {}

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._keys.clear()
        self.endResetModel()

    def sort_keys(self, column: int) -> list[Any]:
        """One plain comparable key per row, computed once per column (text ranked by the locale's collation).

        Sorting 500 audits through ``data()`` cost ~5,000 calls from C++ into Python per sort.
        """
        keys = self._keys.get(column)
        if keys is None:
            keys = [self._sort_key(row, Column(column)) for row in self.rows]
            if keys and all(isinstance(key, str) for key in keys):
                collator = QCollator(QLocale())
                rank = {text: n for n, text in enumerate(sorted(set(keys), key=cmp_to_key(collator.compare)))}
                keys = [rank[key] for key in keys]
            self._keys[column] = keys
        return keys

    def clear(self) -> None:
        self.set_rows([])

    def retranslate(self) -> None:
        self._keys.clear()
        emit(self.headerDataChanged, Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self.rows:
            emit(self.dataChanged, self.index(0, 0), self.index(len(self.rows) - 1, len(Column) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[Column(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.CLIENT:
            return f"{row.title}\n{_('Unified social credit code')}: {row.uscc}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.SYNC and row.conflicts:
                return QColor(theme.current().error)
            if column == Column.SYNC and row.pending:
                return QColor(theme.current().warn)
            if (column == Column.ROLE and row.my_role is None) or (column == Column.PROGRESS and not row.items):
                return QColor(theme.current().muted)
        return None

    def _display(self, row: AuditRow, column: Column) -> str:
        if column == Column.CLIENT:
            return row.client
        if column == Column.STANDARDS:
            return short_standards(row.standards)
        if column == Column.TYPE:
            return _(AUDIT_TYPE_LABELS[AuditType(row.audit_type)])
        if column == Column.DATES:
            return date_range(row)
        if column == Column.ROLE:
            return _(TEAM_ROLE_LABELS[row.my_role]) if row.my_role else _("Not on the team")
        if column == Column.PROGRESS:
            return f"{row.answered}/{row.items}" if row.items else _("No checklist")
        if column == Column.FINDINGS:
            return QLocale().toString(row.findings)
        if column == Column.SYNC:
            return sync_text(row)
        return _(AUDIT_STATUS_LABELS[AuditStatus(row.status)])

    def _sort_key(self, row: AuditRow, column: Column) -> Any:
        if column == Column.DATES:
            return row.start.isoformat()
        if column == Column.PROGRESS:
            return row.progress
        if column == Column.FINDINGS:
            return row.findings
        if column == Column.SYNC:
            return (row.conflicts, row.pending)
        return self._display(row, column)


class AuditFilter(QSortFilterProxyModel):
    """Search text over client, title, code and standards; status and "mine only" filters."""

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._status: str | None = None
        self._mine_only = False
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    def set_text(self, text: str) -> None:
        self._text = text.strip().casefold()
        self.invalidateFilter()

    def set_status(self, status: str | None) -> None:
        self._status = status or None
        self.invalidateFilter()

    def set_mine_only(self, mine: bool) -> None:
        self._mine_only = mine
        self.invalidateFilter()

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, AuditListModel)
        keys = model.sort_keys(left.column())
        return bool(keys[left.row()] < keys[right.row()])

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not (self._status or self._mine_only or self._text):
            return True
        model = self.sourceModel()
        assert isinstance(model, AuditListModel)
        row = model.rows[source_row]
        if self._status and row.status != self._status:
            return False
        if self._mine_only and row.my_role is None:
            return False
        if self._text:
            haystack = " ".join([row.client, row.title, row.uscc, *row.standards]).casefold()
            return all(part in haystack for part in self._text.split())
        return True
