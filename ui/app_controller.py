"""Glue of the desktop app: unlock -> audits -> workspace, auto-lock, settings, shutdown.

Audit data exists in widgets only while the profile is unlocked: locking
deletes every data page and closes the session on the database thread.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QStackedWidget

from app import settings as settings_store
from app.i18n import _
from app.progress import Progress
from app.settings import Settings
from ui import status_texts
from ui.idle import IdleWatcher
from ui.language import Language
from ui.main_window import MainWindow
from ui.runner import Runner
from ui.unlock_controller import UnlockController
from ui.unlock_view import UnlockView
from ui.widgets import after_first_paint, after_next_paint

if TYPE_CHECKING:
    from app.services.session import Session
    from ui.audit_list_controller import AuditListController
    from ui.queries import AuditListSnapshot
    from ui.signoff.signoff_controller import SignOffController
    from ui.sync_controller import EngineFactory, SyncController
    from ui.sync_panel import SyncPanel
    from ui.sync_status import SyncStatus
    from ui.workspace.controller import WorkspaceController
    from ui.workspace.evidence_controller import EvidenceAccess

# The data screens (audit list, workspace, sync, settings) are imported when first needed, so the unlock
# screen appears without waiting for them.  They are not pre-imported on a worker thread: modules such as
# QtPdfWidgets initialise Qt state that must be created on the GUI thread.

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


def _import_list_modules() -> None:
    """The audit list's Qt modules, imported on the GUI thread while the unlock runs on the database thread."""
    import ui.audit_list_controller
    import ui.audit_list_view  # noqa: F401


def _preload_core_modules() -> None:
    import importlib

    for name in ("app.services.session", "ui.queries", "ui.sync_status"):  # no Qt in any of them
        importlib.import_module(name)


class AppController(QObject):
    def __init__(self, app: QApplication, profile_dir: Path, *, settings_path: Path | None = None,
                 create_cost: dict[str, int] | None = None, qsettings: QSettings | None = None,
                 sync_engine_factory: EngineFactory | None = None) -> None:
        super().__init__(app)
        self.app = app
        self.profile_dir = profile_dir
        self.settings_path = settings_path
        self._engine_factory = sync_engine_factory
        self.settings, self.settings_problem = settings_store.load_or_default(settings_path)
        self.qsettings = qsettings or QSettings("FieldAudit", "FieldAudit")
        self.language = Language(app)
        self.runner = Runner()
        self._shut_down = False
        self._pending = 0
        self._sync_starting = False
        self.session: Session | None = None
        self.platform_user = ""
        self._sync_state: SyncStatus | None = None
        self.evidence: EvidenceAccess | None = None
        self.sync: SyncController | None = None
        self.sync_panel: SyncPanel | None = None
        self.window = MainWindow()
        self.unlock_view = UnlockView()
        self.unlock = UnlockController(self.unlock_view, self.runner, profile_dir, self.language, create_cost)
        self.unlock.unlocked.connect(self._unlocked)
        self.unlock.unlocking.connect(_import_list_modules)
        self.idle = IdleWatcher(app, self.settings.auto_lock_minutes)
        self.idle.timed_out.connect(self.lock)
        self.data_page: QStackedWidget | None = None
        self.audits: AuditListController | None = None
        self.workspace: WorkspaceController | None = None
        self.signoff: SignOffController | None = None
        self.window.lock_action.triggered.connect(self.lock)
        self.window.quit_action.triggered.connect(self.window.close)
        self.window.settings_action.triggered.connect(self.open_settings)
        self.window.audits_action.triggered.connect(self.show_audits)
        self.window.about_action.triggered.connect(self._about)
        self.window.sync_action.triggered.connect(self.open_sync_panel)
        self.window.closing.connect(self.shutdown)
        self.language.changed.connect(self.retranslate)
        self.window.show_page(self.unlock_view)

    # -- start and stop ------------------------------------------------------------------
    def start(self, try_remembered_key: bool = True) -> None:
        self.language.apply(self.settings.language)
        self._restore_geometry()
        self.window.show()
        if try_remembered_key:
            self.unlock.try_remembered_key()
        # After the first paint, while the passphrase is typed (and its key derived), load the Qt-free
        # modules the next screens need on an idle pool thread, so the audit list and sync do not wait.
        after_first_paint(self.unlock_view, self._preload)

    def _preload(self) -> None:
        # An unlock already running imports what it needs itself; a preload beside it only slows it down.
        if self.session is None and not self.unlock.busy:
            self.runner.network(lambda _progress: _preload_core_modules())

    def shutdown(self) -> None:
        """Save what is being typed, close the session where it was opened, stop the workers."""
        if self._shut_down:
            return
        self._shut_down = True
        self._end_signoff()
        self._save_geometry()
        self._flush_edits()
        self._stop_sync()
        session, self.session = self.session, None
        evidence, self.evidence = self.evidence, None
        if session is not None:
            if evidence is not None:
                with contextlib.suppress(Exception):
                    self.runner.wait_database(evidence.close)
            with contextlib.suppress(Exception):
                self.runner.wait_database(session.close)
        self.runner.shutdown()
        self.idle.disarm()
        self.app.removeEventFilter(self.idle)

    def _restore_geometry(self) -> None:
        geometry = self.qsettings.value(GEOMETRY_KEY)
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        else:
            self.window.resize(1280, 760)

    def _save_geometry(self) -> None:
        self.qsettings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        self.qsettings.sync()

    # -- unlocked / locked ---------------------------------------------------------------
    @property
    def actor(self) -> str:
        return self.settings.user_id or (self.session.actor if self.session else "local")

    def _unlocked(self, session: Session) -> None:
        from ui.audit_list_controller import AuditListController, start_loading
        from ui.audit_list_view import AuditListView

        self.session = session
        # Reading the list first lets SQLite decrypt its pages on the database thread while the widgets are built.
        first_load = start_loading(self.runner, session.store, self.user_id)
        page = QStackedWidget()
        page.setObjectName("dataPage")
        list_view = AuditListView()
        page.addWidget(list_view)
        self.audits = AuditListController(list_view, self.runner, session.store, lambda: self.user_id,
                                          self.language)
        self.audits.receive(first_load)
        self.audits.open_requested.connect(self.open_audit)
        self.audits.loaded.connect(self._list_loaded)
        self.audits.failed.connect(self.window.status_message.setText)
        self.data_page = page
        self.window.show_page(page)
        self.window.set_unlocked(True)
        self.idle.arm()
        self.retranslate()
        if self.settings_problem is not None:
            self.window.status_message.setText(str(self.settings_problem))

    def _start_sync(self) -> None:
        """Sync starts once the audit list is on screen: its modules and first status read can wait."""
        from ui.sync_controller import SyncController, default_engine

        self._sync_starting = False
        if self.session is None or self.sync is not None:
            return
        self.sync = SyncController(self.runner, self.session,
                                   interval_minutes=lambda: self.settings.sync_interval_minutes,
                                   engine_factory=self._engine_factory or default_engine)
        self.sync.status_changed.connect(self._sync_status)
        self.sync.synced.connect(self._synced)
        self.sync.failed.connect(self._sync_failed)
        if self.signoff is not None:
            self.sync.pause()
        self.sync.refresh()

    def lock(self) -> None:
        """Hide every piece of audit data and close the session until the passphrase is typed again."""
        if self.session is None:
            return
        self._flush_edits()
        self.idle.disarm()
        self._end_signoff()
        # Dialogs (annotation editor, settings, messages) may show audit data: close them all now.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self._stop_sync()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        self.audits = None
        if self.data_page is not None:
            self.window.remove_page(self.data_page)
            self.data_page = None
        session, self.session = self.session, None
        evidence, self.evidence = self.evidence, None

        def close(_progress: Progress) -> None:
            try:
                if evidence is not None:
                    evidence.close()
            finally:
                session.close()

        self.runner.database(close, _("Locking"))
        self.window.set_unlocked(False)
        self.window.show_page(self.unlock_view)
        self.unlock.reset()

    def _stop_sync(self) -> None:
        if self.sync_panel is not None:
            self.sync_panel.dispose()
            self.sync_panel = None
        if self.sync is not None:
            self.sync.stop()
            self.sync = None
        self.platform_user = ""

    @property
    def user_id(self) -> str:
        """Who "me" is: the platform account this profile is logged in with, else the setting."""
        return self.platform_user or self.settings.user_id

    def open_sync_panel(self) -> None:
        from ui.sync_panel import SyncPanel

        if self.signoff is not None:  # the client holds the laptop (F9 is off too)
            return
        self._start_sync()
        if self.sync is None or self.session is None:
            return
        if self.sync_panel is None:
            self.sync_panel = SyncPanel(self.window, self.sync, self.language,
                                        platform_url=self.settings.platform_url, actor=self.actor)
        self.sync_panel.show()

    def _sync_status(self, status: SyncStatus) -> None:
        changed = status.user_id != self.platform_user
        self.platform_user = status.user_id
        self._sync_state = status
        self._status_texts()
        self._show_pending(status.pending)
        if changed and self.audits is not None:
            self.audits.reload()

    def _sync_failed(self, reason: str) -> None:
        self.window.status_message.setText(reason)
        self._status_texts()

    def _synced(self, _report: object) -> None:
        self.window.status_message.setText(_("Sync finished."))
        if self.audits is not None:
            self.audits.reload()
        if self.workspace is not None:
            self.workspace.load()

    @property
    def locked(self) -> bool:
        return self.session is None

    def _flush_edits(self) -> None:
        # A field being typed in saves on focus loss: its save job is queued before anything that follows.
        focused = QApplication.focusWidget()
        if focused is not None:
            focused.clearFocus()
        if self.workspace is not None:
            self.workspace.flush()

    # -- navigation ----------------------------------------------------------------------
    def open_audit(self, audit_id: str) -> None:
        from ui.workspace.controller import WorkspaceController

        if self.session is None or self.data_page is None:
            return
        if self.evidence is None:
            from ui.workspace.evidence_controller import EvidenceAccess

            self.evidence = EvidenceAccess(self.session)
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = WorkspaceController(self.runner, self.session.store, audit_id, self.language,
                                             actor=self.actor, user_id=self.user_id,
                                             evidence=self.evidence, session=self.session)
        self.workspace.back_requested.connect(self.show_audits)
        self.workspace.signoff_requested.connect(self.start_signoff)
        self.workspace.message.connect(self.window.status_message.setText)
        self.workspace.changed.connect(self._refresh_counts)
        self.data_page.addWidget(self.workspace.view)
        self.data_page.setCurrentWidget(self.workspace.view)
        self.workspace.load()

    # -- client sign-off -------------------------------------------------------------------
    def start_signoff(self, audit_id: str) -> None:
        """Hand the laptop to the client: only this audit's findings, full screen, passphrase to leave."""
        from ui.signoff import mode
        from ui.signoff.signoff_controller import SignOffController

        if self.session is None or self.workspace is None or self.signoff is not None:
            return
        if self.workspace.audit_id != audit_id or not self.workspace.is_lead:
            return
        self._flush_edits()
        if self.sync_panel is not None:
            self.sync_panel.view.hide()
        self.signoff = SignOffController(self.runner, self.session, audit_id, actor=self.actor, role="lead")
        self.signoff.left.connect(self._signoff_left)
        # The answers and the signature are recorded one after the other: a round in between would push
        # answers the platform refuses unsigned.  No round starts until the auditor is back.
        if self.sync is not None:
            self.sync.pause()
        mode.enter(self.window, self.signoff)

    def _signoff_left(self) -> None:
        """The auditor typed the passphrase: back to the workspace, with the answers just given."""
        self._end_signoff()
        if self.sync is not None:
            self.sync.resume()  # (locking or quitting stops sync instead)
        self.window.status_message.setText(_("Client sign-off ended."))
        if self.workspace is not None:
            self.workspace.load()

    def _end_signoff(self) -> None:
        signoff, self.signoff = self.signoff, None
        if signoff is not None:
            from ui.signoff import mode  # (its modules take ~0.3 s: not imported to quit or lock)

            mode.leave(self.window, signoff, unlocked=self.session is not None, show_window=not self._shut_down)

    def show_audits(self) -> None:
        if self.data_page is None or self.audits is None:
            return
        self._flush_edits()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        self.data_page.setCurrentWidget(self.audits.view)
        self.audits.reload()

    def _refresh_counts(self) -> None:
        if self.session is None:
            return
        store = self.session.store
        job = self.runner.database(lambda _p: store.pending_mutations(), "")
        job.succeeded.connect(self._show_pending)

    # -- status bar ----------------------------------------------------------------------
    def _list_loaded(self, snapshot: AuditListSnapshot) -> None:
        self._show_pending(snapshot.pending_total)
        if self.sync is None and self.audits is not None and not self._sync_starting:
            # Sync is not visible: its modules (~0.1 s) load on the pool once the list has been painted.
            self._sync_starting = True
            after_next_paint(self.audits.view.table.viewport(), self._load_sync_modules)

    def _load_sync_modules(self) -> None:
        job = self.runner.network(lambda _progress: _preload_core_modules())
        job.finished.connect(self._start_sync)

    def _show_pending(self, pending: int) -> None:
        self._pending = pending
        self.window.pending_label.setText(status_texts.pending(pending))

    def _status_texts(self) -> None:
        status = self._sync_state
        offline = self.sync is not None and bool(self.sync.last_error)
        self.window.connection_label.setText(status_texts.connection(status, self.settings.platform_url, offline))
        self.window.user_label.setText(status_texts.user(status, self.settings.user_id))
        if self.session is not None:
            self._show_pending(self._pending)

    def retranslate(self) -> None:
        self.window.retranslate()
        self._status_texts()

    # -- settings and about --------------------------------------------------------------
    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsController

        status = self._sync_state  # read on the database thread, after each round
        dialog = SettingsController(self.window, self.settings, self.language,
                                    signature_suite=status.signature_suite if status is not None else None)
        if dialog.run():
            self.apply_settings(dialog.result_settings)

    def apply_settings(self, new: Settings) -> None:
        old = self.settings
        try:
            settings_store.save(new, self.settings_path)
        except OSError as error:
            QMessageBox.warning(self.window, _("Settings"),
                                _("The settings could not be saved: {detail}").format(detail=error.strerror))
            return
        self.settings = new
        self.settings_problem = None
        self.idle.set_minutes(new.auto_lock_minutes)
        if new.language != old.language:
            self.language.apply(new.language)
        if new.user_id != old.user_id and self.audits is not None:
            self.audits.reload()
        self._status_texts()

    def _about(self) -> None:
        QMessageBox.about(self.window, _("About FieldAudit"), _(
            "FieldAudit (现场审核)\nOffline audit workspace for certification bodies.\n\n"
            "All audit data on this computer is encrypted with your passphrase."))
