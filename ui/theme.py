"""Look and feel: Fusion style, light or dark following the system, a few named roles."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colours:
    window: str
    base: str
    alt: str
    text: str
    muted: str
    accent: str
    accent_text: str
    border: str
    error: str
    ok: str
    warn: str
    mine: str


LIGHT = Colours(window="#f4f6f9", base="#ffffff", alt="#f7f9fc", text="#1f2933", muted="#616e7c",
                accent="#1565c0", accent_text="#ffffff", border="#d5dbe3", error="#c62828",
                ok="#2e7d32", warn="#b26a00", mine="#fff6d6")
DARK = Colours(window="#1e2227", base="#262b31", alt="#2c3238", text="#e4e7eb", muted="#9aa5b1",
               accent="#64a5f0", accent_text="#0d1117", border="#3e4751", error="#ef9a9a",
               ok="#81c784", warn="#ffb74d", mine="#4a4220")

# Answer and grade colours (same in both themes: they carry meaning).
ANSWER_COLOURS = {
    "conforming": "#2e7d32", "minor_nc": "#e65100", "major_nc": "#c62828",
    "observation": "#1565c0", "opportunity": "#6a1b9a", "not_applicable": "#616e7c",
}


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def current() -> Colours:
    return DARK if system_is_dark() else LIGHT


def apply(app: QApplication) -> Colours:
    app.setStyle("Fusion")
    colours = current()
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colours.window, QPalette.ColorRole.Base: colours.base,
        QPalette.ColorRole.AlternateBase: colours.alt, QPalette.ColorRole.Text: colours.text,
        QPalette.ColorRole.WindowText: colours.text, QPalette.ColorRole.Button: colours.base,
        QPalette.ColorRole.ButtonText: colours.text, QPalette.ColorRole.Highlight: colours.accent,
        QPalette.ColorRole.HighlightedText: colours.accent_text, QPalette.ColorRole.ToolTipBase: colours.base,
        QPalette.ColorRole.ToolTipText: colours.text, QPalette.ColorRole.PlaceholderText: colours.muted,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(colours))
    return colours


def stylesheet(c: Colours) -> str:
    return f"""
QLabel#heading1 {{ font-size: 20pt; font-weight: 600; }}
QLabel#heading2 {{ font-size: 13pt; font-weight: 600; }}
QLabel#heading3 {{ font-weight: 600; color: {c.muted}; }}
QLabel#muted {{ color: {c.muted}; }}
QLabel#fieldError {{ color: {c.error}; }}
QLabel#formError {{ color: {c.error}; font-weight: 600; }}
QFrame#card {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 8px; }}
QFrame#banner {{ background: {c.mine}; border: 1px solid {c.border}; border-radius: 6px; }}
QPushButton {{ padding: 5px 14px; border: 1px solid {c.border}; border-radius: 5px; background: {c.base}; }}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:disabled {{ color: {c.muted}; }}
QPushButton#primary {{ background: {c.accent}; color: {c.accent_text}; border-color: {c.accent};
                      font-weight: 600; }}
QPushButton#primary:disabled {{ background: {c.border}; border-color: {c.border}; }}
QPushButton#answer {{ padding: 6px 10px; text-align: left; }}
QPushButton#answer:checked {{ background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; }}
QLineEdit, QPlainTextEdit {{
    padding: 4px; border: 1px solid {c.border}; border-radius: 4px; background: {c.base}; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border-color: {c.accent}; }}
QTableView, QTreeView, QListView {{ border: 1px solid {c.border}; background: {c.base};
                                   alternate-background-color: {c.alt}; }}
QHeaderView::section {{ padding: 4px 6px; border: none; border-bottom: 1px solid {c.border};
                        background: {c.window}; font-weight: 600; }}
QTabWidget::pane {{ border: 1px solid {c.border}; border-radius: 4px; top: -1px; background: {c.base}; }}
QTabBar::tab {{ padding: 6px 18px; margin-right: 2px; border: 1px solid {c.border}; border-bottom: none;
                border-top-left-radius: 5px; border-top-right-radius: 5px; background: {c.alt}; color: {c.muted}; }}
QTabBar::tab:selected {{ background: {c.base}; color: {c.text}; font-weight: 600; }}
QStatusBar {{ border-top: 1px solid {c.border}; }}
QStatusBar QLabel {{ padding: 0 8px; color: {c.muted}; }}
"""
