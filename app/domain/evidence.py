"""Evidence metadata (the bytes live encrypted in the vault, named by their hash)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import Field

from app.domain.base import DomainModel, Entity
from app.domain.codes import NonBlank


class GeoPoint(DomainModel):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    altitude: float | None = None


class Evidence(Entity):
    entity_name: ClassVar[str] = "evidence"

    audit_id: NonBlank = Field(max_length=64)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: NonBlank = Field(max_length=100)
    size: int = Field(ge=0)
    file_name: str = Field(default="", max_length=255)
    captured_at: datetime | None = None
    author: str = Field(default="", max_length=64)
    caption: str = Field(default="", max_length=1000)
    gps: GeoPoint | None = None
    camera: str = Field(default="", max_length=200)
    orientation: int | None = Field(default=None, ge=1, le=8)
    checklist_item_id: str | None = Field(default=None, max_length=64)
    finding_id: str | None = Field(default=None, max_length=64)
    derived_from: str | None = Field(default=None, max_length=64)
    sensitive: bool = False
    # The shapes drawn on an annotated copy (arrows, boxes, text, blur), kept so they can be edited again.
    annotation: dict[str, Any] | None = None

    @property
    def scope_id(self) -> str:
        return self.audit_id
