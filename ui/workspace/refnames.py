"""Decoded names for codes and clauses, in the current language, from ``app.refdata``.

The one seam the screens use: a code without a known name is shown as the code
alone, and a damaged dataset never breaks a screen (the code is still shown).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app import refdata
from app.i18n import current_language

log = logging.getLogger(__name__)


def _safe(lookup: Callable[[], str | None]) -> str | None:
    try:
        return lookup()
    except Exception:  # reference data is an aid here: show the bare code rather than fail
        log.exception("reference data lookup failed")
        return None


def region_name(code: str) -> str | None:
    return _safe(lambda: refdata.region_name(code, current_language()))


def industry_name(code: str) -> str | None:
    return _safe(lambda: refdata.industry_name(code, current_language()))


def scope_name(code: str) -> str | None:
    return _safe(lambda: refdata.iaf_name(code, current_language()))


def clause_title(standard: str, clause: str) -> str | None:
    return _safe(lambda: refdata.clause_title(standard, clause, current_language()))


def canonical_standard(name: str) -> str | None:
    return _safe(lambda: refdata.canonical_standard(name))


def clause_problem(standard: str, clause: str) -> str | None:
    """Why ``standard clause`` is not a known clause reference, or None when it is fine."""
    def check() -> str | None:
        verdict = refdata.check_clause(standard, clause)
        return None if verdict.valid else (verdict.problems[0].text() if verdict.problems else "")
    return _safe(check)
