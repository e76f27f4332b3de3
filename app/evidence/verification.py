"""``fieldaudit verify`` for the vault: every evidence file decrypts and re-hashes to its name."""

from __future__ import annotations

from pathlib import Path

from app.evidence.errors import VaultDamaged
from app.evidence.vault import Vault
from app.i18n import gettext
from app.services.session import Session
from app.services.verification import CheckResult, register_check
from app.store import ProfilePaths


def verify_vault(profile_dir: Path, data_key: bytes) -> list[str]:
    """Translated problems, one per broken file (empty when every file is intact)."""
    vault = Vault(ProfilePaths(profile_dir).vault, data_key)
    _count, problems = vault.verify()
    return [problem.message() for problem in problems]


def first_broken(profile_dir: Path, data_key: bytes) -> str | None:
    """The first vault file that does not verify (its hash), or None."""
    problem = Vault(ProfilePaths(profile_dir).vault, data_key).first_broken()
    return None if problem is None else problem.sha256


@register_check
def check_vault(session: Session) -> CheckResult:
    vault = Vault(session.paths.vault, session.data_key)
    count, problems = vault.verify()
    if not problems:
        return CheckResult("evidence", True, checked=count)
    first = problems[0]
    return CheckResult("evidence", False, checked=count, problem=VaultDamaged.message,
                       problem_params={"sha256": first.sha256, "detail": gettext(first.detail)})
