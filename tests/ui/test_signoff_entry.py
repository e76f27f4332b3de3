# mypy: disable-error-code="union-attr, no-untyped-call"
"""Client sign-off started from the workspace: locked, full screen, nothing else of the app reachable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QKeyCombination, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from app.domain import Audit
from app.settings import Settings
from tests.conftest import FAST_COST, PASSPHRASE
from tests.ui.conftest import open_first_audit, unlock
from ui.app_controller import AppController
from ui.signoff.signoff_view import SignOffView

LEAD = "u-wang"  # the seeded audit's lead auditor


def as_lead(controller: AppController) -> None:
    controller.apply_settings(Settings(user_id=LEAD))


def open_signoff(qtbot: QtBot, controller: AppController, seeded: Audit) -> SignOffView:
    open_first_audit(qtbot, controller, seeded)
    button = controller.workspace.view.signoff
    qtbot.waitUntil(button.isEnabled, timeout=10000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert controller.signoff is not None
    view = controller.signoff.view
    qtbot.waitUntil(lambda: len(view.card_list()) == 1 and view.card_list()[0].isVisible(), timeout=10000)
    return view


def gone(widget: QWidget) -> bool:
    return not isValid(widget) or not widget.isVisible()


def visible_text(widget: QWidget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def test_only_the_lead_can_start_sign_off(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)  # the settings say "me" is u-zhang, an auditor of the seeded audit
    open_first_audit(qtbot, controller, seeded)
    button = controller.workspace.view.signoff
    assert not button.isEnabled() and "组长" in button.toolTip()
    controller.workspace.signoff_requested.emit(seeded.id)  # even when asked directly
    assert controller.signoff is None and controller.window.isVisible()


def test_sign_off_is_locked_to_one_audit(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    as_lead(controller)
    unlock(qtbot, controller)
    window = controller.window
    view = open_signoff(qtbot, controller, seeded)

    # Full screen, on top of a hidden main window, with only this audit's findings and summary.
    assert view.isVisible() and view.isFullScreen() and not window.isVisible()
    assert view.isModal() and QApplication.activeModalWidget() is view
    shown = visible_text(view)
    assert "游标卡尺超过校准有效期" in shown and "末次会议" in shown and seeded.title in shown
    assert "厦门海湾食品" not in shown and "JG-015" in shown  # no other audit; the finding as written
    assert not any(label.pixmap() is not None and not label.pixmap().isNull()
                   for label in view.findChildren(QLabel))  # no photos or documents at all
    assert not view.findChildren(QDialog)

    # Every shortcut of the main window and the workspace does nothing from here.
    keys = [a.shortcut() for a in window.findChildren(QAction)] + [s.key() for s in window.findChildren(QShortcut)]
    keys = [k for k in keys if not k.isEmpty()] + [QKeySequence(k) for k in ("Escape", "Alt+F4", "Ctrl+Q", "Ctrl+,")]
    assert {"Ctrl+1", "Ctrl+L", "F9", "Alt+Left"} <= {k.toString() for k in keys}
    for sequence in keys:
        # PySide6's stub omits QKeySequence.__getitem__ (Qt's operator[]), which returns a QKeyCombination.
        combination: QKeyCombination = sequence[0]  # type: ignore[index]
        qtbot.keyClick(view, combination.key(), combination.keyboardModifiers())
        qtbot.keyClick(view.name, combination.key(), combination.keyboardModifiers())
    for action in (window.settings_action, window.audits_action, window.sync_action, window.lock_action,
                   window.quit_action):
        assert not action.isEnabled()
        action.trigger()
    assert not window.menuBar().isEnabled()
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    assert controller.session is not None and controller.workspace is not None
    assert controller.data_page.currentWidget() is controller.workspace.view
    assert controller.sync_panel is None or not controller.sync_panel.view.isVisible()

    # Closing either window does not leave the mode.
    assert view.close() is False and window.close() is False
    assert view.isVisible() and controller.signoff is not None and controller.session is not None

    # A wrong passphrase keeps it locked; the auditor's passphrase brings the workspace back.
    view.passphrase.setText("not the passphrase")
    view.leave.click()
    qtbot.waitUntil(lambda: view.leave_error.isVisibleTo(view), timeout=10000)
    assert "口令" in view.leave_error.text() and view.isVisible() and not window.isVisible()
    assert controller.signoff is not None
    view.passphrase.setText(PASSPHRASE)
    view.leave.click()
    qtbot.waitUntil(lambda: controller.signoff is None, timeout=10000)
    assert window.isVisible() and gone(view)
    assert window.settings_action.isEnabled() and window.lock_action.isEnabled() and window.menuBar().isEnabled()
    assert controller.workspace is not None and controller.data_page.currentWidget() is controller.workspace.view


def test_auto_lock_ends_sign_off(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    as_lead(controller)
    unlock(qtbot, controller)
    view = open_signoff(qtbot, controller, seeded)
    controller.idle.timed_out.emit()
    assert controller.signoff is None and gone(view)
    assert controller.window.isVisible() and controller.window.pages.currentWidget() is controller.unlock_view
    assert controller.locked and controller.session is None


class CountingEngine:
    """A platform that only counts the rounds asked of it."""

    def __init__(self) -> None:
        self.rounds = 0

    def login(self, server: str, username: str, password: str) -> None:
        return None

    def run_once(self, progress: object = None) -> dict[str, int]:
        self.rounds += 1
        return {}


def test_no_sync_round_during_sign_off(qtbot: QtBot, app: QApplication, seeded: Audit, profile_dir: Path,
                                       settings_path: Path, tmp_path: Path) -> None:
    engine = CountingEngine()
    controller = AppController(app, profile_dir, settings_path=settings_path, create_cost=FAST_COST,
                               qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                               sync_engine_factory=lambda _session: engine)
    controller.start(try_remembered_key=False)
    try:
        as_lead(controller)
        unlock(qtbot, controller)
        sync = controller.sync
        controller.open_sync_panel()
        panel = controller.sync_panel
        view = open_signoff(qtbot, controller, seeded)
        controller.runner.wait_database(lambda: None)  # the panel's status read has landed
        qtbot.wait(50)
        sync.status = replace(sync.status, logged_in=True)  # as if logged in to a platform
        panel.show_status(sync.status)

        # Neither the timer nor a request (the panel's button, F9, login) starts a round in the mode.
        assert sync.paused and not sync.timer.isActive()
        sync.timer.timeout.emit()
        assert sync.sync_now() is None
        assert not panel.view.sync_button.isEnabled() and not controller.window.sync_action.isEnabled()
        controller.open_sync_panel()
        assert not panel.view.isVisible()
        qtbot.wait(200)
        assert engine.rounds == 0 and not sync.busy

        # Back with the passphrase: the round that was due runs (answers and signature go together).
        view.passphrase.setText(PASSPHRASE)
        view.leave.click()
        qtbot.waitUntil(lambda: controller.signoff is None, timeout=10000)
        assert not sync.paused
        qtbot.waitUntil(lambda: engine.rounds == 1 and not sync.busy, timeout=10000)
    finally:
        controller.window.close()
        controller.shutdown()
        controller.window.deleteLater()
