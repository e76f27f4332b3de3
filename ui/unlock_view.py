"""Layout of the unlock / create-profile screen (no logic: see unlock_controller)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.widgets import ErrorLabel, Heading, MutedLabel


class UnlockView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockView")
        self.creating = False

        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.title = Heading(level=1)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = MutedLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.passphrase_label = QLabel()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_error = ErrorLabel()
        self.confirm_label = QLabel()
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_error = ErrorLabel()
        self.remember = QCheckBox()
        self.remember_note = MutedLabel()
        self.message = ErrorLabel()
        self.message.setObjectName("formError")
        self.submit = QPushButton()
        self.submit.setObjectName("primary")
        self.submit.setDefault(True)
        self.submit.setAutoDefault(True)
        self.profile_path = MutedLabel()
        self.profile_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(440)
        form = QVBoxLayout(card)
        form.setContentsMargins(32, 28, 32, 28)
        form.setSpacing(8)
        form.addWidget(self.title)
        form.addWidget(self.subtitle)
        form.addSpacing(12)
        form.addWidget(self.intro)
        form.addSpacing(6)
        for widget in (self.passphrase_label, self.passphrase, self.passphrase_error,
                       self.confirm_label, self.confirm, self.confirm_error):
            form.addWidget(widget)
        form.addSpacing(4)
        form.addWidget(self.remember)
        form.addWidget(self.remember_note)
        form.addWidget(self.message)
        form.addSpacing(8)
        form.addWidget(self.submit)
        form.addSpacing(4)
        form.addWidget(self.profile_path)

        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.language)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card)
        centre.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addLayout(top)
        outer.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        self.setTabOrder(self.passphrase, self.confirm)
        self.setTabOrder(self.confirm, self.remember)
        self.setTabOrder(self.remember, self.submit)
        self.set_creating(False)

    def set_creating(self, creating: bool) -> None:
        self.creating = creating
        self.confirm_label.setVisible(creating)
        self.confirm.setVisible(creating)
        if not creating:
            self.confirm_error.clear_error()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("FieldAudit"))
        self.subtitle.setText(_("Offline audit workspace for certification bodies"))
        if self.creating:
            self.intro.setText(_("Welcome. Choose a passphrase to create your encrypted profile on this "
                                 "computer. It protects all audit data; it cannot be recovered if lost."))
            self.passphrase_label.setText(_("New passphrase (at least 8 characters)"))
            self.submit.setText(_("Create profile"))
        else:
            self.intro.setText(_("Enter your passphrase to unlock your audits."))
            self.passphrase_label.setText(_("Passphrase"))
            self.submit.setText(_("Unlock"))
        self.confirm_label.setText(_("Repeat the passphrase"))
        self.remember.setText(_("Remember on this computer"))
        self.language.setToolTip(_("Language"))

    def show_language(self, code: str) -> None:
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(code)))
        self.language.blockSignals(False)
