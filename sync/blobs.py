"""Moving evidence bytes after the records: resumable chunked uploads, ranged downloads.

Records sync first, so team members see an evidence entry ("waiting for upload") before its
bytes arrive.  Uploads ask the platform for the offset it already holds and continue there;
the platform checks the full SHA-256 before the blob counts.  Downloads fetch ranges and are
re-hashed by the vault as they are encrypted in, so a wrong byte never reaches the vault.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from app.domain import Evidence
from app.domain.base import utc_now
from app.errors import SyncError
from app.evidence.state import EvidenceState, register_state_provider
from app.evidence.vault import Vault
from app.i18n import N_
from app.progress import NoProgress, Progress, check_cancelled
from app.services.session import SIGNED_IN_USER, Session
from app.store import Store
from sync.protocol.blobs import MAX_CHUNK, BlobOffer, BlobStatus
from sync.transport import Reply, check, parse_reply

CHUNK = 2 * 1024 * 1024


class BlobRefused(SyncError):
    message = N_("The platform refused the evidence file {sha256}: {detail}")


class DownloadCorrupt(SyncError):
    message = N_("The downloaded evidence file does not match its hash {sha256}; it was discarded.")


@dataclass
class TransferReport:
    uploaded: int = 0
    already_present: int = 0
    downloaded: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"uploaded": self.uploaded, "already_present": self.already_present, "downloaded": self.downloaded,
                "bytes_sent": self.bytes_sent, "bytes_received": self.bytes_received, "failed": self.failed}


def uploaded_hashes(store: Store) -> set[str]:
    return {str(row[0]) for row in store.query("SELECT sha256 FROM blob_transfers WHERE state = 'uploaded'")}


@register_state_provider
def transfer_state(store: Store, vault: Vault, evidence: Evidence) -> EvidenceState | None:
    """What sync knows: uploaded, waiting for upload (local bytes, platform not yet told)."""
    if not vault.has(evidence.sha256):
        return EvidenceState.PENDING_DOWNLOAD
    rows = store.query("SELECT state FROM blob_transfers WHERE sha256 = ?", (evidence.sha256,))
    if rows and rows[0][0] == "uploaded":
        return EvidenceState.UPLOADED
    if store.meta(SIGNED_IN_USER):
        return EvidenceState.PENDING_UPLOAD
    return EvidenceState.LOCAL


class _RangeReader(io.RawIOBase):
    """A file-like view of a remote blob, fetched ``CHUNK`` bytes at a time with Range requests."""

    def __init__(self, fetch: Any, size: int) -> None:
        self._fetch = fetch
        self._size = size
        self._offset = 0
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        if not self._buffer:
            if self._offset >= self._size:
                return 0
            end = min(self._offset + CHUNK, self._size)
            self._buffer = self._fetch(self._offset, end)
            if not self._buffer:
                return 0
            self._offset += len(self._buffer)
        count = min(len(target), len(self._buffer))
        target[:count] = self._buffer[:count]
        self._buffer = self._buffer[count:]
        return count


class BlobTransfer:
    """Uploads this device's evidence bytes and downloads the team's, through the engine's login."""

    def __init__(self, session: Session, call: Any, send_raw: Any) -> None:
        self.session = session
        self.store = session.store
        self.vault = Vault(session.paths.vault, session.data_key)
        self._call = call          # (method, path, model, **kwargs) -> parsed reply, with token refresh
        self._send_raw = send_raw  # (method, path, data, params, headers) -> Reply, with token

    def _evidence(self) -> Iterator[Evidence]:
        for (data,) in self.store.query("SELECT data FROM records WHERE entity = 'evidence' AND deleted = 0"):
            yield Evidence.model_validate(json.loads(data))

    def run(self, progress: Progress | None = None) -> TransferReport:
        progress = progress or NoProgress()
        report = TransferReport()
        done = uploaded_hashes(self.store)
        items = list(self._evidence())
        for index, evidence in enumerate(items):
            check_cancelled(progress)
            progress.update(index, len(items), evidence.file_name or evidence.sha256[:12])
            try:
                if self.vault.has(evidence.sha256):
                    if evidence.sha256 not in done:
                        self._upload(evidence, report)
                        done.add(evidence.sha256)
                else:
                    self._download(evidence, report)
            except (BlobRefused, DownloadCorrupt) as refused:
                report.failed.append(str(refused))
        return report

    def _mark(self, sha256: str, state: str, detail: str = "") -> None:
        with self.store.unit_of_work("sync", origin="sync") as uow:
            uow.connection.execute(
                "INSERT INTO blob_transfers (sha256, state, detail, updated_at) VALUES (?,?,?,?) ON CONFLICT(sha256)"
                " DO UPDATE SET state = excluded.state, detail = excluded.detail, updated_at = excluded.updated_at",
                (sha256, state, detail, utc_now().isoformat()))

    def _upload(self, evidence: Evidence, report: TransferReport) -> None:
        offer = BlobOffer(sha256=evidence.sha256, size=evidence.size, audit_id=evidence.audit_id)
        status: BlobStatus = self._call("POST", "/blobs", BlobStatus, json_body=offer.model_dump())
        if status.status == "present":
            report.already_present += 1
            self._mark(evidence.sha256, "uploaded")
            return
        chunk_size = min(CHUNK, status.max_chunk, MAX_CHUNK)
        params = {"audit_id": evidence.audit_id, "size": evidence.size}
        offset = status.offset
        chunks = self._chunks_from(evidence.sha256, offset, chunk_size)
        while status.status == "upload":
            chunk = next(chunks, b"")
            reply = self._send_raw("PUT", f"/blobs/{evidence.sha256}/upload", chunk, {**params, "offset": offset})
            if reply.status == 409:
                # Someone (an earlier try) got further or the platform lost a tail: resume where it says.
                offset = _offset_in(reply, offset)
                chunks = self._chunks_from(evidence.sha256, offset, chunk_size)
                continue
            if reply.status == 422:
                raise BlobRefused(sha256=evidence.sha256, detail=_message(reply))
            status = parse_reply(reply, BlobStatus)
            report.bytes_sent += len(chunk)
            offset = status.offset
            if status.status == "upload" and not chunk:
                raise BlobRefused(sha256=evidence.sha256, detail="size")
        report.uploaded += 1
        self._mark(evidence.sha256, "uploaded")

    def _chunks_from(self, sha256: str, offset: int, size: int) -> Iterator[bytes]:
        """Verified plaintext from ``offset`` in pieces of ``size``, reading the vault once (constant memory)."""
        position, pending = 0, bytearray()
        for block in self.vault.open(sha256):
            end = position + len(block)
            if end > offset:
                pending += block[max(0, offset - position):]
                while len(pending) >= size:
                    yield bytes(pending[:size])
                    del pending[:size]
            position = end
        if pending:
            yield bytes(pending)

    def _download(self, evidence: Evidence, report: TransferReport) -> None:
        params = {"audit_id": evidence.audit_id}

        def fetch(start: int, end: int) -> bytes:
            reply = self._send_raw("GET", f"/blobs/{evidence.sha256}", b"", params,
                                   {"Range": f"bytes={start}-{end - 1}"})
            if reply.status == 404:
                raise _NotYet()
            check(reply)
            return bytes(reply.body)

        try:
            stored = self.vault.put_stream(_RangeReader(fetch, evidence.size))  # type: ignore[arg-type]
        except _NotYet:
            return  # the bytes are not on the platform yet: "waiting for download"
        try:
            if stored.sha256 != evidence.sha256:
                if stored.created:
                    self.vault.discard(stored.sha256, lambda _sha: False)
                raise DownloadCorrupt(sha256=evidence.sha256)
        finally:
            self.vault.release(stored.sha256)
        report.downloaded += 1
        report.bytes_received += stored.size
        self._mark(evidence.sha256, "uploaded")


class _NotYet(Exception):
    pass


def _offset_in(reply: Reply, fallback: int) -> int:
    try:
        return int(json.loads(reply.body)["error"]["details"][0]["offset"])
    except (ValueError, KeyError, IndexError, TypeError):
        return fallback


def _message(reply: Reply) -> str:
    try:
        return str(json.loads(reply.body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {reply.status}"
