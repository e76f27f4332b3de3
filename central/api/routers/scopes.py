"""``GET /sync/scopes``: the audits the caller is on right now, with its role on each."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.services.membership import scopes as list_scopes
from sync.protocol import ScopesResponse

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERRORS,
                   dependencies=[Depends(schema_version)])


@router.get("/scopes", response_model=ScopesResponse)
def scopes(p: PlatformDep, who: PrincipalDep) -> ScopesResponse:
    with p.db.read() as conn:
        found = list_scopes(conn, who)
    return ScopesResponse(user_id=who.user_id, scopes=found, **p.hlc.stamp().model_dump())
