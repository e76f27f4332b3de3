"""Layout of the locked sign-off screen (no logic: see signoff_controller)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import N_, _
from ui.signoff.signature_pad import SignaturePad
from ui.widgets import ErrorLabel, Heading, MutedLabel

# (what the signature records: the document's official Chinese name, what the screen shows)
ID_TYPES = (("居民身份证", N_("Resident identity card")), ("护照", N_("Passport")),
            ("港澳台居民居住证", N_("Residence permit for Hong Kong, Macao and Taiwan residents")),
            ("其他", N_("Other identity document")))


class FindingCard(QFrame):
    """One finding as the representative sees it, with accept / dispute and a comment."""

    def __init__(self, finding_id: str, heading: str, statement: str, answered: str | None, *,
                 requirement: str = "", evidence: str = "") -> None:
        super().__init__()
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.finding_id = finding_id
        self.accept = QRadioButton(_("I accept this finding"))
        self.dispute = QRadioButton(_("I dispute this finding"))
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.accept)
        self.choice.addButton(self.dispute)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(_("Comment (required when disputing)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(Heading(heading, level=2))
        for title, text in ((_("Requirement"), requirement), (_("Objective evidence"), evidence),
                            (_("Statement of the finding"), statement)):
            if text.strip():
                layout.addWidget(MutedLabel(title))
                body = QLabel(text)
                body.setWordWrap(True)
                body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                layout.addWidget(body)
        row = QHBoxLayout()
        row.addWidget(self.accept)
        row.addWidget(self.dispute)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.comment)
        self.answered = MutedLabel(answered or "")
        self.answered.setVisible(bool(answered))
        layout.addWidget(self.answered)
        if answered:
            for widget in (self.accept, self.dispute, self.comment):
                widget.setEnabled(False)


class SignOffView(QWidget):
    """Full-screen and locked: it closes only when the controller allows it (auditor's passphrase)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("signOffView")
        # Nothing else of the application takes input while the representative holds the laptop.
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.allow_close = False
        self.title = Heading(level=1)
        self.summary = MutedLabel()
        self.cards_host = QWidget()
        self.cards = QVBoxLayout(self.cards_host)
        self.cards.setSpacing(12)
        self.cards.addStretch(1)  # cards stay their own height, from the top
        self.instructions = QLabel(_(
            "Please read each finding, then accept it or dispute it (say why in the comment). Enter your "
            "details and sign on the right: your signature covers these findings and your answers."))
        self.instructions.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.cards_host)

        self.name = QLineEdit()
        self.job_title = QLineEdit()
        self.id_type = QComboBox()
        for recorded, label in ID_TYPES:
            self.id_type.addItem(_(label), recorded)
        self.id_number = QLineEdit()
        identity = QFormLayout()
        identity.addRow(_("Representative's name"), self.name)
        identity.addRow(_("Job title"), self.job_title)
        identity.addRow(_("ID type"), self.id_type)
        identity.addRow(_("ID number (stored masked)"), self.id_number)

        self.pad = SignaturePad()
        self.clear_pad = QPushButton(_("Clear signature"))
        self.sign = QPushButton(_("Sign"))
        self.sign.setObjectName("primary")
        self.error = ErrorLabel()
        self.status = MutedLabel()

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("Auditor's passphrase"))
        self.leave = QPushButton(_("Leave sign-off mode"))
        self.leave_error = ErrorLabel()

        side = QVBoxLayout()
        side.addWidget(Heading(_("Representative of the audited organisation"), level=2))
        side.addLayout(identity)
        side.addWidget(QLabel(_("Sign here:")))
        side.addWidget(self.pad)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_pad)
        buttons.addStretch(1)
        buttons.addWidget(self.sign)
        side.addLayout(buttons)
        side.addWidget(self.error)
        side.addWidget(self.status)
        side.addStretch(1)
        side.addWidget(MutedLabel(_("For the auditor: type your passphrase to leave sign-off mode.")))
        exit_row = QHBoxLayout()
        exit_row.addWidget(self.passphrase)
        exit_row.addWidget(self.leave)
        side.addLayout(exit_row)
        side.addWidget(self.leave_error)

        columns = QHBoxLayout()
        columns.addWidget(scroll, 3)
        panel = QWidget()
        panel.setLayout(side)
        columns.addWidget(panel, 2)
        root = QVBoxLayout(self)
        root.addWidget(self.title)
        root.addWidget(self.summary)
        root.addWidget(self.instructions)
        root.addLayout(columns, 1)

    def add_card(self, card: FindingCard) -> None:
        self.cards.insertWidget(self.cards.count() - 1, card)

    def card_list(self) -> list[FindingCard]:
        found = []
        for index in range(self.cards.count()):
            item = self.cards.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, FindingCard):
                found.append(widget)
        return found

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # Escape does not leave the mode
            return
        super().keyPressEvent(event)
