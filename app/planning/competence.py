"""Who may audit what: roles and scope-code competence."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.domain.audit import TeamMember, TeamRole

AUDITING_ROLES = (TeamRole.LEAD, TeamRole.AUDITOR)


def covers(member_code: str, audit_code: str) -> bool:
    """A competence code covers the same code and every finer code under it (17 covers 17.12.01)."""
    return audit_code == member_code or audit_code.startswith(member_code + ".")


def uncovered(codes: Iterable[str], *members: TeamMember | None) -> list[str]:
    """The audit scope codes none of ``members`` is competent for."""
    have = [code for member in members if member is not None for code in member.competence_codes]
    return [code for code in codes if not any(covers(mine, code) for mine in have)]


def auditors(team: Sequence[TeamMember]) -> list[TeamMember]:
    return [member for member in team if member.role in AUDITING_ROLES]


def experts(team: Sequence[TeamMember]) -> list[TeamMember]:
    return [member for member in team if member.role is TeamRole.TECHNICAL_EXPERT]
