"""The sync panel: state, progress, login, conflicts (both versions side by side) and rejections."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QListWidgetItem, QRadioButton, QTableWidgetItem, QWidget

from app.domain.base import field_label
from app.i18n import N_, _, ngettext
from app.progress import Progress
from ui.dates import when
from ui.language import Language
from ui.sync_controller import SyncController
from ui.sync_panel_view import SyncPanelView
from ui.sync_status import SyncStatus, current_values

ENTITY_NAMES = {"finding": N_("a finding"), "checklist_item": N_("a checklist answer"), "audit": N_("the audit"),
                "evidence": N_("an evidence file")}


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class SyncPanel(QObject):
    def __init__(self, parent: QWidget, sync: SyncController, language: Language, *, platform_url: str,
                 actor: str) -> None:
        super().__init__(parent)
        self.view = SyncPanelView(parent)
        self.sync = sync
        self.actor = actor
        self.view.server.setText(platform_url)
        self.conflict: dict[str, Any] | None = None
        self._choices: list[tuple[str, QRadioButton, QRadioButton]] = []
        v = self.view
        v.sync_button.clicked.connect(sync.sync_now)
        v.cancel_button.clicked.connect(sync.cancel)
        v.login_button.clicked.connect(self._login)
        v.conflicts.currentRowChanged.connect(self._show_conflict)
        v.conflict.keep_platform.clicked.connect(lambda: self._decide("server"))
        v.conflict.keep_mine.clicked.connect(lambda: self._decide("client"))
        v.conflict.merge.clicked.connect(lambda: self._decide("values"))
        # Kept, to be let go in dispose(): the sync controller outlives this panel.
        self._listening: list[tuple[Any, Callable[..., object]]] = [
            (sync.status_changed, self.show_status), (sync.busy_changed, self._busy),
            (sync.paused_changed, lambda _paused: self._busy(sync.busy)), (sync.progressed, self._progress),
            (sync.synced, self._synced), (sync.failed, v.error.show_error), (language.changed, self.retranslate)]
        for signal, slot in self._listening:
            signal.connect(slot)
        self._busy(sync.busy)
        self.show_status(sync.status)
        sync.refresh()

    def show(self) -> None:
        self.view.show()
        self.view.raise_()

    def dispose(self) -> None:
        """Stop listening, then let the widgets go: a round that ends later must not reach a deleted view."""
        for signal, slot in self._listening:
            signal.disconnect(slot)
        self._listening = []
        self.view.close()
        self.view.deleteLater()
        self.deleteLater()

    # -- state ---------------------------------------------------------------------------------
    def show_status(self, status: SyncStatus) -> None:
        v = self.view
        v.login_group.setVisible(not status.logged_in)
        v.sync_button.setEnabled(self._can_sync())
        lines = []
        if status.logged_in:
            lines.append(_("Connected to {server} as {user}.").format(server=status.server, user=status.username))
            lines.append(_("Last sync: {when}").format(when=when(status.last_synced_at)))
        else:
            lines.append(_("Not connected: log in with your platform account to receive your audits."))
        lines.append(ngettext("{count} change waiting to sync", "{count} changes waiting to sync",
                              status.pending).format(count=status.pending))
        if status.quarantined:
            lines.append(_("{count} change sets of audits you were removed from are kept in quarantine "
                           "(fieldaudit quarantine export).").format(count=status.quarantined))
        v.state.setText("\n".join(lines))
        if self.sync.last_error:
            v.error.show_error(self.sync.last_error + " " + _("You can keep working offline."))
        else:
            v.error.clear_error()
        v.conflicts.clear()
        for conflict in status.conflicts:
            audit = status.audit_titles.get(str(conflict.get("audit_id")), "")
            what = _(ENTITY_NAMES.get(str(conflict.get("entity")), N_("a record")))
            text = _("{audit}: {what} was changed by two people at the same time").format(audit=audit, what=what)
            if conflict.get("kind") == "edit_delete":
                text = _("{audit}: {what} was changed on one side and deleted on the other").format(
                    audit=audit, what=what)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, conflict)
            v.conflicts.addItem(item)
        if not status.conflicts:
            v.conflicts.addItem(_("No conflicts. Changes from others merged without problems."))
        v.rejected_list.clear()
        for rejection in status.rejected:
            v.rejected_list.addItem(_("{message} — what to do: edit the record again, or ask the lead auditor if the "
                                 "audit is closed.").format(message=rejection.get("message") or rejection.get(
                                     "error_code")))
        if not status.rejected:
            v.rejected_list.addItem(_("None."))
        v.conflict.setVisible(self.conflict is not None)

    def _can_sync(self) -> bool:
        """Not during a round, and not while client sign-off has sync paused."""
        return self.sync.status.logged_in and not self.sync.busy and not self.sync.paused

    def _busy(self, busy: bool) -> None:
        v = self.view
        v.progress.setVisible(busy)
        v.cancel_button.setVisible(busy)
        v.sync_button.setEnabled(self._can_sync())
        if busy:
            v.progress.setRange(0, 0)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.view.progress.setRange(0, max(total, 1))
        self.view.progress.setValue(done)
        self.view.progress.setFormat(label or "%p%")

    def _synced(self, report: Any) -> None:
        lines = report.lines() if hasattr(report, "lines") else []
        self.view.report.setText("\n".join(lines))

    def _login(self) -> None:
        v = self.view
        v.login_error.clear_error()
        job = self.sync.login(v.server.text().strip(), v.username.text().strip(), v.password.text())
        job.failed.connect(lambda error: v.login_error.show_error(str(error)))
        job.succeeded.connect(lambda _t: v.password.clear())

    # -- conflicts -----------------------------------------------------------------------------
    def _show_conflict(self, row: int) -> None:
        item = self.view.conflicts.item(row) if row >= 0 else None
        conflict = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.conflict = conflict if isinstance(conflict, dict) else None
        self.view.conflict.setVisible(self.conflict is not None)
        if self.conflict is None:
            return
        store, chosen = self.sync.session.store, self.conflict

        def work(_progress: Progress) -> dict[str, Any]:
            return current_values(store, chosen)

        job = self.sync.runner.database(work)
        job.succeeded.connect(lambda mine: self._fill_conflict(chosen, mine))

    def _fill_conflict(self, conflict: dict[str, Any], mine: dict[str, Any]) -> None:
        if conflict is not self.conflict:
            return
        view = self.view.conflict
        fields = list(conflict.get("fields") or []) or sorted(set(conflict.get("server_values", {}))
                                                              | set(conflict.get("client_values", {})))
        view.title.setText(_("Both versions"))
        view.explanation.setText(_("Tick the value to keep for each field, or keep one whole side. The decision "
                                   "is sent to the platform at the next sync."))
        view.table.setRowCount(len(fields))
        self._choices = []
        for row, name in enumerate(fields):
            theirs = conflict.get("server_values", {}).get(name)
            ours = conflict.get("client_values", {}).get(name, mine.get(name))
            view.table.setItem(row, 0, QTableWidgetItem(field_label((name,))))
            left, right = QRadioButton(shown(theirs)), QRadioButton(shown(ours))
            right.setAutoExclusive(False)
            left.setAutoExclusive(False)
            left.setChecked(True)
            left.toggled.connect(lambda on, other=right: other.setChecked(not on))
            right.toggled.connect(lambda on, other=left: other.setChecked(not on))
            view.table.setCellWidget(row, 1, left)
            view.table.setCellWidget(row, 2, right)
            self._choices.append((name, left, right))
        view.table.resizeRowsToContents()

    def _decide(self, resolution: str) -> None:
        conflict = self.conflict
        if conflict is None:
            return
        values: dict[str, Any] = {}
        if resolution == "values":
            for name, _theirs, ours in self._choices:
                source = "client_values" if ours.isChecked() else "server_values"
                values[name] = conflict.get(source, {}).get(name)
        job = self.sync.resolve(conflict, resolution, values, self.actor)
        job.failed.connect(lambda error: self.view.error.show_error(str(error)))
        self.conflict = None
        self.view.conflict.setVisible(False)

    def retranslate(self) -> None:
        self.view.retranslate()
        self.show_status(self.sync.status)
