"""Normalising user-typed codes: full-width forms, case, spaces and dashes."""

from __future__ import annotations

import unicodedata

from app.i18n import N_
from app.refdata.verdict import Reason

MAX_INPUT = 64


def normalise_code(value: object, *, upper: bool = True) -> tuple[str, list[Reason]]:
    """Return the cleaned text and notes saying what was changed.

    Non-string input becomes an empty string (the caller reports it as missing).
    """
    if not isinstance(value, str):
        return "", [Reason(N_("The code must be text."))]
    notes: list[Reason] = []
    text = value[: MAX_INPUT * 4]
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        notes.append(Reason(N_("Full-width characters were converted to half-width.")))
    stripped = "".join(ch for ch in folded if not ch.isspace() and ch not in "-_－—")
    if stripped != folded.strip() or " " in folded.strip():
        notes.append(Reason(N_("Spaces and dashes were removed.")))
    if upper and stripped != stripped.upper():
        notes.append(Reason(N_("Lowercase letters were converted to uppercase.")))
        stripped = stripped.upper()
    return stripped, notes
