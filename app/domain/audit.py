"""Audit programme / audit task."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from app.domain.base import DomainModel, Entity, invalid
from app.domain.codes import USCC, IndustryCode, NonBlank, RegionCode, ScopeCode
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


class Organisation(DomainModel):
    name: NonBlank = Field(max_length=200)
    uscc: USCC
    address: str = Field(default="", max_length=300)
    region_code: RegionCode
    industry_code: IndustryCode
    representative: str = Field(default="", max_length=100)


class Site(DomainModel):
    name: NonBlank = Field(max_length=200)
    address: str = Field(default="", max_length=300)
    region_code: RegionCode | None = None
    personnel: int = Field(default=0, ge=0, le=1_000_000)
    processes: list[str] = Field(default_factory=list)


class TeamMember(DomainModel):
    user_id: NonBlank = Field(max_length=64)
    name: NonBlank = Field(max_length=100)
    role: TeamRole
    competence_codes: list[ScopeCode] = Field(default_factory=list)


class Audit(Entity):
    entity_name: ClassVar[str] = "audit"

    title: NonBlank = Field(max_length=200)
    client: Organisation
    sites: list[Site] = Field(default_factory=list)
    scope: str = Field(default="", max_length=4000)
    standards: list[Standard] = Field(min_length=1)
    scope_codes: list[ScopeCode] = Field(default_factory=list)
    audit_type: AuditType
    start_date: date
    end_date: date
    effective_personnel: int = Field(ge=1, le=1_000_000)
    team: list[TeamMember] = Field(default_factory=list)
    status: AuditStatus = AuditStatus.PLANNED

    @property
    def scope_id(self) -> str:
        return self.id

    @model_validator(mode="after")
    def _dates_in_order(self) -> Audit:
        if self.end_date < self.start_date:
            raise invalid(N_("the end date {end} is before the start date {start}."),
                          end=self.end_date.isoformat(), start=self.start_date.isoformat())
        return self

    def lead(self) -> TeamMember | None:
        return next((m for m in self.team if m.role is TeamRole.LEAD), None)
