"""``POST /signing/countersign`` (a timestamp token over a synced signature) and ``GET /signing/platform-key``."""

from __future__ import annotations

from fastapi import APIRouter, Query

from central.api.deps import ERRORS, PlatformDep, PrincipalDep
from central.services.countersign import countersign as make_token
from central.services.countersign import platform_key as public_key
from sync.protocol.countersign import CountersignRequest, CountersignResponse, PlatformKeyResponse

router = APIRouter(prefix="/signing", tags=["signing"], responses=ERRORS)


# exclude_none: the optional time-stamp fields stay absent for clients that did not ask (they refuse them).
@router.post("/countersign", response_model=CountersignResponse, response_model_exclude_none=True)
def countersign(body: CountersignRequest, p: PlatformDep, who: PrincipalDep,
                tsa: bool = Query(False, description="also ask the certification body's RFC 3161 "
                                                     "time-stamping authority, when one is configured")
                ) -> CountersignResponse:
    return make_token(p.db, who, body, p.settings.now(), tsa=p.settings.tsa, want_tsa=tsa)


@router.get("/platform-key", response_model=PlatformKeyResponse)
def platform_key(p: PlatformDep, _who: PrincipalDep) -> PlatformKeyResponse:
    return public_key(p.db)
