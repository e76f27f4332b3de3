"""On-site check-in: the opening and closing meetings (time, place, GPS, attendance, team photos).

Stored with existing entities only: a check-in is a small canonical JSON document kept in the
evidence vault (encrypted, content-addressed, synced as a blob) with an ``Evidence`` row carrying its
time and GPS; the team photos are ordinary photo evidence it names.  A document, once written, is
never rewritten: a correction is a new check-in, so the trail shows both.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Literal

from pydantic import Field, field_validator

from app.domain import Evidence, GeoPoint
from app.domain.base import DomainModel, invalid, parse
from app.domain.codes import NonBlank
from app.errors import FieldAuditError
from app.evidence.service import EvidenceService
from app.evidence.vault import Vault
from app.i18n import N_, _
from app.store import Store
from app.store.canonical import canonical_json

FORMAT: Literal["fieldaudit/checkin/1"] = "fieldaudit/checkin/1"
FILE_PREFIX = "fieldaudit-checkin-"
CAPTIONS = {"opening": N_("Opening meeting check-in"), "closing": N_("Closing meeting check-in")}


class CheckInError(FieldAuditError):
    message = N_("The check-in cannot be recorded.")


class OutsideAuditDates(CheckInError):
    message = N_("The meeting time {time} is outside the audit dates ({start} to {end}).")


class NoTeamPresent(CheckInError):
    message = N_("At least one member of the audit team must be in the attendance list.")


class NotATeamPhoto(CheckInError):
    message = N_("Evidence {ident} is not a photo of this audit.")


class Attendee(DomainModel):
    name: NonBlank = Field(max_length=100)
    side: Literal["team", "auditee", "other"]
    title: str = Field(default="", max_length=100)
    user_id: str | None = Field(default=None, max_length=64)


class CheckIn(DomainModel):
    format: Literal["fieldaudit/checkin/1"] = FORMAT
    audit_id: NonBlank = Field(max_length=64)
    meeting: Literal["opening", "closing"]
    held_at: datetime
    site: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    gps: GeoPoint | None = None
    gps_source: Literal["device", "photo", "manual"] | None = None
    attendees: list[Attendee] = Field(min_length=1, max_length=200)
    photo_evidence_ids: list[str] = Field(default_factory=list, max_length=50)
    recorded_by: str = Field(default="", max_length=64)
    notes: str = Field(default="", max_length=2000)

    @field_validator("held_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise invalid(N_("the time must include its time zone."))
        return value


def record_checkin(service: EvidenceService, store: Store, actor: str, data: object) -> tuple[CheckIn, Evidence]:
    """Validate and store a check-in; returns it (GPS filled from a team photo when missing)."""
    checkin = parse(CheckIn, data)
    audit = store.audits.get(checkin.audit_id)
    day = checkin.held_at.date()
    if not audit.start_date - timedelta(days=1) <= day <= audit.end_date + timedelta(days=1):
        raise OutsideAuditDates(time=checkin.held_at.isoformat(), start=audit.start_date.isoformat(),
                                end=audit.end_date.isoformat())
    if not any(person.side == "team" for person in checkin.attendees):
        raise NoTeamPresent()
    photos = []
    for ident in checkin.photo_evidence_ids:
        photo = store.evidence.find(ident)
        if photo is None or photo.audit_id != audit.id or not photo.media_type.startswith("image/"):
            raise NotATeamPhoto(ident=ident)
        photos.append(photo)
    if checkin.gps is None:
        located = next((p for p in photos if p.gps is not None), None)
        if located is not None:
            checkin = checkin.model_copy(update={"gps": located.gps, "gps_source": "photo"})
    checkin = checkin.model_copy(update={"recorded_by": checkin.recorded_by or actor})
    body = canonical_json(checkin.model_dump(mode="json"))
    name = f"{FILE_PREFIX}{checkin.meeting}-{checkin.held_at.strftime('%Y%m%dT%H%M%S')}.json"
    evidence = service.import_bytes(audit.id, body, name, caption=_(CAPTIONS[checkin.meeting]))
    changes = {"captured_at": checkin.held_at.isoformat(), "author": actor[:64],
               "gps": checkin.gps.model_dump(mode="json") if checkin.gps else None}
    with store.unit_of_work(actor) as uow:
        evidence = uow.update(Evidence, evidence.id, changes)
    return checkin, evidence


def is_checkin(evidence: Evidence) -> bool:
    return evidence.file_name.startswith(FILE_PREFIX) and evidence.media_type == "text/plain"


def checkin_documents(store: Store, vault: Vault, audit_id: str) -> list[tuple[Evidence, bytes]]:
    """The stored check-in documents of an audit (exact bytes, as hashed), oldest meeting first."""
    found = [(e, vault.read_bytes(e.sha256)) for e in store.evidence.list(audit_id) if is_checkin(e)
             and vault.has(e.sha256)]
    return sorted(found, key=lambda pair: (pair[0].captured_at.isoformat() if pair[0].captured_at else "",
                                           pair[0].id))


def list_checkins(store: Store, vault: Vault, audit_id: str) -> list[CheckIn]:
    return [parse(CheckIn, json.loads(body)) for _evidence, body in checkin_documents(store, vault, audit_id)]
