"""The answer every code check gives: valid or not, why, and what the code means."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.i18n import gettext


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


@dataclass(frozen=True)
class CodeVerdict:
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
