# mypy: disable-error-code="union-attr, no-untyped-call"
"""Unlock, wrong passphrase, back-off, create-profile flow, lock and auto-lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.domain import Audit
from app.security.unlock import Unlocker
from app.store import ProfilePaths
from tests.conftest import PASSPHRASE
from tests.ui.conftest import unlock
from ui.app_controller import AppController


def visible_texts(root: QWidget) -> str:
    return "\n".join(label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root))


def test_unlock_shows_the_audits(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    assert not controller.unlock_view.creating
    unlock(qtbot, controller)
    assert controller.audits is not None
    clients = {row.client for row in controller.audits.model.rows}
    assert seeded.client.name in clients
    assert controller.window.pages.currentWidget() is controller.data_page


def test_wrong_passphrase_says_so_and_backs_off(qtbot: QtBot, seeded: Audit, controller: AppController,
                                                profile_dir: Path) -> None:
    view = controller.unlock_view
    for _attempt in range(3):
        view.passphrase.setText("not the passphrase")
        controller.unlock.submit()
        qtbot.waitUntil(lambda: view.message.isVisibleTo(view) and not controller.unlock._busy, timeout=10000)
    assert controller.locked
    # Three failures earn a wait: the button is disabled and the countdown is shown in Chinese.
    assert Unlocker(ProfilePaths(profile_dir)).seconds_to_wait() > 0
    assert not view.submit.isEnabled()
    assert "秒" in view.message.text()


def test_first_wrong_passphrase_message_is_translated(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    view = controller.unlock_view
    view.passphrase.setText("wrong wrong")
    controller.unlock.submit()
    qtbot.waitUntil(lambda: view.message.isVisibleTo(view), timeout=10000)
    assert "口令" in view.message.text()
    assert controller.locked


def test_create_profile_checks_confirmation_and_strength(qtbot: QtBot, controller: AppController) -> None:
    view = controller.unlock_view
    assert view.creating and view.confirm.isVisibleTo(view)
    view.passphrase.setText("short")
    view.confirm.setText("shorter")
    controller.unlock.submit()
    assert view.confirm_error.isVisibleTo(view)
    view.confirm.setText("short")
    controller.unlock.submit()
    qtbot.waitUntil(lambda: view.passphrase_error.isVisibleTo(view), timeout=10000)
    assert "8" in view.passphrase_error.text()
    view.passphrase.setText(PASSPHRASE)
    view.confirm.setText(PASSPHRASE)
    controller.unlock.submit()
    qtbot.waitUntil(lambda: controller.audits is not None and controller.audits.snapshot is not None,
                    timeout=10000)
    assert controller.audits.view.body.currentWidget() is controller.audits.view.empty


def test_remember_is_explained_without_a_secure_keyring(qtbot: QtBot, seeded: Audit, controller: AppController,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.security import keyring_cache

    monkeypatch.setattr(keyring_cache, "available", lambda: False)
    controller.unlock.reset()  # the keyring is probed off the GUI thread
    view = controller.unlock_view
    from app.security.errors import KeyringUnavailable

    qtbot.waitUntil(lambda: view.remember_note.text() == str(KeyringUnavailable()), timeout=10000)
    assert not view.remember.isEnabled() and "钥匙串" in view.remember_note.text()


def test_lock_hides_all_audit_data(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    assert seeded.client.name in "\n".join(r.client for r in controller.audits.model.rows)
    controller.lock()
    qtbot.waitUntil(lambda: controller.runner.active_jobs == 0, timeout=10000)
    assert controller.locked
    assert controller.data_page is None and controller.audits is None
    texts = visible_texts(controller.window)
    assert seeded.client.name not in texts
    assert controller.window.pages.currentWidget() is controller.unlock_view
    assert controller.unlock_view.passphrase.text() == ""
    unlock(qtbot, controller)
    assert controller.audits is not None


def test_auto_lock_after_idle(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    controller.idle.set_minutes(0.005)  # 0.3 s
    controller.idle.arm()
    qtbot.waitUntil(lambda: controller.locked, timeout=5000)
    assert controller.window.pages.currentWidget() is controller.unlock_view


def test_lock_closes_dialogs_that_may_show_audit_data(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    unlock(qtbot, controller)
    box = QMessageBox(QMessageBox.Icon.Information, "x", seeded.client.name, QMessageBox.StandardButton.Ok,
                      controller.window)
    QTimer.singleShot(100, controller.lock)
    box.exec()  # returns because locking rejected it
    assert controller.locked and not box.isVisible()
