"""Entering and leaving client sign-off mode around the main window.

While the client's representative holds the laptop, the main window is hidden with its menu bar and
every action off (it also refuses to close), no dialog of the auditor's stays open, and the locked
sign-off view is the only window taking input.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog

from ui.main_window import MainWindow
from ui.signoff.signoff_controller import SignOffController


def enter(window: MainWindow, signoff: SignOffController) -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    window.set_signoff(True)
    window.hide()
    signoff.start(full_screen=True)
    signoff.view.activateWindow()


def leave(window: MainWindow, signoff: SignOffController, *, unlocked: bool, show_window: bool) -> None:
    signoff.view.allow_close = True
    signoff.view.close()
    signoff.view.deleteLater()
    window.set_signoff(False, unlocked=unlocked)
    if show_window:
        window.show()
        window.activateWindow()
