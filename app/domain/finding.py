"""Findings: what the audit found, against which clauses, and where it stands."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field, model_validator

from app.domain.base import DomainModel, Entity, invalid
from app.domain.codes import NonBlank
from app.i18n import N_


class Grade(StrEnum):
    MAJOR_NC = "major_nc"
    MINOR_NC = "minor_nc"
    OBSERVATION = "observation"
    OPPORTUNITY = "opportunity"


class FindingState(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    DISPUTED = "disputed"
    ACTION_SUBMITTED = "action_submitted"
    ACTION_ACCEPTED = "action_accepted"
    IMPLEMENTATION_SUBMITTED = "implementation_submitted"
    VERIFIED = "verified"
    CLOSED = "closed"
    REOPENED = "reopened"


GRADE_LABELS = {
    Grade.MAJOR_NC: N_("Major nonconformity"),
    Grade.MINOR_NC: N_("Minor nonconformity"),
    Grade.OBSERVATION: N_("Observation"),
    Grade.OPPORTUNITY: N_("Opportunity for improvement"),
}

FINDING_STATE_LABELS = {
    FindingState.RAISED: N_("Raised"),
    FindingState.ACKNOWLEDGED: N_("Acknowledged"),
    FindingState.DISPUTED: N_("Disputed"),
    FindingState.ACTION_SUBMITTED: N_("Corrective action submitted"),
    FindingState.ACTION_ACCEPTED: N_("Corrective action accepted"),
    FindingState.IMPLEMENTATION_SUBMITTED: N_("Implementation evidence submitted"),
    FindingState.VERIFIED: N_("Verified effective"),
    FindingState.CLOSED: N_("Closed"),
    FindingState.REOPENED: N_("Reopened"),
}


class ClauseRef(DomainModel):
    standard: NonBlank = Field(max_length=40)
    clause: NonBlank = Field(max_length=20, pattern=r"^\d+(\.\d+)*$")

    @model_validator(mode="after")
    def _known_clause(self) -> ClauseRef:
        # Standards with a catalogue must cite a clause that exists; others are accepted as written.
        from app.refdata import canonical_standard, check_clause

        if canonical_standard(self.standard) is not None:
            verdict = check_clause(self.standard, self.clause)
            if not verdict.valid:
                raise invalid(verdict.problems[0].template, **verdict.problems[0].params)
        return self


class Finding(Entity):
    entity_name: ClassVar[str] = "finding"

    audit_id: NonBlank = Field(max_length=64)
    clause_refs: list[ClauseRef] = Field(min_length=1)
    grade: Grade
    requirement: str = Field(default="", max_length=4000)
    objective_evidence: str = Field(default="", max_length=8000)
    statement: NonBlank = Field(max_length=4000)
    evidence_ids: list[str] = Field(default_factory=list)
    checklist_item_id: str | None = Field(default=None, max_length=64)
    state: FindingState = FindingState.RAISED
    raised_by: str = Field(default="", max_length=64)
    auditee_comment: str = Field(default="", max_length=4000)
    root_cause: str = Field(default="", max_length=4000)
    correction: str = Field(default="", max_length=4000)
    corrective_action: str = Field(default="", max_length=4000)
    action_owner: str = Field(default="", max_length=100)
    action_due: str | None = Field(default=None, max_length=10)
    verification_note: str = Field(default="", max_length=4000)

    @property
    def scope_id(self) -> str:
        return self.audit_id
