"""The one progress interface long operations accept (Qt-free).

Services call ``progress.update(done, total, label)`` and check
``progress.cancelled()`` between steps; the UI adapts it to signals, the CLI to
nothing, tests to a recorder.
"""

from __future__ import annotations

from typing import Protocol

from app.errors import FieldAuditError
from app.i18n import N_


class Cancelled(FieldAuditError):
    message = N_("The operation was cancelled.")
    exit_code = 130


class Progress(Protocol):
    def update(self, done: int, total: int, label: str = "") -> None: ...

    def cancelled(self) -> bool: ...


class NoProgress:
    """Progress sink for callers that do not show progress."""

    def update(self, done: int, total: int, label: str = "") -> None:
        return None

    def cancelled(self) -> bool:
        return False


def check_cancelled(progress: Progress) -> None:
    """Raise :class:`Cancelled` when the user asked to stop."""
    if progress.cancelled():
        raise Cancelled()
