"""Evidence bytes: offer a blob by hash, upload it in resumable chunks, download ranges."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sync.protocol.common import Identifier, WireModel

MAX_CHUNK = 4 * 1024 * 1024
MAX_BLOB = 4 * 1024**3
Sha256 = Field(pattern=r"^[0-9a-f]{64}$")


class BlobOffer(WireModel):
    """``POST /blobs``: "I have these bytes for this audit"."""

    sha256: str = Sha256
    size: int = Field(ge=0, le=MAX_BLOB)
    audit_id: Identifier


class BlobStatus(WireModel):
    """``present``: nothing to send. ``upload``: send from ``offset`` with ``PUT /blobs/{sha256}/upload``."""

    sha256: str
    status: Literal["present", "upload"]
    offset: int = 0
    max_chunk: int = MAX_CHUNK
