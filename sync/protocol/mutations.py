"""``POST /sync/push``: a batch of mutations and, for each, what the platform did with it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sync.protocol.common import EntityName, Hlc, Identifier, OpName, ServerClock, WireModel

MAX_MUTATIONS_PER_PUSH = 500

ResultStatus = Literal["applied", "lww_lost", "conflict", "rejected"]


class Mutation(WireModel):
    """One change made offline on a device; ``mutation_id`` makes it safe to send any number of times."""

    mutation_id: Identifier = Field(description="idempotency key (client-made UUIDv7)")
    device_id: Identifier
    device_seq: int = Field(ge=1, le=2**62, description="1, 2, 3... per device, in the order made")
    audit_id: Identifier
    entity: EntityName
    entity_id: Identifier
    op: OpName
    base_rev: int = Field(ge=0, le=2**62, description="server revision the client last saw; 0 for create")
    fields: dict[str, Any] = Field(default_factory=dict,
                                   description="changed fields only; the full record for create/sign; "
                                               "ResolveFields for resolve; empty for delete")
    hlc: Hlc
    schema_version: int


class ResolveFields(WireModel):
    """``fields`` of a ``resolve`` mutation (lead auditor only).

    ``server`` keeps the platform's version (a deleted record stays deleted, a kept record stays);
    ``client`` takes the other side (its values, or its delete); ``values`` writes the given field
    values (and brings back a deleted record with them).
    """

    conflict_id: Identifier
    resolution: Literal["server", "client", "values"]
    values: dict[str, Any] = Field(default_factory=dict)


class PushRequest(WireModel):
    schema_version: int
    device_id: Identifier
    mutations: list[Mutation] = Field(min_length=1, max_length=MAX_MUTATIONS_PER_PUSH)


class ConflictDescriptor(WireModel):
    conflict_id: str
    kind: Literal["field", "edit_delete"]
    fields: list[str] = Field(description="fields changed on both sides (empty for edit_delete)")
    server_values: dict[str, Any]
    client_values: dict[str, Any]
    server_deleted: bool
    client_deleted: bool


class MutationError(WireModel):
    code: str = Field(description="e.g. forbidden_field, not_found, already_exists, invalid_record, "
                                  "record_deleted, append_only, open_conflicts, not_lead, device_seq")
    message: str


class MutationResult(WireModel):
    mutation_id: str
    status: ResultStatus
    rev: int = Field(description="the record's server revision after this mutation (0: no record)")
    record: dict[str, Any] | None = Field(description="the server's current full record; null when "
                                                      "deleted, absent or not visible to this user")
    deleted: bool
    lost: dict[str, Any] = Field(default_factory=dict,
                                 description="this mutation's values that lost to a later write (HLC)")
    conflict: ConflictDescriptor | None = None
    error: MutationError | None = None
    replayed: bool = Field(default=False, description="true when this is the stored result of an "
                                                      "earlier delivery of the same mutation_id")


class PushResponse(ServerClock):
    results: list[MutationResult]
