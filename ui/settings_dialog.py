"""Editing the settings: validated by the typed model, reasons shown next to the fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from app.errors import ValidationFailed
from app.settings import Settings
from ui.language import Language
from ui.settings_view import SettingsView


class SettingsController(QObject):
    def __init__(self, parent: QWidget, settings: Settings, language: Language, *,
                 signature_suite: str | None = None) -> None:
        super().__init__(parent)
        self.view = SettingsView(parent)
        self.view.show_signature_suite(signature_suite)
        self.settings = settings
        self.result_settings = settings
        self._language = language
        self._fill(settings)
        self.view.buttons.accepted.connect(self.accept)
        self.view.buttons.rejected.connect(self.view.reject)

    def _fill(self, s: Settings) -> None:
        v = self.view
        v.platform_url.setText(s.platform_url)
        v.user_id.setText(s.user_id)
        v.sync_interval.setValue(s.sync_interval_minutes)
        v.auto_lock.setValue(s.auto_lock_minutes)
        v.language.setCurrentIndex(max(0, v.language.findData(s.language)))
        v.strip_gps.setChecked(s.evidence.strip_gps)
        v.blur_faces.setChecked(s.evidence.blur_faces_on_export)
        v.sensitive_default.setChecked(s.evidence.sensitive_by_default)

    def collect(self) -> dict[str, Any]:
        v = self.view
        return {
            "platform_url": v.platform_url.text().strip(),
            "user_id": v.user_id.text().strip(),
            "sync_interval_minutes": v.sync_interval.value(),
            "auto_lock_minutes": v.auto_lock.value(),
            "language": str(v.language.currentData()),
            "evidence": {"strip_gps": v.strip_gps.isChecked(),
                         "blur_faces_on_export": v.blur_faces.isChecked(),
                         "sensitive_by_default": v.sensitive_default.isChecked()},
        }

    def accept(self) -> None:
        v = self.view
        v.platform_url_error.clear_error()
        v.form_error.clear_error()
        try:
            self.result_settings = Settings.model_validate(self.collect())
        except ValidationFailed as error:
            for path, reason in error.problems:
                if path == "platform_url":
                    v.platform_url_error.show_error(reason)
                else:
                    v.form_error.show_error(reason)
            return
        v.accept()

    def run(self) -> bool:
        return self.view.exec() == QDialog.DialogCode.Accepted
