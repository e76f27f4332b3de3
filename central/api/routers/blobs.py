"""``/blobs``: content-addressed evidence bytes with resumable uploads and ranged downloads.

Membership of the audit is checked on every request; a blob counts only after its full SHA-256
was verified, so the evidence record that names it is "pending upload" for others until then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from central.api.deps import ERRORS, PlatformDep, PrincipalDep, schema_version
from central.blobs.storage import SHA256, BlobStorage, HashMismatch, OffsetMismatch, Staging
from central.db.tables import memberships, records
from central.errors import ApiError, forbidden, not_found
from sync.protocol.blobs import MAX_BLOB, MAX_CHUNK, BlobOffer, BlobStatus

router = APIRouter(prefix="/blobs", tags=["blobs"], responses=ERRORS,
                   dependencies=[Depends(schema_version)])
UPLOAD_ROLES = {"lead", "auditor", "technical_expert", "auditee"}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _stores(request: Request) -> tuple[BlobStorage, Staging]:
    state = request.app.state
    return state.blob_storage, state.blob_staging


def _role(p: PlatformDep, user_id: str, audit_id: str) -> str:
    with p.db.read() as conn:
        role = conn.execute(sa.select(memberships.c.role).where(
            memberships.c.audit_id == audit_id, memberships.c.user_id == user_id)).scalar()
    if role is None:
        raise forbidden("not_member", "You are not on this audit's team.")
    return str(role)


def _status(p: PlatformDep, sha256: str, present: bool, offset: int = 0) -> BlobStatus:
    # A chunk must also fit the platform's request body limit.
    return BlobStatus(sha256=sha256, status="present" if present else "upload", offset=offset,
                      max_chunk=min(MAX_CHUNK, p.settings.max_body_bytes))


def _check_sha(sha256: str) -> None:
    if not SHA256.match(sha256):
        raise ApiError(422, "invalid_hash", "A blob is named by the lowercase hex SHA-256 of its bytes.")


@router.post("", response_model=BlobStatus)
def offer(body: BlobOffer, request: Request, p: PlatformDep, who: PrincipalDep) -> BlobStatus:
    if _role(p, who.user_id, body.audit_id) not in UPLOAD_ROLES:
        raise forbidden("read_only_role", "Observers cannot upload evidence.")
    storage, staging = _stores(request)
    if storage.exists(body.sha256):
        return _status(p, body.sha256, True)
    return _status(p, body.sha256, False, staging.offset(body.sha256))


@router.get("/{sha256}/upload", response_model=BlobStatus)
def upload_offset(sha256: str, request: Request, p: PlatformDep, who: PrincipalDep,
                  audit_id: Annotated[str, Query(max_length=64)]) -> BlobStatus:
    _check_sha(sha256)
    _role(p, who.user_id, audit_id)
    storage, staging = _stores(request)
    if storage.exists(sha256):
        return _status(p, sha256, True)
    return _status(p, sha256, False, staging.offset(sha256))


@router.put("/{sha256}/upload", response_model=BlobStatus)
async def upload_chunk(sha256: str, request: Request, p: PlatformDep, who: PrincipalDep,
                       audit_id: Annotated[str, Query(max_length=64)],
                       offset: Annotated[int, Query(ge=0, le=MAX_BLOB)],
                       size: Annotated[int, Query(ge=0, le=MAX_BLOB)]) -> BlobStatus:
    _check_sha(sha256)
    if _role(p, who.user_id, audit_id) not in UPLOAD_ROLES:
        raise forbidden("read_only_role", "Observers cannot upload evidence.")
    storage, staging = _stores(request)
    if storage.exists(sha256):
        return _status(p, sha256, True)
    chunk = await request.body()
    limit = min(MAX_CHUNK, p.settings.max_body_bytes)
    if len(chunk) > limit:
        raise ApiError(413, "chunk_too_large", f"Send at most {limit} bytes per chunk.")
    if offset + len(chunk) > size:
        raise ApiError(422, "beyond_size", "The chunk goes past the declared size.")
    try:
        reached = staging.append(sha256, offset, chunk)
    except OffsetMismatch as mismatch:
        raise ApiError(409, "offset_mismatch", f"The upload is at offset {mismatch.current}; resume there.",
                       details=[{"offset": mismatch.current}]) from None
    if reached < size:
        return _status(p, sha256, False, reached)
    try:
        staged = staging.verify(sha256)
    except HashMismatch:
        raise ApiError(422, "hash_mismatch", "The uploaded bytes do not match the declared SHA-256; "
                                             "the upload was discarded.") from None
    storage.store_verified(sha256, staged)
    return _status(p, sha256, True)


def _may_download(p: PlatformDep, role: str, audit_id: str, sha256: str) -> bool:
    with p.db.read() as conn:
        rows = conn.execute(sa.select(records.c.data).where(
            records.c.entity == "evidence", records.c.audit_id == audit_id,
            records.c.deleted == sa.false())).all()
    for (data,) in rows:
        value = json.loads(data) if isinstance(data, str) else data
        if isinstance(value, dict) and value.get("sha256") == sha256:
            # The audited organisation never receives evidence marked sensitive.
            return not (role == "auditee" and value.get("sensitive"))
    return False


@router.get("/{sha256}", response_class=StreamingResponse,
            responses={200: {"content": {"application/octet-stream": {}}}, 206: {"description": "a range"}})
def download(sha256: str, request: Request, p: PlatformDep, who: PrincipalDep,
             audit_id: Annotated[str, Query(max_length=64)]) -> StreamingResponse:
    _check_sha(sha256)
    role = _role(p, who.user_id, audit_id)
    storage, _staging = _stores(request)
    if not _may_download(p, role, audit_id, sha256) or not storage.exists(sha256):
        raise not_found("blob_not_found", "No such evidence bytes in this audit (yet).")
    total = storage.size(sha256)
    start, end, status = 0, total, 200
    header = request.headers.get("range")
    if header:
        match = _RANGE.match(header.strip())
        if not match or (not match.group(1) and not match.group(2)):
            raise ApiError(416, "bad_range", "Only one 'bytes=start-end' range is supported.")
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)) + 1, total) if match.group(2) else total
        else:
            start = max(0, total - int(match.group(2)))
        if start >= total or end <= start:
            raise ApiError(416, "bad_range", "The range is outside the blob.")
        status = 206
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start), "ETag": f'"{sha256}"'}
    if status == 206:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{total}"

    def body() -> Iterator[bytes]:
        yield from storage.read(sha256, start, end)

    return StreamingResponse(body(), status_code=status, headers=headers, media_type="application/octet-stream")
