"""``POST /signing/countersign`` (a timestamp token over a synced signature) and ``GET /signing/platform-key``."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import ERRORS, PlatformDep, PrincipalDep
from central.services.countersign import countersign as make_token
from central.services.countersign import platform_key as public_key
from sync.protocol.countersign import CountersignRequest, CountersignResponse, PlatformKeyResponse

router = APIRouter(prefix="/signing", tags=["signing"], responses=ERRORS)


@router.post("/countersign", response_model=CountersignResponse)
def countersign(body: CountersignRequest, p: PlatformDep, who: PrincipalDep) -> CountersignResponse:
    return make_token(p.db, who, body, p.settings.now())


@router.get("/platform-key", response_model=PlatformKeyResponse)
def platform_key(p: PlatformDep, _who: PrincipalDep) -> PlatformKeyResponse:
    return public_key(p.db)
