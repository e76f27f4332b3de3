"""Layout of the sync panel: login, state and progress, conflicts side by side, rejected changes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.widgets import ErrorLabel, Heading, MutedLabel


class ConflictView(QWidget):
    """Both versions of a contested record, field by field; the lead auditor ticks which value stays."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = Heading(level=3)
        self.explanation = MutedLabel()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("conflictTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.keep_platform = QPushButton()
        self.keep_mine = QPushButton()
        self.merge = QPushButton()
        self.merge.setObjectName("primary")
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_platform)
        buttons.addWidget(self.keep_mine)
        buttons.addStretch(1)
        buttons.addWidget(self.merge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Field"), _("On the platform"), _("Competing change")])
        self.keep_platform.setText(_("Keep the platform version"))
        self.keep_mine.setText(_("Take the competing change"))
        self.merge.setText(_("Use the ticked values"))


class SyncPanelView(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.resize(900, 640)
        self.heading = Heading(level=2)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.error = ErrorLabel()
        self.error.setObjectName("formError")
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("primary")
        self.cancel_button = QPushButton()
        self.progress = QProgressBar()
        self.progress.hide()
        self.report = MutedLabel()

        self.login_group = QGroupBox()
        login = QFormLayout(self.login_group)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_button = QPushButton()
        self.login_error = ErrorLabel()
        self.server_label, self.username_label, self.password_label = QLabel(), QLabel(), QLabel()
        login.addRow(self.server_label, self.server)
        login.addRow(self.username_label, self.username)
        login.addRow(self.password_label, self.password)
        login.addRow("", self.login_button)
        login.addRow("", self.login_error)

        self.conflicts_title = Heading(level=3)
        self.conflicts = QListWidget()
        self.conflicts.setObjectName("conflictList")
        self.conflicts.setWordWrap(True)
        self.conflict = ConflictView()
        self.rejected_title = Heading(level=3)
        self.rejected_list = QListWidget()
        self.rejected_list.setObjectName("rejectedList")
        self.rejected_list.setWordWrap(True)

        top = QHBoxLayout()
        status = QVBoxLayout()
        status.addWidget(self.heading)
        status.addWidget(self.state)
        status.addWidget(self.error)
        top.addLayout(status, 1)
        top.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)
        lists = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.conflicts_title)
        left_layout.addWidget(self.conflicts, 1)
        left_layout.addWidget(self.rejected_title)
        left_layout.addWidget(self.rejected_list, 1)
        lists.addWidget(left)
        lists.addWidget(self.conflict)
        lists.setStretchFactor(0, 2)
        lists.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.report)
        layout.addWidget(self.login_group)
        layout.addWidget(lists, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sync"))
        self.heading.setText(_("Synchronisation with the platform"))
        self.sync_button.setText(_("Sync now"))
        self.cancel_button.setText(_("Cancel"))
        self.login_group.setTitle(_("Connect to the platform"))
        self.server_label.setText(_("Platform address"))
        self.username_label.setText(_("User name"))
        self.password_label.setText(_("Password"))
        self.login_button.setText(_("Log in"))
        self.conflicts_title.setText(_("Conflicts to resolve"))
        self.rejected_title.setText(_("Changes the platform refused"))
        self.conflict.retranslate()
