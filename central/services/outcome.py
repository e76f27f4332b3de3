"""Building a mutation's result; ``Refused`` stops a mutation before it changes anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from central.services.clock import ServerHlc
from central.services.membership import visible
from central.services.recordstore import StoredRecord
from sync.protocol import ConflictDescriptor, Mutation, MutationError, MutationResult
from sync.protocol.mutations import ResultStatus


class Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class MutationContext:
    user_id: str
    device_id: str
    role: str
    hlc: ServerHlc


def result(ctx: MutationContext, m: Mutation, status: ResultStatus, record: StoredRecord | None, *,
           lost: dict[str, Any] | None = None, conflict: ConflictDescriptor | None = None,
           error: MutationError | None = None) -> MutationResult:
    data: dict[str, Any] | None = None
    deleted = False
    if record is not None:
        seen = visible(ctx.role, record.entity, record.data, record.deleted)
        if seen is not None:
            data = dict(seen[0]) if seen[0] is not None else None
            deleted = seen[1]
    return MutationResult(mutation_id=m.mutation_id, status=status,
                          rev=record.rev if record is not None else 0, record=data, deleted=deleted,
                          lost=lost or {}, conflict=conflict, error=error)


def refused(ctx: MutationContext, m: Mutation, why: Refused, record: StoredRecord | None) -> MutationResult:
    return result(ctx, m, "rejected", record, error=MutationError(code=why.code, message=why.message))
