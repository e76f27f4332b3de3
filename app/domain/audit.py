"""Audit programme / audit task."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, ValidationInfo, field_validator, model_validator

from app.domain import vocabulary
from app.domain.base import DomainModel, Entity, invalid
from app.domain.codes import USCC, IndustryCode, NonBlank, RegionCode, ScopeCode
from app.i18n import N_

# The vocabulary lives in a pydantic-free module (the audit list shows it before any model is needed);
# these names keep ``from app.domain.audit import AuditType`` working.
AUDIT_STATUS_LABELS = vocabulary.AUDIT_STATUS_LABELS
AUDIT_TYPE_LABELS = vocabulary.AUDIT_TYPE_LABELS
COMPLEXITY_CATEGORIES = vocabulary.COMPLEXITY_CATEGORIES
TEAM_ROLE_LABELS = vocabulary.TEAM_ROLE_LABELS
AuditStatus = vocabulary.AuditStatus
AuditType = vocabulary.AuditType
Complexity = vocabulary.Complexity
Standard = vocabulary.Standard
TeamRole = vocabulary.TeamRole


class Recommendation(StrEnum):
    RECOMMEND = "recommend"
    AFTER_ACTIONS = "recommend_after_actions"  # once the corrective actions for the NCs are accepted
    NOT_RECOMMENDED = "not_recommended"


class AuditConclusion(DomainModel):
    """What only the lead auditor says in the report (ISO/IEC 17021-1 clause 9.4.8).

    Empty text or ``None`` means "not given yet": the report generator lists it as missing rather
    than issuing a report with a gap.  Written only by the lead auditor (the platform refuses audit
    changes from other team members), so it lives on the audit and syncs with it.
    """

    cb_name: str = Field(default="", max_length=200)
    objectives: str = Field(default="", max_length=4000)
    objectives_fulfilled: bool | None = None
    deviations: str = Field(default="", max_length=4000)
    sampling: str = Field(default="", max_length=4000)
    programme_issues: str = Field(default="", max_length=4000)  # significant issues affecting the programme
    unresolved_issues: str = Field(default="", max_length=4000)
    changes: str = Field(default="", max_length=8000)  # significant changes since the last audit
    conformity: str = Field(default="", max_length=8000)
    effectiveness: str = Field(default="", max_length=8000)
    internal_audit: str = Field(default="", max_length=8000)
    marks_use: str = Field(default="", max_length=4000)  # use of certification documents and marks
    scope_appropriate: bool | None = None
    scope_note: str = Field(default="", max_length=4000)
    recommendation: Recommendation | None = None
    recommendation_note: str = Field(default="", max_length=4000)
    previous_actions: str = Field(default="", max_length=8000)


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
    conclusions: AuditConclusion | None = None
    # IAF MD 5 complexity category per EMS / OH&S standard of the audit (the audit time depends on it).
    complexity: dict[Standard, Complexity] = Field(default_factory=dict)

    @property
    def scope_id(self) -> str:
        return self.id

    @model_validator(mode="after")
    def _dates_in_order(self) -> Audit:
        if self.end_date < self.start_date:
            raise invalid(N_("the end date {end} is before the start date {start}."),
                          end=self.end_date.isoformat(), start=self.start_date.isoformat())
        return self

    @field_validator("complexity", mode="before")
    @classmethod
    def _known_categories(cls, value: object) -> object:
        # Before pydantic's enum check, whose message would name the dict key as if it were a field.
        if isinstance(value, dict):
            for standard, category in value.items():
                if standard not in {s.value for s in Standard}:
                    raise invalid(N_("{standard} is not a known standard: use ISO 14001:2015 or ISO 45001:2018."),
                                  standard=str(standard))
                if category not in {c.value for c in Complexity}:
                    raise invalid(N_("\"{category}\" is not a complexity category: use high, medium, low or "
                                     "limited."), category=str(category))
        return value

    @field_validator("complexity")
    @classmethod
    def _complexity_fits_standards(cls, value: dict[Standard, Complexity],
                                   info: ValidationInfo) -> dict[Standard, Complexity]:
        # A field validator (not a model one) so the message is labelled with the field's name.
        standards = info.data.get("standards") or []
        for standard, category in value.items():
            allowed = COMPLEXITY_CATEGORIES.get(standard, ())
            if standard not in standards:
                raise invalid(N_("a complexity category is given for {standard}, which is not a standard of this "
                                 "audit."), standard=str(standard))
            if not allowed:
                raise invalid(N_("{standard} has no IAF MD 5 complexity category (only ISO 14001 and ISO 45001 "
                                 "have one): remove it."), standard=str(standard))
            if category not in allowed:
                raise invalid(N_("{standard} has no \"{category}\" complexity category in IAF MD 5: use one of "
                                 "{allowed}."), standard=str(standard), category=category.value,
                              allowed=", ".join(c.value for c in allowed))
        return value

    def missing_complexity(self) -> list[Standard]:
        """The EMS / OH&S standards of the audit without their complexity category."""
        return [s for s in self.standards if s in COMPLEXITY_CATEGORIES and s not in self.complexity]

    def lead(self) -> TeamMember | None:
        return next((m for m in self.team if m.role is TeamRole.LEAD), None)
