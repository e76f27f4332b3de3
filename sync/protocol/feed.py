"""Scopes, the paged change feed, snapshots and the records only the platform writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from sync.protocol.common import FeedEntity, ServerClock, SignatureSuite, WireModel

MAX_PAGE = 1000
DEFAULT_PAGE = 200

ScopeRole = Literal["lead", "auditor", "technical_expert", "observer", "auditee"]


class ScopeInfo(WireModel):
    audit_id: str
    title: str
    role: ScopeRole
    status: str
    rev: int
    open_conflicts: int = Field(description="a report cannot be finalised while this is above 0")
    head: int | None = Field(default=None, description=(
        "only with ?heads=true: the audit's newest feed sequence number (its compaction horizon if newer); "
        "a cursor at or above it has nothing to pull"))


class ScopesResponse(ServerClock):
    user_id: str
    scopes: list[ScopeInfo] = Field(description="an audit missing here is no longer the user's: "
                                                "purge it and quarantine its unsent changes")
    feed_head: int | None = Field(default=None, description=(
        "only with ?heads=true: the newest sequence number of the whole feed; a cursor above it means the "
        "platform's feed went back (restored from a backup): pull, get 410, take a snapshot"))
    # Defaulted, so the reply of a platform from before the choice existed means the international suite.
    signature_suite: SignatureSuite = Field(default="international", description=(
        "only with ?suite=true: the signature suite the certification body chose, which devices sign "
        "with (international: Ed25519 and SHA-256; national: SM2 and SM3); absent means international"))


class Change(WireModel):
    seq: int = Field(description="server order of the feed; the next cursor")
    entity: FeedEntity
    entity_id: str
    audit_id: str
    rev: int
    data: dict[str, Any] | None = Field(description="full record after the change; null when deleted")
    deleted: bool
    origin_device: str | None = Field(description="device whose mutation caused it; null: the platform")
    mutation_id: str | None


class PullResponse(ServerClock):
    scope: str
    changes: list[Change]
    cursor: int = Field(description="pass back as ?cursor= to continue")
    has_more: bool


class SnapshotRecord(WireModel):
    entity: FeedEntity
    entity_id: str
    rev: int
    data: dict[str, Any] | None
    deleted: bool


class SnapshotResponse(ServerClock):
    scope: str
    records: list[SnapshotRecord]
    cursor: int = Field(description="pull from here to follow later changes")


class ConflictRecord(WireModel):
    """``data`` of a feed change with entity ``conflict``: both versions, until the lead resolves it."""

    id: str
    audit_id: str
    entity: str
    entity_id: str
    kind: Literal["field", "edit_delete"]
    fields: list[str]
    base_rev: int
    server_rev: int
    server_values: dict[str, Any]
    client_values: dict[str, Any]
    server_deleted: bool
    client_deleted: bool
    server_device: str | None
    client_device: str
    client_hlc: str
    mutation_id: str
    status: Literal["open", "resolved"]
    resolution: Literal["server", "client", "values"] | None = None
    resolved_values: dict[str, Any] | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    created_at: datetime


class HistoryRecord(WireModel):
    """``data`` of a feed change with entity ``history``: a field value that lost to a later write."""

    id: str
    audit_id: str
    entity: str
    entity_id: str
    field: str
    lost_value: Any
    lost_hlc: str
    lost_device: str | None
    winner_value: Any
    winner_hlc: str
    winner_device: str | None
    rev: int
    recorded_at: datetime


class ConflictsResponse(ServerClock):
    scope: str
    conflicts: list[ConflictRecord]
