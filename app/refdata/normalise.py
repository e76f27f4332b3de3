"""Normalising user-typed codes: full-width forms, case, spaces and dashes.

Only changes that cannot alter the meaning of a code are made, and each one
is reported as a note so the user sees what was cleaned up.
"""

from __future__ import annotations

import unicodedata

from app.i18n import N_
from app.refdata.verdict import Reason

MAX_INPUT = 64
# Dashes and separators people type inside codes (ASCII, full-width and CJK forms).
_SEPARATORS = "-_－—–‐‑·・/"
_DROP_SEPARATORS = str.maketrans("", "", _SEPARATORS)


def normalise_code(value: object, *, upper: bool = True) -> tuple[str, list[Reason]]:
    """Return the cleaned text and notes saying what was changed.

    Non-string input becomes an empty string with no notes: callers report it as
    "must be text".  Overlong input is cut to a bounded length first so a pasted
    document never costs more than a few microseconds.
    """
    if not isinstance(value, str):
        return "", []
    notes: list[Reason] = []
    text = value[: MAX_INPUT * 4]
    folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
    if folded != text:
        notes.append(Reason(N_("Full-width characters were converted to half-width.")))
    # translate() and split() run in C: normalising stays cheap even on a pasted paragraph.
    stripped = "".join(folded.translate(_DROP_SEPARATORS).split())
    if stripped != folded:
        notes.append(Reason(N_("Spaces and dashes were removed.")))
    if upper and stripped != stripped.upper():
        notes.append(Reason(N_("Lowercase letters were converted to uppercase.")))
        stripped = stripped.upper()
    return stripped, notes
