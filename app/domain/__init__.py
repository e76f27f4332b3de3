"""Domain model: pydantic v2 models validated at the boundary.

The names are loaded on first use (PEP 562): importing the models builds on pydantic (~0.2 s with the
code catalogues), which the desktop app's start-up (unlock, audit list) does not need.
``app.domain.vocabulary`` (enums and labels) is free of pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from app.errors import Term
from app.i18n import N_

if TYPE_CHECKING:
    from app.domain.audit import Audit, Organisation, Site, TeamMember
    from app.domain.base import DomainModel, Entity, explain, parse
    from app.domain.checklist import Answer, ChecklistItem
    from app.domain.evidence import Evidence, GeoPoint
    from app.domain.finding import ClauseRef, Finding, FindingState, Grade
    from app.domain.ids import new_id
    from app.domain.signature import Signature, SignatureMethod
    from app.domain.vocabulary import AuditStatus, AuditType, Standard, TeamRole

_WHERE = {
    "Audit": "app.domain.audit",
    "AuditStatus": "app.domain.vocabulary",
    "AuditType": "app.domain.vocabulary",
    "Organisation": "app.domain.audit",
    "Site": "app.domain.audit",
    "Standard": "app.domain.vocabulary",
    "TeamMember": "app.domain.audit",
    "TeamRole": "app.domain.vocabulary",
    "DomainModel": "app.domain.base",
    "Entity": "app.domain.base",
    "explain": "app.domain.base",
    "parse": "app.domain.base",
    "Answer": "app.domain.checklist",
    "ChecklistItem": "app.domain.checklist",
    "Evidence": "app.domain.evidence",
    "GeoPoint": "app.domain.evidence",
    "ClauseRef": "app.domain.finding",
    "Finding": "app.domain.finding",
    "FindingState": "app.domain.finding",
    "Grade": "app.domain.finding",
    "new_id": "app.domain.ids",
    "Signature": "app.domain.signature",
    "SignatureMethod": "app.domain.signature",
}

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


def _entity_types() -> dict[str, type[Entity]]:
    from app.domain.audit import Audit
    from app.domain.checklist import ChecklistItem
    from app.domain.evidence import Evidence
    from app.domain.finding import Finding
    from app.domain.signature import Signature

    return {model.entity_name: model for model in (Audit, ChecklistItem, Finding, Evidence, Signature)}


if TYPE_CHECKING:
    ENTITY_TYPES: dict[str, type[Entity]]


def __getattr__(name: str) -> Any:
    if name == "ENTITY_TYPES":
        value: Any = _entity_types()
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


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
