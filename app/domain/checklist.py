"""Checklist items: one question per standard clause, answered on site."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.base import Entity
from app.domain.codes import NonBlank
from app.i18n import N_


class Answer(StrEnum):
    CONFORMING = "conforming"
    MINOR_NC = "minor_nc"
    MAJOR_NC = "major_nc"
    OBSERVATION = "observation"
    OPPORTUNITY = "opportunity"
    NOT_APPLICABLE = "not_applicable"


ANSWER_LABELS = {
    Answer.CONFORMING: N_("Conforming"),
    Answer.MINOR_NC: N_("Minor nonconformity"),
    Answer.MAJOR_NC: N_("Major nonconformity"),
    Answer.OBSERVATION: N_("Observation"),
    Answer.OPPORTUNITY: N_("Opportunity for improvement"),
    Answer.NOT_APPLICABLE: N_("Not applicable"),
}


class ChecklistItem(Entity):
    entity_name: ClassVar[str] = "checklist_item"

    audit_id: NonBlank = Field(max_length=64)
    standard: NonBlank = Field(max_length=40)
    clause: NonBlank = Field(max_length=20, pattern=r"^\d+(\.\d+)*$")
    also_covers: list[str] = Field(default_factory=list)
    question: str = Field(default="", max_length=2000)
    # The same question in English (``question`` holds the audit language's text), so the UI can show either.
    question_en: str = Field(default="", max_length=2000)
    guidance: str = Field(default="", max_length=2000)
    guidance_en: str = Field(default="", max_length=2000)
    # The template that created the item, e.g. "fieldaudit-core@2026.1"; a newer template never rewrites it.
    template_version: str | None = Field(default=None, max_length=60)
    answer: Answer | None = None
    notes: str = Field(default="", max_length=20000)
    evidence_ids: list[str] = Field(default_factory=list)
    answered_by: str | None = Field(default=None, max_length=64)
    answered_at: datetime | None = None
    assigned_to: str | None = Field(default=None, max_length=64)

    @property
    def scope_id(self) -> str:
        return self.audit_id
