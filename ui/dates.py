"""Showing stored ISO timestamps in the user's locale."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt

from app.i18n import _


def when(iso: str | None) -> str:
    """A stored ISO 8601 time as local short date and time ("not synced yet" when empty)."""
    if not iso:
        return _("not synced yet")
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODateWithMs)
    if not moment.isValid():
        moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    return QLocale().toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat) if moment.isValid() else iso
