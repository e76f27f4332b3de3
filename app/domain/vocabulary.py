"""The audit's vocabulary (types, statuses, roles, standards) and their labels: plain enums, no pydantic.

Kept apart from the models so the audit list can show them without building the domain's validators
(the desktop app's start-up reads the list before anything needs a model).
"""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_


class AuditType(StrEnum):
    STAGE1 = "stage1"
    STAGE2 = "stage2"
    SURVEILLANCE = "surveillance"
    RECERTIFICATION = "recertification"
    SPECIAL = "special"


class AuditStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTING = "reporting"
    CLOSED = "closed"
    ARCHIVED = "archived"


class TeamRole(StrEnum):
    LEAD = "lead"
    AUDITOR = "auditor"
    TECHNICAL_EXPERT = "technical_expert"
    OBSERVER = "observer"


class Standard(StrEnum):
    ISO9001 = "ISO 9001:2015"
    ISO14001 = "ISO 14001:2015"
    ISO45001 = "ISO 45001:2018"


class Complexity(StrEnum):
    """IAF MD 5 complexity category of an EMS's environmental aspects or an OH&SMS's risks."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    LIMITED = "limited"


# IAF MD 5:2019 sets categories for EMS (Annex B) and OH&SMS (Annex C, no "limited"); QMS has none.
COMPLEXITY_CATEGORIES: dict[Standard, tuple[Complexity, ...]] = {
    Standard.ISO14001: (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED),
    Standard.ISO45001: (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW),
}


AUDIT_TYPE_LABELS = {
    AuditType.STAGE1: N_("Stage 1"),
    AuditType.STAGE2: N_("Stage 2"),
    AuditType.SURVEILLANCE: N_("Surveillance"),
    AuditType.RECERTIFICATION: N_("Recertification"),
    AuditType.SPECIAL: N_("Special audit"),
}

AUDIT_STATUS_LABELS = {
    AuditStatus.PLANNED: N_("Planned"),
    AuditStatus.IN_PROGRESS: N_("In progress"),
    AuditStatus.REPORTING: N_("Reporting"),
    AuditStatus.CLOSED: N_("Closed"),
    AuditStatus.ARCHIVED: N_("Archived"),
}

TEAM_ROLE_LABELS = {
    TeamRole.LEAD: N_("Lead auditor"),
    TeamRole.AUDITOR: N_("Auditor"),
    TeamRole.TECHNICAL_EXPERT: N_("Technical expert"),
    TeamRole.OBSERVER: N_("Observer"),
}
