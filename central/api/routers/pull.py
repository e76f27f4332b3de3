"""``GET /sync/pull``: one page of a scope's change feed after a cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.services.feed import pull as pull_page
from sync.protocol import ErrorResponse, PullResponse
from sync.protocol.feed import DEFAULT_PAGE, MAX_PAGE

router = APIRouter(prefix="/sync", tags=["sync"],
                   responses={**ERRORS, 410: {"model": ErrorResponse,
                                              "description": "cursor too old: take a snapshot"}},
                   dependencies=[Depends(schema_version)])


@router.get("/pull", response_model=PullResponse)
def pull(p: PlatformDep, who: PrincipalDep,
         scope: Annotated[str, Query(min_length=1, max_length=64, description="audit id")],
         cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE) -> PullResponse:
    return pull_page(p.db, p.hlc, who, scope, cursor, limit)
