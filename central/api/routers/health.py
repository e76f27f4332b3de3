"""``GET /health``: liveness, the schema version spoken and the server clock (no login needed)."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import PlatformDep
from sync.protocol import SCHEMA_VERSION, ServerClock


class Health(ServerClock):
    status: str
    schema_version: int


router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(p: PlatformDep) -> Health:
    return Health(status="ok", schema_version=SCHEMA_VERSION, **p.hlc.stamp().model_dump())
