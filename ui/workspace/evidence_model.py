"""Evidence of one audit as a thumbnail grid; thumbnails arrive lazily, a few at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap

from app.domain import Evidence
from app.i18n import _
from ui import theme

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_EDGE = 132


@dataclass
class EvidenceRow:
    evidence: Evidence
    state: str
    thumbnail: QPixmap | None = None
    requested: bool = False


def placeholder(text: str) -> QPixmap:
    """A neutral tile with the file type, for documents and thumbnails not loaded yet."""
    colours = theme.current()
    pixmap = QPixmap(ICON_EDGE, ICON_EDGE)
    pixmap.fill(QColor(colours.alt))
    painter = QPainter(pixmap)
    painter.setPen(QColor(colours.muted))
    painter.drawRect(0, 0, ICON_EDGE - 1, ICON_EDGE - 1)
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


def kind_label(media_type: str) -> str:
    main, _slash, sub = media_type.partition("/")
    if main == "image":
        return sub.upper()
    if main == "audio":
        return _("Audio")
    if main == "video":
        return _("Video")
    return (sub.split(".")[-1].split("+")[0] or main).upper()[:8]


class EvidenceModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[EvidenceRow] = []
        self._placeholders: dict[str, QPixmap] = {}

    def set_rows(self, rows: list[EvidenceRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def add_rows(self, rows: list[EvidenceRow]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def row_of(self, evidence_id: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.evidence.id == evidence_id), -1)

    def set_thumbnail(self, sha256: str, image: QImage | None) -> None:
        pixmap = QPixmap.fromImage(image) if image is not None and not image.isNull() else None
        for n, row in enumerate(self.rows):
            if row.evidence.sha256 == sha256:
                row.thumbnail = pixmap
                index = self.index(n)
                emit_changed(self, index)

    def wanting_thumbnails(self, first: int, last: int) -> list[EvidenceRow]:
        """Rows in ``first..last`` whose thumbnail was never asked for (marks them as asked)."""
        wanted = []
        for row in self.rows[max(0, first):last + 1]:
            if not row.requested and row.evidence.media_type.startswith("image/"):
                row.requested = True
                wanted.append(row)
        return wanted

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        evidence = row.evidence
        if role == Qt.ItemDataRole.DisplayRole:
            return evidence.caption or evidence.file_name or evidence.sha256[:12]
        if role == Qt.ItemDataRole.DecorationRole:
            if row.thumbnail is not None:
                return QIcon(row.thumbnail)
            label = kind_label(evidence.media_type)
            if label not in self._placeholders:
                self._placeholders[label] = placeholder(label)
            return QIcon(self._placeholders[label])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{evidence.file_name}\n{evidence.media_type} · {row.state}"
        if role == ID_ROLE:
            return evidence.id
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(ICON_EDGE + 24, ICON_EDGE + 44)
        return None


def emit_changed(model: EvidenceModel, index: QModelIndex) -> None:
    from ui.signals import emit

    emit(model.dataChanged, index, index)
