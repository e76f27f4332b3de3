"""The main window frame: pages, menus and the status bar (layout only)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from app.i18n import _
from ui.signals import emit


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setMinimumSize(960, 600)
        # While the client's representative holds the laptop (sign-off mode) this window is hidden,
        # every action is off and it refuses to close.
        self.signoff_active = False
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)

        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.audits_action = QAction(self)
        self.audits_action.setShortcut(QKeySequence("Ctrl+1"))
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence("F9"))
        self.about_action = QAction(self)
        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.audits_action)
        self.file_menu.addAction(self.sync_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.about_action)

        self.status_message = QLabel()
        self.connection_label = QLabel()
        self.pending_label = QLabel()
        self.user_label = QLabel()
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.status_message, 1)
        bar.addPermanentWidget(self.pending_label)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.user_label)
        self.set_unlocked(False)
        self.retranslate()

    def show_page(self, page: QWidget) -> None:
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)

    def remove_page(self, page: QWidget) -> None:
        self.pages.removeWidget(page)
        page.hide()
        page.deleteLater()

    def set_unlocked(self, unlocked: bool) -> None:
        for action in (self.lock_action, self.audits_action, self.sync_action):
            action.setEnabled(unlocked)
        for label in (self.pending_label, self.connection_label, self.user_label):
            label.setVisible(unlocked)
        if not unlocked:
            self.status_message.clear()

    def set_signoff(self, active: bool, unlocked: bool = True) -> None:
        self.signoff_active = active
        self.menuBar().setEnabled(not active)
        for action in (self.settings_action, self.quit_action, self.about_action):
            action.setEnabled(not active)
        self.set_unlocked(unlocked and not active)

    def retranslate(self) -> None:
        self.setWindowTitle(_("FieldAudit"))
        self.file_menu.setTitle(_("&File"))
        self.help_menu.setTitle(_("&Help"))
        self.audits_action.setText(_("&Audits"))
        self.sync_action.setText(_("S&ync…"))
        self.settings_action.setText(_("&Settings…"))
        self.lock_action.setText(_("&Lock"))
        self.quit_action.setText(_("&Quit"))
        self.about_action.setText(_("&About FieldAudit"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.signoff_active:
            event.ignore()
            return
        emit(self.closing)
        super().closeEvent(event)
