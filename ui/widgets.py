"""Small building blocks shared by the views: error labels, auto-saving text, headings."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.signals import emit

# Typing pauses longer than this save the field (focus loss saves at once).
SAVE_DELAY_MS = 700


class ErrorLabel(QLabel):
    """The translated reason a field was refused, shown right under the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.show_error("")


class Heading(QLabel):
    def __init__(self, text: str = "", level: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName(f"heading{level}")
        self.setWordWrap(True)


class MutedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("muted")
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_next_paint(widget: QWidget, callback: Callable[[], object], fallback_ms: int = 500) -> None:
    """Run ``callback`` once, after ``widget``'s next paint, or after ``fallback_ms`` if it is not painted.

    For work that is not visible (starting sync): the screen the user is waiting for is drawn first.
    The fallback covers a hidden or minimised window, which gets no paint events.
    """
    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            callback()

    _AfterPaint(widget, once)
    QTimer.singleShot(fallback_ms, once)


def after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Run ``callback`` once ``widget`` has been painted (soon, if it is on screen already).

    Background work started earlier competes with the first frame for the interpreter.
    """
    if widget.isVisible():
        QTimer.singleShot(0, callback)
    else:
        _AfterPaint(widget, callback)


def show_field_problems(error: BaseException, errors: Mapping[str, ErrorLabel], tell: Callable[[str], None]) -> None:
    """Put each translated reason of a ``ValidationFailed`` under its field; anything else goes to ``tell``.

    A problem's path names the field first or after its container (``conclusions.cb_name``): the
    first part that has an error label wins.
    """
    problems = getattr(error, "problems", None)
    if not problems:
        tell(str(error))
        return
    for path, reason in problems:
        label = next((errors[part] for part in str(path).split(".") if part in errors), None)
        if label is not None:
            label.show_error(reason)
        else:
            tell(reason)


def master_detail(page: QWidget, master: QWidget, details: list[QWidget],
                  stretch: tuple[int, int] = (5, 4)) -> QStackedWidget:
    """Lay ``page`` out as a list on the left and, on the right, a stack of ``details`` (the first is
    shown while nothing is selected); the two sides share the width by ``stretch`` and never collapse."""
    stack = QStackedWidget()
    for detail in details:
        stack.addWidget(detail)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(master)
    splitter.addWidget(stack)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.addWidget(splitter)
    return stack


class AutoSaveText(QPlainTextEdit):
    """A multi-line field that asks to save after a typing pause or when it loses focus.

    Its own undo/redo stack (Ctrl+Z / Ctrl+Shift+Z) is kept across saves: the
    text is only replaced from the store when the user is not editing it.
    """

    commit = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._saved = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._changed)

    def _changed(self) -> None:
        if self.toPlainText() != self._saved:
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._saved:
            self._saved = text
            emit(self.commit, text)

    def show_stored(self, text: str) -> None:
        """Show the stored value; keeps the user's edits and undo history while they type."""
        if self.hasFocus() and self.toPlainText() != text:
            self._saved = text
            return
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
        self._saved = text

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.flush()
        super().focusOutEvent(event)


class AutoSaveLine(QLineEdit):
    """A single-line field with the same save-on-pause behaviour."""

    commit = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saved = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.editingFinished.connect(self.flush)

    def flush(self) -> None:
        self._timer.stop()
        if self.text() != self._saved:
            self._saved = self.text()
            emit(self.commit, self.text())

    def show_stored(self, text: str) -> None:
        if not self.hasFocus() and self.text() != text:
            self.setText(text)
        self._saved = text


class KeyForwarder(QObject):
    """Event filter that hands key presses of a watched widget to a callback first."""

    def __init__(self, handler: object, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handler = handler

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            return bool(self._handler(event))  # type: ignore[operator]
        return False


class FileDrop(QObject):
    """Event filter that accepts files dropped on a widget and hands their paths to a callback."""

    def __init__(self, target: QWidget, handler: object) -> None:
        super().__init__(target)
        self._handler = handler
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            mime = event.mimeData()  # type: ignore[attr-defined]
            if mime.hasUrls() and any(url.isLocalFile() for url in mime.urls()):
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        if kind == QEvent.Type.Drop:
            mime = event.mimeData()  # type: ignore[attr-defined]
            paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if paths:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                self._handler(paths)  # type: ignore[operator]
                return True
        return False
