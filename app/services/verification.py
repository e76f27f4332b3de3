"""``verify``: database integrity, the journal chain, and every registered extra check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.i18n import N_, gettext
from app.services.session import Session
from app.store.journal import verify_chain


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    checked: int = 0
    problem: str = ""
    problem_params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return gettext(self.problem).format(**self.problem_params) if self.problem else ""

    def to_json(self) -> dict[str, Any]:
        return {"check": self.name, "ok": self.ok, "checked": self.checked, "problem": self.message()}


Check = Callable[[Session], CheckResult]
_EXTRA_CHECKS: list[Check] = []


def register_check(check: Check) -> Check:
    """Other parts (evidence vault, signatures) add their checks here."""
    if check not in _EXTRA_CHECKS:
        _EXTRA_CHECKS.append(check)
    return check


def check_database(session: Session) -> CheckResult:
    conn = session.store.connection()
    cipher_errors = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
    if cipher_errors:
        return CheckResult("database", False, problem=N_("Encrypted page check failed: {detail}"),
                           problem_params={"detail": cipher_errors[0]})
    result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        return CheckResult("database", False, problem=N_("Database integrity check failed: {detail}"),
                           problem_params={"detail": result[0]})
    return CheckResult("database", True, checked=1)


def check_journal(session: Session) -> CheckResult:
    count, broken = verify_chain(session.store.connection())
    if broken is None:
        return CheckResult("journal", True, checked=count)
    reasons = {
        "content": N_("Journal entry #{seq} ({entry}) was changed after it was written."),
        "link": N_("Journal entry #{seq} ({entry}) does not follow the entry before it."),
        "missing": N_("Journal entry #{seq} is missing."),
    }
    return CheckResult("journal", False, checked=count, problem=reasons[broken.reason],
                       problem_params={"seq": broken.seq, "entry": broken.entry_id})


def verify_profile(session: Session) -> list[CheckResult]:
    """Run every check; each stops at its own first broken item."""
    _load_optional_checks()
    return [check(session) for check in (check_database, check_journal, *_EXTRA_CHECKS)]


def _load_optional_checks() -> None:
    # Areas register their checks on import; importing here keeps verify complete.
    import importlib

    for module in ("app.evidence.verification", "app.signing.verification"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name is None or not module.startswith(error.name):
                raise
