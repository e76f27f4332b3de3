"""The evidence service: the one entry for the UI and the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.domain import AuditStatus, Evidence
from app.evidence.annotation import parse_annotation, render
from app.evidence.errors import NotAnImage, OutputExists, UnknownEvidence
from app.evidence.importer import Importer, ImportReport, Target, is_referenced, referenced_hashes
from app.evidence.media import DEFAULT_LIMITS, Limits, PhotoInfo, make_thumbnail, open_image
from app.evidence.sniff import kind_of
from app.evidence.sources import check_path
from app.evidence.state import EvidenceState, evidence_state
from app.evidence.strip import StripMode, strip_metadata
from app.evidence.vault import Vault, is_sha256
from app.progress import Progress
from app.store import Store

if TYPE_CHECKING:
    from app.services.session import Session


@dataclass(frozen=True)
class Recovery:
    temp_files: int
    orphan_blobs: int
    orphan_thumbnails: int


def recover(store: Store, vault: Vault) -> Recovery:
    """After a crash: drop half-written files and blobs no row references.

    Run it when no import is running in this process (at unlock); the profile lock keeps
    other processes out.
    """
    temp = vault.clean_temp()
    referenced = referenced_hashes(store)
    orphans = 0
    for sha256 in list(vault.iter_hashes()):
        if sha256 not in referenced and vault.discard(sha256, lambda digest: is_referenced(store, digest)):
            orphans += 1
    thumbs = vault.orphan_thumbnails()
    for path in thumbs:
        path.unlink(missing_ok=True)
    return Recovery(temp, orphans, len(thumbs))


def purge_archived(store: Store, vault: Vault) -> int:
    """Remove bytes whose every referencing record is deleted and belongs to an archived audit."""
    rows = store.query("SELECT json_extract(data, '$.sha256'), deleted, audit_id FROM records "
                       "WHERE entity = 'evidence'")
    keep: set[str] = set()
    candidates: set[str] = set()
    for sha256, deleted, audit_id in rows:
        audit = store.audits.find(str(audit_id))
        if deleted and audit is not None and audit.status == AuditStatus.ARCHIVED:
            candidates.add(str(sha256))
        else:
            keep.add(str(sha256))
    removed = 0
    for sha256 in sorted(candidates - keep):
        if vault.has(sha256) and vault.discard(sha256, lambda _digest: False):
            removed += 1
    return removed


class EvidenceService:
    def __init__(self, store: Store, vault: Vault, actor: str, *, limits: Limits = DEFAULT_LIMITS,
                 workers: int = 2) -> None:
        self.store = store
        self.vault = vault
        self.actor = actor
        self.limits = limits
        self.importer = Importer(store, vault, actor, limits=limits, workers=workers)

    @classmethod
    def for_session(cls, session: Session, *, workers: int = 2, limits: Limits = DEFAULT_LIMITS,
                    recover_now: bool = True) -> EvidenceService:
        service = cls(session.store, Vault(session.paths.vault, session.data_key), session.actor,
                      limits=limits, workers=workers)
        if recover_now:
            recover(service.store, service.vault)
        return service

    # -- capture --------------------------------------------------------------------------------
    def import_files(self, audit_id: str, paths: Sequence[Path | str], *, checklist_item_id: str | None = None,
                     finding_id: str | None = None, caption: str = "", sensitive: bool = False,
                     progress: Progress | None = None) -> ImportReport:
        target = Target(audit_id, checklist_item_id or None, finding_id or None, caption, sensitive)
        return self.importer.run(paths, target, progress)

    def import_bytes(self, audit_id: str, data: bytes, name: str, *, checklist_item_id: str | None = None,
                     finding_id: str | None = None, caption: str = "", sensitive: bool = False) -> Evidence:
        """Evidence from the clipboard, the camera or the microphone (typed by content too)."""
        target = Target(audit_id, checklist_item_id or None, finding_id or None, caption, sensitive)
        return self.importer.import_bytes(data, name, target)

    def delete(self, ident: str) -> None:
        """Remove evidence from its audit: a tombstone; the bytes stay until the audit is archived
        and no record references them (:func:`purge_archived`)."""
        evidence = self.resolve(ident)
        with self.store.unit_of_work(actor=self.actor) as uow:
            uow.delete(Evidence, evidence.id)

    def annotate(self, ident: str, annotation: Any, *, caption: str | None = None) -> Evidence:
        """Draw ``annotation`` (model or JSON-able dict) on a photo; store it as new evidence
        linked to the original, whose bytes and row stay as they were."""
        model = parse_annotation(annotation)
        original = self.resolve(ident)
        if kind_of(original.media_type).category != "image":
            raise NotAnImage(sha256=original.sha256, media_type=original.media_type)
        data, media_type = render(self.vault.read_bytes(original.sha256), original.media_type, model,
                                  self.limits, display=original.file_name or original.sha256)
        photo = self._photo_of(data, media_type, original)
        stem = Path(original.file_name).stem or original.sha256[:12]
        name = f"{stem}-annotated.{kind_of(media_type).extension}"
        prepared = self.importer.prepare_bytes(data, name, media_type, photo)
        target = Target(original.audit_id, original.checklist_item_id, original.finding_id,
                        original.caption if caption is None else caption, original.sensitive, original.id)
        # The shapes stay with the copy so the drawing can be reviewed and edited later; they are part
        # of the new record, so the copy and its shapes land in one transaction or not at all.
        return self.importer.commit(prepared, target, {"annotation": model.model_dump(mode="json")})

    def _photo_of(self, data: bytes, media_type: str, original: Evidence) -> PhotoInfo:
        import io

        image = open_image(io.BytesIO(data), media_type, original.file_name)
        assert image is not None  # rendered by us as JPEG or PNG
        with image:
            size = image.size
            thumbnail = make_thumbnail(image, original.file_name, self.limits.thumbnail_edge)
        # The drawing is upright already (orientation None); time, camera and place are the original's.
        return PhotoInfo(size[0], size[1], thumbnail, original.captured_at, original.camera, None, original.gps)

    # -- reading --------------------------------------------------------------------------------
    def resolve(self, ident: str) -> Evidence:
        """Evidence by record id, or by content hash (the oldest record with that content)."""
        text = ident.strip().lower()
        if is_sha256(text):
            rows = self.store.query(
                "SELECT id FROM records WHERE entity = 'evidence' AND deleted = 0 AND "
                "json_extract(data, '$.sha256') = ? ORDER BY id LIMIT 1", (text,))
            if rows:
                return self.store.evidence.get(str(rows[0][0]))
        found = self.store.evidence.find(ident.strip())
        if found is None:
            raise UnknownEvidence(ident=ident)
        return found

    def list(self, audit_id: str) -> list[tuple[Evidence, EvidenceState]]:
        self.store.audits.get(audit_id)
        records = sorted(self.store.evidence.list(audit_id), key=lambda e: e.id)
        return [(record, evidence_state(self.store, self.vault, record)) for record in records]

    def thumbnail(self, sha256: str) -> bytes | None:
        """The cached thumbnail; rebuilt from the (verified) original when missing or damaged."""
        cached = self.vault.thumbnail(sha256)
        if cached is not None or not self.vault.has(sha256):
            return cached
        evidence = self.resolve(sha256)
        if kind_of(evidence.media_type).category != "image":
            return None
        import io

        image = open_image(io.BytesIO(self.vault.read_bytes(sha256)), evidence.media_type, evidence.file_name)
        if image is None:
            return None
        with image:
            data = make_thumbnail(image, evidence.file_name, self.limits.thumbnail_edge)
        self.vault.put_thumbnail(sha256, data)
        return data

    def export(self, ident: str, out: Path | str, *, strip: StripMode = StripMode.NONE,
               overwrite: bool = False) -> tuple[Evidence | None, int]:
        """A decrypted copy, re-verified against its hash before it appears at ``out``."""
        target = check_path(out)
        if target.exists() and not overwrite:
            raise OutputExists(path=str(target))
        text = ident.strip().lower()
        evidence: Evidence | None = None
        try:
            evidence = self.resolve(ident)
            sha256 = evidence.sha256
        except UnknownEvidence:
            # Bytes without a visible record (a deleted record's file) can still be exported.
            if not (is_sha256(text) and self.vault.has(text)):
                raise
            sha256 = text
        media_type = evidence.media_type if evidence is not None else ""
        transform = None
        if strip is not StripMode.NONE:
            def transform(data: bytes) -> bytes:
                return strip_metadata(data, media_type, strip)
        return evidence, self.vault.export(sha256, target, transform=transform)
