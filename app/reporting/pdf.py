"""PDF writer through Qt's QPdfWriter/QPainter (QtGui only: it runs on Windows, macOS and Linux
without an office suite).

The document is laid out once by :mod:`app.reporting.layout`; this module only paints.  The
Chinese font is registered from the bytes of the located face, so Qt embeds (a subset of)
exactly that font with a ToUnicode map: text stays selectable and searchable.  Qt needs a
QGuiApplication; when the caller (CLI, tests, a worker process) has none, one is created with
the offscreen platform.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.errors import ReportError
from app.i18n import N_
from app.reporting.fonts import FontFace, find_cjk_font
from app.reporting.layout import MARK_GREY, ImageItem, LineItem, MarkItem, PageSetup, TextItem, layout
from app.reporting.model import Document
from app.reporting.output import WriteResult, finish

RESOLUTION = 600  # device units per inch
_MM = RESOLUTION / 25.4
_lock = threading.Lock()
_app: Any = None
_families: dict[tuple[str, int], str] = {}


class PdfFailed(ReportError):
    message = N_("The PDF could not be produced: {reason}.")


def ensure_gui_application() -> None:
    """Create a QGuiApplication (offscreen when no display is configured) unless one exists."""
    global _app
    from PySide6.QtGui import QGuiApplication

    with _lock:
        if QGuiApplication.instance() is None:
            if not os.environ.get("QT_QPA_PLATFORM") and not (
                    os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and os.name == "posix":
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            _app = QGuiApplication([])
            # Tear Qt down before the interpreter's final garbage collection, which would
            # otherwise destroy the application object at an arbitrary point and abort.
            atexit.register(_shutdown)


def _shutdown() -> None:
    global _app
    if _app is not None:
        with keep_none_alive():
            _app.shutdown()
            _app = None


@contextlib.contextmanager
def keep_none_alive() -> Iterator[None]:
    """Work around a PySide6 6.12 refcount bug on Python 3.11: void Qt methods (drawLine,
    setPen, setFont, drawImage, ...) return ``None`` without adding a reference, so each call
    takes one from ``None``; after enough calls the interpreter aborts when ``None``'s count
    reaches zero (at the latest while it shuts down).  The references lost while painting are
    counted and given back for good with ``Py_IncRef`` (a Python-level list would release them
    again at shutdown).  On Python >= 3.12 ``None`` is immortal and nothing is done.
    """
    before = sys.getrefcount(None)
    try:
        yield
    finally:
        lost = before - sys.getrefcount(None)
        if lost > 0 and sys.version_info < (3, 12):
            increment = ctypes.pythonapi.Py_IncRef
            increment.argtypes = [ctypes.py_object]
            for _ in range(lost):
                increment(None)


def _family(face: FontFace) -> str:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFontDatabase

    key = (face.path, face.index)
    with _lock:
        family = _families.get(key)
        if family is None:
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(face.sfnt))
            names = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if not names:
                raise PdfFailed(reason=f"Qt cannot load the font {face.path}")
            family = _families[key] = names[0]
    return family


def render_pdf(document: Document, face: FontFace | None = None, setup: PageSetup | None = None) -> bytes:
    """The PDF of ``document`` as bytes."""
    with keep_none_alive():
        return _render(document, face, setup)


def _render(document: Document, face: FontFace | None, setup: PageSetup | None) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
    from PySide6.QtGui import QPageSize, QPdfWriter

    ensure_gui_application()
    face = face or find_cjk_font()
    setup = setup or PageSetup()
    pages = layout(document, face, setup)
    family = _family(face)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QSizeF(setup.width, setup.height), QPageSize.Unit.Millimeter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setTitle(document.title)
    writer.setCreator("FieldAudit")
    if document.author and hasattr(writer, "setAuthor"):  # Qt >= 6.8
        writer.setAuthor(document.author)
    for name, content in sorted(document.attachments.items()):
        # An embedded file (/EmbeddedFiles name tree): any PDF reader lists it and can save it.
        writer.addFileAttachment(name, QByteArray(content), _media_type(name))
    return _paint(writer, buffer, data, pages, family)


def _media_type(name: str) -> str:
    return "application/json" if name.endswith(".json") else "application/octet-stream"


def _mark(painter: Any, item: MarkItem, family: str) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor, QFont

    font = QFont(family)
    font.setPointSizeF(item.size * 72 / 25.4)
    font.setBold(True)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor(MARK_GREY, MARK_GREY, MARK_GREY))
    painter.translate(item.cx * _MM, item.cy * _MM)
    painter.rotate(-item.angle)
    painter.drawText(QPointF(-item.width / 2 * _MM, item.size * 0.35 * _MM), item.text)
    painter.restore()


def _paint(writer: Any, buffer: Any, data: Any, pages: list[Any], family: str) -> bytes:
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    painter = QPainter()
    if not painter.begin(writer):
        raise PdfFailed(reason="QPainter could not start")
    fonts: dict[tuple[float, bool], QFont] = {}
    images: dict[int, QImage] = {}
    # Change font and pen only when they differ: fewer calls into Qt per page.
    current_font: tuple[float, bool] | None = None
    current_pen: float | None = None
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for number, page in enumerate(pages):
            if number:
                writer.newPage()
                current_font, current_pen = None, None
            for item in page.items:
                if isinstance(item, TextItem):
                    key = (item.size, item.bold)
                    font = fonts.get(key)
                    if font is None:
                        font = fonts[key] = QFont(family)
                        font.setPointSizeF(item.size * 72 / 25.4)
                        font.setBold(item.bold)
                        font.setKerning(False)
                    if key != current_font:
                        painter.setFont(font)
                        current_font = key
                    if current_pen != 0.0:
                        painter.setPen(QColor(0, 0, 0))
                        current_pen = 0.0
                    painter.drawText(QPointF(item.x * _MM, item.y * _MM), item.text)
                elif isinstance(item, LineItem):
                    if current_pen != item.width:
                        painter.setPen(QPen(QColor(0, 0, 0), item.width * _MM))
                        current_pen = item.width
                    painter.drawLine(QPointF(item.x1 * _MM, item.y1 * _MM), QPointF(item.x2 * _MM, item.y2 * _MM))
                elif isinstance(item, MarkItem):
                    _mark(painter, item, family)
                    current_font, current_pen = None, None
                elif isinstance(item, ImageItem):
                    picture = images.get(id(item.image))
                    if picture is None:
                        picture = images[id(item.image)] = QImage.fromData(item.image.data)
                    if picture.isNull():
                        raise PdfFailed(reason=f"Qt cannot decode the image {item.image.name or item.image.caption}")
                    painter.drawImage(QRectF(item.x * _MM, item.y * _MM, item.width * _MM, item.height * _MM),
                                      picture)
    finally:
        painter.end()
        buffer.close()
    return bytes(data.data())


def write_pdf(document: Document, path: Path | str | None = None, face: FontFace | None = None) -> WriteResult:
    """Render ``document`` as PDF, write it to ``path`` (if given) and return its SHA-256."""
    return finish(render_pdf(document, face), "pdf", path)
