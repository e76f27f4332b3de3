"""Shapes of the five synced records as they travel, and who may change which field how.

The records are the client's domain models dumped with ``model_dump(mode="json")``.  These wire
models check structure and types (names, types, enums, lengths, patterns) so the platform never
stores a record another client cannot read; reference-data check characters (USCC, region and
industry dictionaries) are checked by the client's domain models at its own boundary.  A test keeps
the field names here identical to ``app/domain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from sync.protocol.common import WireModel

Text = str
AuditTypeName = Literal["stage1", "stage2", "surveillance", "recertification", "special"]
AuditStatusName = Literal["planned", "in_progress", "reporting", "closed", "archived"]
TeamRoleName = Literal["lead", "auditor", "technical_expert", "observer"]
StandardName = Literal["ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"]
ComplexityName = Literal["high", "medium", "low", "limited"]
AnswerName = Literal["conforming", "minor_nc", "major_nc", "observation", "opportunity", "not_applicable"]
GradeName = Literal["major_nc", "minor_nc", "observation", "opportunity"]
FindingStateName = Literal["raised", "acknowledged", "disputed", "action_submitted", "action_accepted",
                           "implementation_submitted", "verified", "closed", "reopened"]
SignatureMethodName = Literal["device_key", "handwritten", "platform_countersign"]
CLAUSE = r"^\d+(\.\d+)*$"
SHA256 = r"^[0-9a-f]{64}$"


class OrganisationRecord(WireModel):
    name: Text = Field(min_length=1, max_length=200)
    uscc: Text = Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")
    address: Text = Field(default="", max_length=300)
    region_code: Text = Field(pattern=r"^[1-8]\d{5}$")
    industry_code: Text = Field(pattern=r"^[A-T](\d{2}(\d{1,2})?)?$")
    representative: Text = Field(default="", max_length=100)


class SiteRecord(WireModel):
    name: Text = Field(min_length=1, max_length=200)
    address: Text = Field(default="", max_length=300)
    region_code: Text | None = Field(default=None, pattern=r"^[1-8]\d{5}$")
    personnel: int = Field(default=0, ge=0, le=1_000_000)
    processes: list[Text] = Field(default_factory=list, max_length=200)


class TeamMemberRecord(WireModel):
    user_id: Text = Field(min_length=1, max_length=64)
    name: Text = Field(min_length=1, max_length=100)
    role: TeamRoleName
    competence_codes: list[Text] = Field(default_factory=list, max_length=100)


RecommendationName = Literal["recommend", "recommend_after_actions", "not_recommended"]


class AuditConclusionRecord(WireModel):
    """The lead auditor's conclusions (mirrors ``app.domain.audit.AuditConclusion``)."""

    cb_name: Text = Field(default="", max_length=200)
    objectives: Text = Field(default="", max_length=4000)
    objectives_fulfilled: bool | None = None
    deviations: Text = Field(default="", max_length=4000)
    sampling: Text = Field(default="", max_length=4000)
    programme_issues: Text = Field(default="", max_length=4000)
    unresolved_issues: Text = Field(default="", max_length=4000)
    changes: Text = Field(default="", max_length=8000)
    conformity: Text = Field(default="", max_length=8000)
    effectiveness: Text = Field(default="", max_length=8000)
    internal_audit: Text = Field(default="", max_length=8000)
    marks_use: Text = Field(default="", max_length=4000)
    scope_appropriate: bool | None = None
    scope_note: Text = Field(default="", max_length=4000)
    recommendation: RecommendationName | None = None
    recommendation_note: Text = Field(default="", max_length=4000)
    previous_actions: Text = Field(default="", max_length=8000)


class AuditRecord(WireModel):
    id: Text = Field(min_length=1, max_length=64)
    title: Text = Field(min_length=1, max_length=200)
    client: OrganisationRecord
    sites: list[SiteRecord] = Field(default_factory=list, max_length=200)
    scope: Text = Field(default="", max_length=4000)
    standards: list[StandardName] = Field(min_length=1, max_length=10)
    scope_codes: list[Text] = Field(default_factory=list, max_length=100)
    audit_type: AuditTypeName
    start_date: date
    end_date: date
    effective_personnel: int = Field(ge=1, le=1_000_000)
    team: list[TeamMemberRecord] = Field(default_factory=list, max_length=100)
    status: AuditStatusName = "planned"
    conclusions: AuditConclusionRecord | None = None
    # IAF MD 5 complexity category per EMS / OH&S standard (mirrors ``Audit.complexity``).
    complexity: dict[StandardName, ComplexityName] = Field(default_factory=dict, max_length=10)


class ChecklistItemRecord(WireModel):
    id: Text = Field(min_length=1, max_length=64)
    audit_id: Text = Field(min_length=1, max_length=64)
    standard: Text = Field(min_length=1, max_length=40)
    clause: Text = Field(min_length=1, max_length=20, pattern=CLAUSE)
    also_covers: list[Text] = Field(default_factory=list, max_length=50)
    question: Text = Field(default="", max_length=2000)
    question_en: Text = Field(default="", max_length=2000)
    guidance: Text = Field(default="", max_length=2000)
    guidance_en: Text = Field(default="", max_length=2000)
    template_version: Text | None = Field(default=None, max_length=60)
    answer: AnswerName | None = None
    notes: Text = Field(default="", max_length=20000)
    evidence_ids: list[Text] = Field(default_factory=list, max_length=500)
    answered_by: Text | None = Field(default=None, max_length=64)
    answered_at: datetime | None = None
    assigned_to: Text | None = Field(default=None, max_length=64)


class ClauseRefRecord(WireModel):
    standard: Text = Field(min_length=1, max_length=40)
    clause: Text = Field(min_length=1, max_length=20, pattern=CLAUSE)


class FindingRecord(WireModel):
    id: Text = Field(min_length=1, max_length=64)
    audit_id: Text = Field(min_length=1, max_length=64)
    clause_refs: list[ClauseRefRecord] = Field(min_length=1, max_length=50)
    grade: GradeName
    requirement: Text = Field(default="", max_length=4000)
    objective_evidence: Text = Field(default="", max_length=8000)
    statement: Text = Field(min_length=1, max_length=4000)
    evidence_ids: list[Text] = Field(default_factory=list, max_length=500)
    checklist_item_id: Text | None = Field(default=None, max_length=64)
    state: FindingStateName = "raised"
    raised_by: Text = Field(default="", max_length=64)
    auditee_comment: Text = Field(default="", max_length=4000)
    root_cause: Text = Field(default="", max_length=4000)
    correction: Text = Field(default="", max_length=4000)
    corrective_action: Text = Field(default="", max_length=4000)
    action_owner: Text = Field(default="", max_length=100)
    action_due: Text | None = Field(default=None, max_length=10)
    verification_note: Text = Field(default="", max_length=4000)


class GeoPointRecord(WireModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    altitude: float | None = None


class EvidenceRecord(WireModel):
    id: Text = Field(min_length=1, max_length=64)
    audit_id: Text = Field(min_length=1, max_length=64)
    sha256: Text = Field(pattern=SHA256)
    media_type: Text = Field(min_length=1, max_length=100)
    size: int = Field(ge=0)
    file_name: Text = Field(default="", max_length=255)
    captured_at: datetime | None = None
    author: Text = Field(default="", max_length=64)
    caption: Text = Field(default="", max_length=1000)
    gps: GeoPointRecord | None = None
    camera: Text = Field(default="", max_length=200)
    orientation: int | None = Field(default=None, ge=1, le=8)
    checklist_item_id: Text | None = Field(default=None, max_length=64)
    finding_id: Text | None = Field(default=None, max_length=64)
    derived_from: Text | None = Field(default=None, max_length=64)
    sensitive: bool = False
    annotation: dict[str, Any] | None = None


class SignatureRecord(WireModel):
    id: Text = Field(min_length=1, max_length=64)
    audit_id: Text = Field(min_length=1, max_length=64)
    signer: Text = Field(min_length=1, max_length=100)
    role: Text = Field(min_length=1, max_length=40)
    method: SignatureMethodName
    subject: Text = Field(min_length=1, max_length=100)
    signed_hash: Text = Field(pattern=SHA256)
    algorithm: Text = Field(default="", max_length=40)
    signature: Text = Field(default="", max_length=10000)
    public_key: Text = Field(default="", max_length=2000)
    signed_at: datetime


RECORD_MODELS: dict[str, type[WireModel]] = {
    "audit": AuditRecord,
    "checklist_item": ChecklistItemRecord,
    "finding": FindingRecord,
    "evidence": EvidenceRecord,
    "signature": SignatureRecord,
}

CORRECTIVE_ACTION_FIELDS = frozenset({"auditee_comment", "root_cause", "correction", "corrective_action",
                                      "action_owner", "action_due"})


@dataclass(frozen=True)
class FieldPolicy:
    """How the platform merges and guards one record type.

    ``merge``: ``lww`` merges per field, the later HLC wins and the loser goes to history;
    ``conflict``: the same field changed concurrently by another device opens a conflict record.
    """

    entity: str
    merge: Literal["lww", "conflict"]
    immutable: frozenset[str] = frozenset({"id", "audit_id"})
    server_managed: frozenset[str] = frozenset()
    auditee_fields: frozenset[str] = frozenset()
    client_creatable: bool = True
    deletable: bool = True
    append_only: bool = False
    create_ops: frozenset[str] = field(default_factory=lambda: frozenset({"create"}))


POLICIES: dict[str, FieldPolicy] = {
    # Audits are created and staffed on the platform; the team list follows the assignments there.
    "audit": FieldPolicy("audit", "lww", immutable=frozenset({"id"}), server_managed=frozenset({"team"}),
                         client_creatable=False, deletable=False),
    "checklist_item": FieldPolicy("checklist_item", "lww"),
    "finding": FieldPolicy("finding", "conflict", auditee_fields=CORRECTIVE_ACTION_FIELDS),
    "evidence": FieldPolicy("evidence", "lww"),
    # The client's store sends a signature's creation as the "sign" op; "create" means the same.
    "signature": FieldPolicy("signature", "lww", deletable=False, append_only=True,
                             create_ops=frozenset({"create", "sign"})),
}


def policy_for(entity: str) -> FieldPolicy:
    return POLICIES[entity]
