"""The answer every code check gives: valid or not, why, and what the code means."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.i18n import N_, gettext


@dataclass(frozen=True)
class Reason:
    """A translatable explanation: a ``N_``-marked template and its parameters."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        translated = gettext(self.template)
        try:
            return translated.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return translated


@dataclass(slots=True)
class CodeVerdict:
    """Treat as read-only.  (Not ``frozen``: a frozen dataclass costs ~0.7 µs more per check.)"""

    kind: str
    value: str
    valid: bool
    normalised: str | None = None
    problems: tuple[Reason, ...] = ()
    notes: tuple[Reason, ...] = ()
    parts: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "input": self.value,
            "valid": self.valid,
            "normalised": self.normalised,
            "problems": [reason.text() for reason in self.problems],
            "notes": [reason.text() for reason in self.notes],
            "parts": dict(self.parts),
        }


NOT_TEXT = Reason(N_("The code must be text."))
EMPTY = Reason(N_("The code is empty."))


def shown_input(value: object) -> str:
    """The input as it can be shown back to the user (bounded, never raises)."""
    if isinstance(value, str):
        return value[:256]
    try:
        return repr(value)[:100]
    except Exception:  # a hostile __repr__ must not break a validation
        return type(value).__name__


def verdict(kind: str, value: object, code: str, problems: list[Reason], notes: list[Reason],
            parts: dict[str, str] | None = None) -> CodeVerdict:
    valid = not problems
    return CodeVerdict(kind=kind, value=shown_input(value), valid=valid,
                       normalised=code if valid else None, problems=tuple(problems), notes=tuple(notes),
                       parts=dict(parts or {}))

