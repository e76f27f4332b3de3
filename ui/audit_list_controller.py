"""Loads the audit list on the database thread and drives search, filters and opening."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from app.i18n import _, ngettext
from app.progress import Progress
from ui.audit_list_model import ROW_ROLE, AuditFilter, AuditListModel, Column
from ui.audit_list_view import AuditListView
from ui.language import Language
from ui.queries import AuditListSnapshot, AuditRow, load_audit_list
from ui.runner import Job, Runner
from ui.signals import emit

if TYPE_CHECKING:
    from app.store import Store


def start_loading(runner: Runner, store: Store, user_id: str) -> Job:
    """Queue the read of the audit list; it can start before the list's widgets exist."""

    def work(_progress: Progress) -> AuditListSnapshot:
        return load_audit_list(store, user_id)

    return runner.database(work, _("Loading audits"))


class AuditListController(QObject):
    open_requested = Signal(str)
    loaded = Signal(object)  # AuditListSnapshot
    failed = Signal(str)

    def __init__(self, view: AuditListView, runner: Runner, store: Store, user_id: Callable[[], str],
                 language: Language) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.store = store
        self._user_id = user_id
        self.model = AuditListModel()
        self.proxy = AuditFilter()
        self.proxy.setSourceModel(self.model)
        view.table.setModel(self.proxy)
        view.configure_columns()
        view.table.sortByColumn(Column.DATES, Qt.SortOrder.DescendingOrder)
        self.snapshot: AuditListSnapshot | None = None
        view.search.textChanged.connect(self._filter_changed)
        view.status.currentIndexChanged.connect(self._filter_changed)
        view.mine_only.toggled.connect(self._filter_changed)
        view.refresh.clicked.connect(self.reload)
        view.table.doubleClicked.connect(self._open_index)
        view.table.activated.connect(self._open_index)
        view.open_button.clicked.connect(self._open_current)
        view.table.selectionModel().selectionChanged.connect(self._selection_changed)
        QShortcut(QKeySequence(Qt.Key.Key_F5), view, self.reload)
        QShortcut(QKeySequence.StandardKey.Find, view, view.search.setFocus)
        language.changed.connect(self.retranslate)
        self.retranslate()

    def reload(self) -> None:
        self.receive(start_loading(self.runner, self.store, self._user_id()))

    def receive(self, job: Job) -> None:
        """Show the list ``job`` (from :func:`start_loading`) reads; connect before control returns to Qt."""
        job.succeeded.connect(self._loaded)
        job.failed.connect(lambda error: emit(self.failed, str(error)))

    def _loaded(self, snapshot: AuditListSnapshot) -> None:
        self.snapshot = snapshot
        self.model.set_rows(snapshot.rows)
        self.view.show_empty(not snapshot.rows)
        self._update_summary()
        if snapshot.rows and not self.view.table.selectionModel().hasSelection():
            self.view.table.selectRow(0)
        emit(self.loaded, snapshot)

    def _filter_changed(self) -> None:
        self.proxy.set_text(self.view.search.text())
        self.proxy.set_status(str(self.view.status.currentData() or ""))
        self.proxy.set_mine_only(self.view.mine_only.isChecked())
        self._update_summary()

    def _update_summary(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        text = ngettext("{count} audit", "{count} audits", total).format(count=total)
        if shown != total:
            text = _("{shown} of {total} audits shown").format(shown=shown, total=total)
        if self.snapshot and self.snapshot.pending_total:
            text += " · " + ngettext("{count} change waiting to sync", "{count} changes waiting to sync",
                                     self.snapshot.pending_total).format(count=self.snapshot.pending_total)
        self.view.summary.setText(text)

    def _selection_changed(self) -> None:
        self.view.open_button.setEnabled(self.current_row() is not None)

    def current_row(self) -> AuditRow | None:
        indexes = self.view.table.selectionModel().selectedRows()
        if not indexes:
            return None
        row = indexes[0].data(ROW_ROLE)
        return row if isinstance(row, AuditRow) else None

    def _open_index(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, AuditRow):
            emit(self.open_requested, row.id)

    def _open_current(self) -> None:
        row = self.current_row()
        if row is not None:
            emit(self.open_requested, row.id)

    def retranslate(self) -> None:
        self.view.retranslate()
        self.model.retranslate()
        self._update_summary()
