# mypy: disable-error-code="union-attr, no-untyped-call"
"""Switching zh/en live, Qt's own dialogs translated, settings saved as TOML."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app import settings as settings_store
from app.domain import Audit
from app.i18n import current_language
from app.settings import Settings
from tests.ui.conftest import open_first_audit, unlock
from ui.app_controller import AppController
from ui.settings_dialog import SettingsController


def test_switch_language_live(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    view = controller.workspace.view
    assert view.tabs.tabText(1) == "检查表"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    controller.language.apply("en")
    assert current_language() == "en"
    assert view.tabs.tabText(1) == "Checklist"
    assert view.checklist.answer_buttons[0].text().endswith("Conforming")
    assert controller.window.file_menu.title() == "&File"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert controller.audits.model.headerData(0, Qt.Orientation.Horizontal) == "Client"
    controller.language.apply("zh_CN")
    assert view.tabs.tabText(1) == "检查表"
    assert controller.window.file_menu.title() == "文件(&F)"


def test_unlock_screen_language_choice(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    view = controller.unlock_view
    view.language.setCurrentIndex(view.language.findData("en"))
    assert view.submit.text() == "Unlock"
    view.language.setCurrentIndex(view.language.findData("zh_CN"))
    assert view.submit.text() == "解锁"


def test_settings_round_trip_as_toml(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    wanted = Settings(platform_url="https://cb.example.cn/", sync_interval_minutes=5, auto_lock_minutes=3,
                      language="en", user_id="u-zhang")
    settings_store.save(wanted, path)
    raw = tomllib.loads(path.read_text("utf-8"))
    assert raw["platform_url"] == "https://cb.example.cn" and raw["evidence"]["strip_gps"] is False
    assert settings_store.load(path) == wanted.model_copy(update={"platform_url": "https://cb.example.cn"})
    path.write_text("auto_lock_minutes = 'soon'", "utf-8")
    loaded, problem = settings_store.load_or_default(path)
    assert loaded == Settings() and problem is not None and str(problem)


def test_settings_dialog_shows_reason_next_to_field_and_applies(qtbot: QtBot, seeded: Audit, controller: AppController,
                                                                settings_path: Path) -> None:
    unlock(qtbot, controller)
    dialog = SettingsController(controller.window, controller.settings, controller.language)
    dialog.view.platform_url.setText("ftp://cb.example.cn")
    dialog.accept()
    assert dialog.view.platform_url_error.isVisibleTo(dialog.view)
    assert "https://" in dialog.view.platform_url_error.text()
    assert dialog.view.result() != QDialog.DialogCode.Accepted
    dialog.view.platform_url.setText("https://cb.example.cn")
    dialog.view.auto_lock.setValue(2)
    dialog.view.language.setCurrentIndex(dialog.view.language.findData("en"))
    dialog.accept()
    assert dialog.view.result() == QDialog.DialogCode.Accepted
    controller.apply_settings(dialog.result_settings)
    assert current_language() == "en"
    assert controller.window.connection_label.text().startswith("Platform: cb.example.cn")
    assert settings_store.load(settings_path).auto_lock_minutes == 2


def test_settings_menu_opens_the_dialog(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    seen: list[str] = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            seen.append(dialog.objectName())
            dialog.reject()

    QTimer.singleShot(200, close_dialog)
    controller.window.settings_action.trigger()
    assert seen == ["settingsView"]
