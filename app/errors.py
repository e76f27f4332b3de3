"""The one error family of the product.

Every error a user can cause carries a message id (English, marked for
translation) and named parameters; it is translated when it is shown, so the
language in force at display time wins.  The CLI prints ``str(error)`` as one
line; the UI shows the same text next to the field or in a dialog.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.i18n import N_, gettext


class Term(str):
    """A parameter value that is itself a message id (e.g. a record type): translated when shown."""

    __slots__ = ()


class FieldAuditError(Exception):
    """Base of all expected, user-facing errors (never shown with a traceback)."""

    message: ClassVar[str] = N_("An unexpected error occurred.")
    exit_code: ClassVar[int] = 2

    def __init__(self, message: str | None = None, /, **params: Any) -> None:
        self.template = message if message is not None else type(self).message
        self.params = params
        super().__init__(self.template)

    def __str__(self) -> str:
        text = gettext(self.template)
        params = {k: gettext(v) if isinstance(v, Term) else v for k, v in self.params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text


class ValidationFailed(FieldAuditError):
    """Invalid input; ``problems`` pairs each field path with its translated reason."""

    message = N_("The data is not valid.")

    problems: list[tuple[str, str]]

    def __init__(self, message: str | None = None, /, **params: Any) -> None:
        super().__init__(message, **params)
        self.problems = []

    @classmethod
    def from_problems(cls, problems: list[tuple[str, str]]) -> ValidationFailed:
        error = cls()
        error.problems = list(problems)
        return error

    def __str__(self) -> str:
        if self.problems:
            # Reasons were translated when they were explained; join them on one line.
            return "; ".join(reason for _path, reason in self.problems)
        return super().__str__()


class NotFound(FieldAuditError):
    message = N_("{what} {ident} was not found.")


class StoreError(FieldAuditError):
    message = N_("The local store cannot be used.")


class SecurityError(FieldAuditError):
    message = N_("The security check failed.")


class SyncError(FieldAuditError):
    message = N_("Synchronisation failed.")


class ReportError(FieldAuditError):
    message = N_("The document could not be produced.")
