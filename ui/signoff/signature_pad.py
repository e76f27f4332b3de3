"""The signature pad: records a hand-drawn signature as vector strokes with timing.

Each point is ``(x, y, t)``: integer pad coordinates and milliseconds since the pen first touched
the pad.  Pen (tablet) and mouse/touch input both work; the model and its checks live in
``app.signing.strokes`` so the core validates exactly what the pad produced.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QTabletEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.base import utc_now
from app.signing.strokes import Strokes, parse_strokes

Point = tuple[int, int, int]


class SignaturePad(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setMinimumSize(480, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[list[Point]] = []
        self._drawing = False
        self._clock = QElapsedTimer()
        self._started_at = utc_now()
        self._input = "pointer"

    # -- what the core needs ------------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not any(self._strokes)

    def point_count(self) -> int:
        return sum(len(stroke) for stroke in self._strokes)

    def strokes(self) -> Strokes:
        """The drawing as the core's model (raises ``BadStrokes`` with a translated reason)."""
        return parse_strokes({"width": max(self.width(), 50), "height": max(self.height(), 20),
                              "started_at": self._started_at.isoformat(), "input": self._input,
                              "strokes": [list(s) for s in self._strokes if s]})

    def clear(self) -> None:
        self._strokes = []
        self._drawing = False
        self._clock.invalidate()
        self.update()
        self.changed.emit()

    # -- input ----------------------------------------------------------------------------------------
    def _point(self, position: QPointF) -> Point:
        if not self._clock.isValid():
            self._clock.start()
            self._started_at = utc_now()
        x = min(max(round(position.x()), 0), max(self.width(), 50))
        y = min(max(round(position.y()), 0), max(self.height(), 20))
        return x, y, int(self._clock.elapsed())

    def _begin(self, position: QPointF, source: str) -> None:
        self._input = source
        self._drawing = True
        self._strokes.append([self._point(position)])
        self.update()

    def _extend(self, position: QPointF) -> None:
        if self._drawing and self._strokes:
            point = self._point(position)
            if point[:2] != self._strokes[-1][-1][:2]:
                self._strokes[-1].append(point)
                self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), "pointer")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position(), "pen")
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()  # no synthesised mouse events on top of the pen's own

    # -- drawing ------------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#c8ccd2"), 1, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.75)
        painter.drawLine(16, baseline, self.width() - 16, baseline)
        painter.setPen(QPen(QColor("#1a1a2e"), 2.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for stroke in self._strokes:
            if not stroke:
                continue
            path = QPainterPath(QPointF(stroke[0][0], stroke[0][1]))
            for x, y, _t in stroke[1:]:
                path.lineTo(QPointF(x, y))
            if len(stroke) == 1:
                painter.drawPoint(QPointF(stroke[0][0], stroke[0][1]))
            painter.drawPath(path)
        painter.end()
