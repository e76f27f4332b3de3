"""Request and response models of the platform's own administration API (not used by the client)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sync.protocol import WireModel
from sync.protocol.auth import PlatformRole
from sync.protocol.records import AuditRecord

MemberRole = Literal["lead", "auditor", "technical_expert", "observer", "auditee"]


class CreateUserRequest(WireModel):
    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    role: PlatformRole
    password: str = Field(min_length=8, max_length=1024)
    competence_codes: list[str] = Field(default_factory=list, max_length=100)
    organisation: str = Field(default="", max_length=200)


class UpdateUserRequest(WireModel):
    """Disabling an account ends all its logins at once; a new password does too."""

    active: bool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    competence_codes: list[str] | None = Field(default=None, max_length=100)


class UserOut(WireModel):
    id: str
    username: str
    display_name: str
    role: PlatformRole
    competence_codes: list[str]
    organisation: str
    active: bool


class NewAudit(AuditRecord):
    """An audit as created by the platform: the id is made here when omitted; the team comes from
    the assignments (``PUT /admin/audits/{id}/team/{user}``)."""

    id: str | None = Field(default=None, min_length=1, max_length=64,  # type: ignore[assignment]
                           pattern=r"^[A-Za-z0-9._:-]+$")
    team: list[Any] = Field(default_factory=list, max_length=0)


class MemberOut(WireModel):
    user_id: str
    username: str
    display_name: str
    role: MemberRole


class AuditOut(WireModel):
    audit_id: str
    rev: int
    record: dict[str, Any]
    members: list[MemberOut]


class AssignRequest(WireModel):
    role: MemberRole


class CompactResponse(WireModel):
    audit_id: str
    horizon: int
