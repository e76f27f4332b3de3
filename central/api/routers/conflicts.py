"""``GET /sync/conflicts``: a scope's open conflicts (a report cannot be finalised while any is open)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.services.feed import conflicts as open_conflicts
from sync.protocol import ConflictsResponse

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERRORS,
                   dependencies=[Depends(schema_version)])


@router.get("/conflicts", response_model=ConflictsResponse)
def conflicts(p: PlatformDep, who: PrincipalDep,
              scope: Annotated[str, Query(min_length=1, max_length=64, description="audit id")]
              ) -> ConflictsResponse:
    return open_conflicts(p.db, p.hlc, who, scope)
