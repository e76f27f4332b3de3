"""``POST /sync/push``: apply a batch of mutations, each at most once."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.services.push import push as apply_push
from central.services.push import upgrade_required
from sync.protocol import SCHEMA_VERSION, PushRequest, PushResponse

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERRORS,
                   dependencies=[Depends(schema_version)])


@router.post("/push", response_model=PushResponse)
def push(body: PushRequest, p: PlatformDep, who: PrincipalDep) -> PushResponse:
    if body.schema_version != SCHEMA_VERSION:
        raise upgrade_required(body.schema_version)
    return apply_push(p.db, p.hlc, who, body)
