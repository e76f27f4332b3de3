"""Layout of the settings dialog (no logic: see settings_dialog)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.settings import MAX_AUTO_LOCK, SYNC_INTERVAL_RANGE
from app.signing.keys import SUITE_LABELS
from ui.widgets import ErrorLabel, MutedLabel


class SettingsView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsView")
        self.setMinimumWidth(560)
        self.platform_url = QLineEdit()
        self.platform_url.setPlaceholderText("https://")
        self.platform_url_error = ErrorLabel()
        self.user_id = QLineEdit()
        self.sync_interval = QSpinBox()
        self.sync_interval.setRange(*SYNC_INTERVAL_RANGE)
        self.auto_lock = QDoubleSpinBox()
        self.auto_lock.setRange(1, MAX_AUTO_LOCK)
        self.auto_lock.setDecimals(0)
        self.language = QComboBox()
        self.language.addItem("中文（简体）", "zh_CN")
        self.language.addItem("English", "en")
        self.crypto_suite = QLabel()
        self.signature_suite: str | None = None  # as the platform said; None: not told yet
        self.strip_gps = QCheckBox()
        self.blur_faces = QCheckBox()
        self.sensitive_default = QCheckBox()
        self.form_error = ErrorLabel()
        self.form_error.setObjectName("formError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)

        self.platform_group = QGroupBox()
        platform = QFormLayout(self.platform_group)
        self.platform_url_label = QLabel()
        self.user_id_label = QLabel()
        self.sync_interval_label = QLabel()
        self.crypto_label = QLabel()
        platform.addRow(self.platform_url_label, self.platform_url)
        platform.addRow("", self.platform_url_error)
        platform.addRow(self.user_id_label, self.user_id)
        platform.addRow(self.sync_interval_label, self.sync_interval)
        platform.addRow(self.crypto_label, self.crypto_suite)

        self.general_group = QGroupBox()
        general = QFormLayout(self.general_group)
        self.language_label = QLabel()
        self.auto_lock_label = QLabel()
        general.addRow(self.language_label, self.language)
        general.addRow(self.auto_lock_label, self.auto_lock)

        self.privacy_group = QGroupBox()
        privacy = QVBoxLayout(self.privacy_group)
        privacy.addWidget(self.strip_gps)
        privacy.addWidget(self.blur_faces)
        privacy.addWidget(self.sensitive_default)
        self.privacy_note = MutedLabel()
        privacy.addWidget(self.privacy_note)

        layout = QVBoxLayout(self)
        layout.addWidget(self.general_group)
        layout.addWidget(self.platform_group)
        layout.addWidget(self.privacy_group)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        self.general_group.setTitle(_("General"))
        self.platform_group.setTitle(_("Central platform"))
        self.privacy_group.setTitle(_("Evidence privacy"))
        self.platform_url_label.setText(_("Platform address"))
        self.user_id_label.setText(_("My platform user id"))
        self.user_id.setToolTip(_("Decides which team role and which checklist clauses are yours."))
        self.sync_interval_label.setText(_("Sync every"))
        self.sync_interval.setSuffix(" " + _("min"))
        self.crypto_label.setText(_("Crypto suite"))
        self._show_suite()
        self.language_label.setText(_("Language"))
        self.auto_lock_label.setText(_("Lock after idle"))
        self.auto_lock.setSuffix(" " + _("min"))
        self.strip_gps.setText(_("Remove GPS position from photos sent to the platform"))
        self.blur_faces.setText(_("Blur faces when exporting photos"))
        self.sensitive_default.setText(_("Mark new evidence as sensitive"))
        self.privacy_note.setText(_("Originals stay encrypted on this computer either way."))

    def show_signature_suite(self, suite: str | None) -> None:
        self.signature_suite = suite
        self._show_suite()

    def _show_suite(self) -> None:
        if self.signature_suite is None:
            self.crypto_suite.setText(_("Chosen by the platform (not connected yet)"))
            return
        label = SUITE_LABELS.get(self.signature_suite)
        self.crypto_suite.setText(_("{suite} (chosen by the platform)").format(
            suite=_(label) if label else self.signature_suite))
