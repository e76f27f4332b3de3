"""Drawing rectangles, arrows, blurred areas and labels on a photo preview.

The editor works on a scaled preview; the shapes it returns are in the photo's
own pixels (as displayed, orientation applied), which is what
``app.evidence.annotation`` renders on the original.  The original is never changed.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QKeySequence, QMouseEvent, QPen, QPixmap, QPolygonF, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.widgets import MutedLabel

TOOLS = ("rectangle", "arrow", "blur", "text")
RED = "#e53935"


class _Canvas(QGraphicsView):
    def __init__(self, editor: AnnotationEditor) -> None:
        super().__init__(editor.scene)
        self.editor = editor
        self._start: QPointF | None = None
        self._item: QGraphicsItem | None = None
        self.setRenderHints(self.renderHints())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = self.mapToScene(event.position().toPoint())
        if self.editor.tool == "text":
            self.editor.add_text(point)
            return
        self._start = point
        self._item = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is None:
            return
        point = self.mapToScene(event.position().toPoint())
        if self._item is not None:
            self.editor.scene.removeItem(self._item)
            self.editor.shapes.pop()
        self._item = self.editor.add_drag(self._start, point)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._start = None
        self._item = None


class AnnotationEditor(QDialog):
    """``exec()`` it; when accepted, ``annotation()`` gives the shapes in photo pixels."""

    def __init__(self, preview: QImage, original_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationEditor")
        self.setWindowTitle(_("Annotate photo"))
        self.resize(1000, 700)
        self.scale = original_width / max(1, preview.width())
        self.scene = QGraphicsScene(self)
        self.scene.addPixmap(QPixmap.fromImage(preview))
        self.scene.setSceneRect(QRectF(preview.rect()))
        self.shapes: list[tuple[QGraphicsItem, dict[str, Any]]] = []
        self.tool = "rectangle"
        self.canvas = _Canvas(self)
        self.tools = QButtonGroup(self)
        bar = QHBoxLayout()
        names = {"rectangle": _("Rectangle"), "arrow": _("Arrow"), "blur": _("Blur"), "text": _("Text")}
        for number, tool in enumerate(TOOLS):
            button = QPushButton(names[tool])
            button.setCheckable(True)
            button.setChecked(tool == self.tool)
            self.tools.addButton(button, number)
            bar.addWidget(button)
        self.tools.idClicked.connect(lambda n: setattr(self, "tool", TOOLS[n]))
        undo = QPushButton(_("Undo"))
        undo.clicked.connect(self.undo)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        bar.addWidget(undo)
        bar.addStretch(1)
        hint = MutedLabel(_("Drag on the photo to draw. The annotated copy is saved as new evidence "
                            "linked to the original."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.canvas.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _px(self, value: float) -> float:
        return round(value * self.scale, 1)

    def _box(self, a: QPointF, b: QPointF) -> QRectF:
        return QRectF(a, b).normalized()

    def add_drag(self, start: QPointF, end: QPointF) -> QGraphicsItem:
        pen = QPen(QColor(RED), max(2.0, 6 / self.scale))
        box = self._box(start, end)
        coords = [self._px(v) for v in (box.left(), box.top(), box.right(), box.bottom())]
        item: QGraphicsItem
        if self.tool == "arrow":
            item = self.scene.addLine(QLineF(start, end), pen)
            self._arrow_head(start, end, pen, item)
            shape: dict[str, Any] = {"kind": "arrow", "start": (self._px(start.x()), self._px(start.y())),
                                     "end": (self._px(end.x()), self._px(end.y())), "color": RED}
        elif self.tool == "blur":
            item = self.scene.addRect(box, QPen(Qt.PenStyle.DashLine), QBrush(QColor(128, 128, 128, 160)))
            shape = {"kind": "blur", "box": tuple(coords)}
        else:
            item = self.scene.addRect(box, pen)
            shape = {"kind": "rectangle", "box": tuple(coords), "color": RED}
        self.shapes.append((item, shape))
        return item

    def _arrow_head(self, start: QPointF, end: QPointF, pen: QPen, parent: QGraphicsItem) -> None:
        angle = math.atan2(end.y() - start.y(), end.x() - start.x())
        size = max(10.0, 24 / self.scale)
        points = [end] + [QPointF(end.x() - size * math.cos(angle + d), end.y() - size * math.sin(angle + d))
                          for d in (0.45, -0.45)]
        head = self.scene.addPolygon(QPolygonF(points), pen, QBrush(QColor(RED)))
        head.setParentItem(parent)

    def add_text(self, point: QPointF, text: str | None = None) -> None:
        if text is None:
            text, ok = QInputDialog.getText(self, _("Text"), _("Label to write on the photo:"))
            if not ok or not text.strip():
                return
        item = self.scene.addText(text)
        item.setDefaultTextColor(QColor(RED))
        item.setPos(point)
        size = max(12, int(48 / self.scale))
        font = item.font()
        font.setPixelSize(size)
        item.setFont(font)
        self.shapes.append((item, {"kind": "text", "position": (self._px(point.x()), self._px(point.y())),
                                   "text": text.strip(), "color": RED, "size": int(size * self.scale)}))

    def undo(self) -> None:
        if self.shapes:
            item, _shape = self.shapes.pop()
            self.scene.removeItem(item)

    def annotation(self) -> dict[str, Any]:
        return {"shapes": [shape for _item, shape in self.shapes]}
