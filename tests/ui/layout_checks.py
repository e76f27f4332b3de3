"""Checks on a rendered screen: no text drawn as missing-glyph boxes, nothing cut off."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from ui.fonts import missing_glyphs


def _visible(root: QWidget, kind: type[Any]) -> list[Any]:
    found: list[Any] = root.findChildren(kind)
    return [w for w in found if w.isVisibleTo(root) and w.window() is root.window()]


def texts_with_fonts(root: QWidget) -> list[tuple[str, QWidget]]:
    found: list[tuple[str, QWidget]] = []
    for label in _visible(root, QLabel):
        found.append((label.text(), label))
    for button in _visible(root, QAbstractButton):
        found.append((button.text(), button))
    for edit in _visible(root, QLineEdit):
        found.append((edit.text() or edit.placeholderText(), edit))
    for combo in _visible(root, QComboBox):
        found.append((combo.currentText(), combo))
    for bar in _visible(root, QTabBar):
        found.extend((bar.tabText(i), bar) for i in range(bar.count()))
    for view in _visible(root, QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:  # list models keep columnCount private: one column
            columns = 1
        for column in range(columns):
            found.append((str(model.headerData(column, Qt.Orientation.Horizontal) or ""), view))
        stack = [QModelIndex()]
        seen = 0
        while stack and seen < 200:
            parent = stack.pop()
            for row in range(model.rowCount(parent)):
                for column in range(columns if not parent.isValid() else model.columnCount(parent)):
                    index = model.index(row, column, parent)
                    found.append((str(index.data() or ""), view))
                    seen += 1
                stack.append(model.index(row, 0, parent))
    return [(t, w) for t, w in found if t]


def glyph_problems(root: QWidget) -> list[str]:
    problems = []
    for text, widget in texts_with_fonts(root):
        missing = missing_glyphs(text, widget.font())
        if missing:
            problems.append(f"{type(widget).__name__} {text!r}: no glyph for {''.join(missing)!r}")
    return problems


def cut_off_problems(root: QWidget) -> list[str]:
    """Widgets outside the window, buttons narrower than their text, labels that cannot show all lines."""
    problems = []
    window_rect = root.rect()
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.window() is not root.window() or widget.width() == 0:
            continue
        if _inside_scroll_area(widget):
            continue
        top_left = widget.mapTo(root, widget.rect().topLeft())
        rect = QRect(top_left, widget.size())
        if not window_rect.adjusted(-1, -1, 1, 1).contains(rect):
            problems.append(f"{type(widget).__name__} {widget.objectName()!r} outside the window: {rect}")
    for button in _visible(root, QAbstractButton):
        if _inside_scroll_area(button) or not button.text():
            continue
        if button.width() < button.sizeHint().width() - 2:
            problems.append(f"button {button.text()!r} cut: {button.width()} < {button.sizeHint().width()}")
    from PySide6.QtWidgets import QScrollArea

    for area in _visible(root, QScrollArea):
        if isinstance(area, QAbstractItemView):
            continue
        if area.verticalScrollBar().isVisible() or area.horizontalScrollBar().isVisible():
            problems.append(f"{area.objectName() or type(area).__name__} needs scrolling at {root.size()}")
    for label in _visible(root, QLabel):
        has_picture = label.pixmap() is not None and not label.pixmap().isNull()
        if _inside_scroll_area(label) or not label.text() or has_picture:
            continue
        metrics = label.fontMetrics()
        inner = label.contentsRect()
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 2:
                problems.append(f"label {label.text()!r} needs {needed}px height, has {label.height()}")
        else:
            widest = max(metrics.horizontalAdvance(line) for line in label.text().split("\n"))
            if widest > inner.width() + 2:
                problems.append(f"label {label.text()!r} needs {widest}px, has {inner.width()}")
    return problems


def _inside_scroll_area(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False
