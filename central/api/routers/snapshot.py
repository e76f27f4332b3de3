"""``GET /sync/snapshot``: every current record of a scope and the cursor to pull on from."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.services.feed import snapshot as take_snapshot
from sync.protocol import SnapshotResponse

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERRORS,
                   dependencies=[Depends(schema_version)])


@router.get("/snapshot", response_model=SnapshotResponse)
def snapshot(p: PlatformDep, who: PrincipalDep,
             scope: Annotated[str, Query(min_length=1, max_length=64, description="audit id")]
             ) -> SnapshotResponse:
    return take_snapshot(p.db, p.hlc, who, scope)
