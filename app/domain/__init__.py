"""Domain model: pydantic v2 models validated at the boundary."""

from app.domain.audit import (
    Audit,
    AuditStatus,
    AuditType,
    Organisation,
    Site,
    Standard,
    TeamMember,
    TeamRole,
)
from app.domain.base import DomainModel, Entity, explain, parse
from app.domain.checklist import Answer, ChecklistItem
from app.domain.evidence import Evidence, GeoPoint
from app.domain.finding import ClauseRef, Finding, FindingState, Grade
from app.domain.ids import new_id
from app.domain.signature import Signature, SignatureMethod
from app.errors import Term
from app.i18n import N_

ENTITY_LABELS: dict[str, str] = {
    "audit": N_("audit"),
    "checklist_item": N_("checklist item"),
    "finding": N_("finding"),
    "evidence": N_("evidence"),
    "signature": N_("signature"),
}


def entity_label(entity: str) -> Term:
    """The record type's name, translated when an error that names it is shown."""
    return Term(ENTITY_LABELS.get(entity, entity))


ENTITY_TYPES: dict[str, type[Entity]] = {
    model.entity_name: model for model in (Audit, ChecklistItem, Finding, Evidence, Signature)
}

__all__ = [
    "ENTITY_LABELS",
    "ENTITY_TYPES",
    "Answer",
    "Audit",
    "AuditStatus",
    "AuditType",
    "ChecklistItem",
    "ClauseRef",
    "DomainModel",
    "Entity",
    "Evidence",
    "Finding",
    "FindingState",
    "GeoPoint",
    "Grade",
    "Organisation",
    "Signature",
    "SignatureMethod",
    "Site",
    "Standard",
    "TeamMember",
    "TeamRole",
    "entity_label",
    "explain",
    "new_id",
    "parse",
]
