"""``GET /sync/scopes``: the audits the caller is on right now, with its role on each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.services.feed import feed_head
from central.services.membership import scopes as list_scopes
from sync.protocol import ScopesResponse

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERRORS,
                   dependencies=[Depends(schema_version)])


# Unset fields are left out, so a reply without ``?heads=true`` or ``?suite=true`` is exactly what
# schema-1 clients (which refuse unknown fields) have always parsed.
@router.get("/scopes", response_model=ScopesResponse, response_model_exclude_unset=True)
def scopes(p: PlatformDep, who: PrincipalDep,
           heads: Annotated[bool, Query(description="also send each audit's newest feed sequence number "
                                                    "(`head`) and the feed's (`feed_head`)")] = False,
           suite: Annotated[bool, Query(description="also send the certification body's signature suite "
                                                    "(`signature_suite`)")] = False,
           ) -> ScopesResponse:
    with p.db.read() as conn:
        found = list_scopes(conn, who, heads=heads)
        head = feed_head(conn) if heads else None
    reply = ScopesResponse(user_id=who.user_id, scopes=found, **p.hlc.stamp().model_dump())
    # Assigned, so they count as set and are sent.
    if head is not None:
        reply.feed_head = head
    if suite:
        reply.signature_suite = p.settings.signature_suite
    return reply
