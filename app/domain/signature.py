"""Signature records: who signed exactly what (by hash), how and when. Append-only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from app.domain.base import Entity, utc_now
from app.domain.codes import NonBlank


class SignatureMethod(StrEnum):
    DEVICE_KEY = "device_key"
    HANDWRITTEN = "handwritten"
    PLATFORM_COUNTERSIGN = "platform_countersign"


class Signature(Entity):
    entity_name: ClassVar[str] = "signature"

    audit_id: NonBlank = Field(max_length=64)
    signer: NonBlank = Field(max_length=100)
    role: NonBlank = Field(max_length=40)
    method: SignatureMethod
    subject: NonBlank = Field(max_length=100)
    signed_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    algorithm: str = Field(default="", max_length=40)
    signature: str = Field(default="", max_length=10000)
    public_key: str = Field(default="", max_length=2000)
    signed_at: datetime = Field(default_factory=utc_now)

    @property
    def scope_id(self) -> str:
        return self.audit_id
