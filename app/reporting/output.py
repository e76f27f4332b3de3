"""What every writer returns: where the bytes went and their SHA-256.

The hash is computed from exactly the bytes written, so the report that was signed can be
proved later; callers record it (journal, signature) through the write path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from app.errors import ReportError
from app.i18n import N_
from app.store.atomic import atomic_write_bytes


class OutputNotWritable(ReportError):
    message = N_("The file {path} cannot be written: {reason}.")


@dataclass(frozen=True)
class WriteResult:
    format: str  # "docx", "pdf", "ofd"
    sha256: str
    size: int
    path: Path | None = None


def finish(data: bytes, kind: str, path: Path | str | None) -> WriteResult:
    """Hash ``data`` and, when ``path`` is given, write it atomically there."""
    target = Path(path) if path is not None else None
    if target is not None:
        try:
            atomic_write_bytes(target, data)
        except OSError as error:
            raise OutputNotWritable(path=str(target), reason=error.strerror or str(error)) from None
    return WriteResult(format=kind, sha256=hashlib.sha256(data).hexdigest(), size=len(data), path=target)
