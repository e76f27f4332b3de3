"""Base model, vocabularies and the hybrid-logical-clock text format used on the wire."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
"""Version of every request and response shape in this package (``schema_version`` on the wire)."""

SCHEMA_VERSION_HEADER = "FieldAudit-Schema-Version"
"""Optional request header; a value other than :data:`SCHEMA_VERSION` is answered with 426."""

EntityName = Literal["audit", "checklist_item", "finding", "evidence", "signature"]
FeedEntity = Literal["audit", "checklist_item", "finding", "evidence", "signature", "conflict", "history"]
OpName = Literal["create", "patch", "delete", "resolve", "sign"]
# The certification body's choice: international (Ed25519, SHA-256) or Chinese national (SM2, SM3).
SignatureSuite = Literal["international", "national"]

ENTITIES: tuple[str, ...] = ("audit", "checklist_item", "finding", "evidence", "signature")
FEED_ENTITIES: tuple[str, ...] = (*ENTITIES, "conflict", "history")
OPS: tuple[str, ...] = ("create", "patch", "delete", "resolve", "sign")
SIGNATURE_SUITES: tuple[str, ...] = get_args(SignatureSuite)

HLC_PATTERN = r"^\d{15}-\d{5}-[A-Za-z0-9._:-]{1,64}$"
Hlc = Annotated[str, Field(pattern=HLC_PATTERN, max_length=86,
                           description="'{wall_ms:015d}-{counter:05d}-{device_id}'; string order is causal order")]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


class WireModel(BaseModel):
    """Every wire model refuses unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


def format_hlc(wall_ms: int, counter: int, device: str) -> str:
    return f"{wall_ms:015d}-{counter:05d}-{device}"


def parse_hlc(text: str) -> tuple[int, int, str]:
    if not re.fullmatch(HLC_PATTERN, text):
        raise ValueError(f"not a hybrid logical clock timestamp: {text!r}")
    wall, counter, device = text.split("-", 2)
    return int(wall), int(counter), device


class ServerClock(WireModel):
    """Sent with every sync response so a client can warn when its own clock is far off."""

    server_time: datetime
    server_hlc: Hlc


class ErrorBody(WireModel):
    code: str = Field(description="stable machine-readable code, e.g. token_expired, schema_version")
    message: str = Field(description="English explanation for logs; clients translate by code")
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorResponse(WireModel):
    error: ErrorBody
