"""Importing files as evidence: check, type, inspect, encrypt into the vault, then commit the row.

Workers (threads: SHA-256, AES-GCM and Pillow's decoders do their heavy work without the GIL,
so two threads use both cores without copying 12 MP photos between processes) prepare each
file up to a durable, pinned vault blob and thumbnail.  The calling thread — the one that owns
the store's write path — commits each row in one unit of work and only then unpins the blob.
A failure or cancellation before the commit removes the blob again unless some row already
references it; a crash leaves at most an unreferenced blob, which :func:`recover` removes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain import ChecklistItem, Evidence, Finding
from app.domain.base import parse, utc_now
from app.errors import FieldAuditError, NotFound, ValidationFailed
from app.evidence.errors import CorruptFile, EmptyFile, FileTooLarge
from app.evidence.media import DEFAULT_LIMITS, Limits, PhotoInfo, inspect_photo
from app.evidence.sniff import kind_of, sniff
from app.evidence.sources import Source, check_source, display_path
from app.evidence.vault import StoredBlob, Vault
from app.i18n import N_
from app.progress import Cancelled, NoProgress, Progress, check_cancelled
from app.store import Store

CAPTION_LIMIT = 1000


@dataclass(frozen=True)
class Target:
    """Where imported evidence belongs and what the user said about it."""

    audit_id: str
    checklist_item_id: str | None = None
    finding_id: str | None = None
    caption: str = ""
    sensitive: bool = False
    derived_from: str | None = None


@dataclass(frozen=True)
class ImportFailure:
    path: str
    error: FieldAuditError

    def message(self) -> str:
        return str(self.error)


@dataclass
class ImportReport:
    imported: list[Evidence] = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)
    cancelled: bool = False


@dataclass(frozen=True)
class Prepared:
    """A file that is durable in the vault (pinned) and waits for its row."""

    source: Source
    media_type: str
    blob: StoredBlob
    photo: PhotoInfo | None


def check_target(store: Store, target: Target) -> None:
    store.audits.get(target.audit_id)
    if len(target.caption.strip()) > CAPTION_LIMIT:
        raise ValidationFailed(N_("The caption is too long (at most {limit} characters)."), limit=CAPTION_LIMIT)
    if target.checklist_item_id and target.finding_id:
        raise ValidationFailed(N_("Attach the evidence to a checklist item or to a finding, not both."))
    linked: list[tuple[type[ChecklistItem] | type[Finding], str]] = []
    if target.checklist_item_id:
        linked.append((ChecklistItem, target.checklist_item_id))
    if target.finding_id:
        linked.append((Finding, target.finding_id))
    for model, ident in linked:
        record = store.checklist.find(ident) if model is ChecklistItem else store.findings.find(ident)
        if record is None or record.scope_id != target.audit_id:
            raise NotFound(what=model.entity_name, ident=ident)


def is_referenced(store: Store, sha256: str) -> bool:
    """Any evidence row (tombstones included: a delete may still be undone or synced) uses it."""
    rows = store.query("SELECT 1 FROM records WHERE entity = 'evidence' AND "
                       "json_extract(data, '$.sha256') = ? LIMIT 1", (sha256,))
    return bool(rows)


def referenced_hashes(store: Store) -> set[str]:
    rows = store.query("SELECT DISTINCT json_extract(data, '$.sha256') FROM records WHERE entity = 'evidence'")
    return {str(row[0]) for row in rows if row[0]}


def new_evidence(prepared: Prepared, target: Target, actor: str, extra: dict[str, Any] | None = None) -> Evidence:
    """The record of prepared bytes; ``extra`` adds fields known at capture (an annotation's shapes)."""
    photo = prepared.photo
    return parse(Evidence, {
        "audit_id": target.audit_id, "sha256": prepared.blob.sha256, "media_type": prepared.media_type,
        "size": prepared.blob.size, "file_name": prepared.source.name,
        # The EXIF time says when the photo was taken; otherwise the moment of capture is now.
        "captured_at": photo.captured_at if photo and photo.captured_at else utc_now(),
        "author": actor[:64], "caption": target.caption, "gps": photo.gps if photo else None,
        "camera": photo.camera if photo else "", "orientation": photo.orientation if photo else None,
        "checklist_item_id": target.checklist_item_id, "finding_id": target.finding_id,
        "derived_from": target.derived_from, "sensitive": target.sensitive, **(extra or {}),
    })


class Importer:
    def __init__(self, store: Store, vault: Vault, actor: str, *, limits: Limits = DEFAULT_LIMITS,
                 workers: int = 2) -> None:
        self.store = store
        self.vault = vault
        self.actor = actor
        self.limits = limits
        self.workers = max(1, workers)

    # -- one file, in a worker ----------------------------------------------------------------
    def prepare(self, source: Source, progress: Progress, advance: Callable[[int], None]) -> Prepared:
        check_cancelled(progress)
        media_type = sniff(source.path, source.label)
        photo = None
        if kind_of(media_type).category == "image":
            photo = inspect_photo(source.path, media_type, source.label, self.limits)
            check_cancelled(progress)
        blob = self.vault.put_file(source.path, check=lambda: check_cancelled(progress), on_bytes=advance)
        try:
            if blob.size != source.size:
                # Typed and inspected one version, stored another: refuse rather than mislabel.
                raise CorruptFile(path=source.label, detail=N_("the file changed while it was being imported"))
            if photo is not None and photo.thumbnail is not None:
                self.vault.put_thumbnail(blob.sha256, photo.thumbnail)
        except BaseException as error:
            raise _PinnedFailure(blob.sha256, error) from error
        return Prepared(source, media_type, blob, photo)

    def prepare_bytes(self, data: bytes, name: str, media_type: str, photo: PhotoInfo | None) -> Prepared:
        """Bytes made or captured inside the app; runs in the calling thread (it may clean up)."""
        blob = self.vault.put_stream(io.BytesIO(data))
        try:
            if photo is not None and photo.thumbnail is not None:
                self.vault.put_thumbnail(blob.sha256, photo.thumbnail)
        except BaseException:
            self.abandon(blob.sha256)
            raise
        return Prepared(Source(Path(name), name, len(data), name), media_type, blob, photo)

    def import_bytes(self, data: bytes, name: str, target: Target) -> Evidence:
        """A clipboard paste, a camera photo or an audio note: content that never was a file."""
        check_target(self.store, target)
        # A display name only (never a path); undecodable characters become "?".
        label = name.strip().replace("/", "_").replace("\\", "_").encode("utf-8", "replace").decode()
        label = label[:255] or "capture"
        if not data:
            raise EmptyFile(path=label)
        if len(data) > self.limits.max_file_bytes:
            raise FileTooLarge(path=label, size=len(data) // 1_000_000,
                               limit=self.limits.max_file_bytes // 1_000_000)
        media_type = sniff(data, label)
        photo = None
        if kind_of(media_type).category == "image":
            photo = inspect_photo(data, media_type, label, self.limits)
        return self.commit(self.prepare_bytes(data, label, media_type, photo), target)

    # -- committing, in the calling thread ----------------------------------------------------
    def commit(self, prepared: Prepared, target: Target, extra: dict[str, Any] | None = None) -> Evidence:
        """One transaction for the row (and every field in ``extra``); the bytes go if it fails."""
        sha256 = prepared.blob.sha256
        try:
            evidence = new_evidence(prepared, target, self.actor, extra)
            with self.store.unit_of_work(actor=self.actor) as uow:
                uow.create(evidence)
        except BaseException:
            self.abandon(sha256)
            raise
        self.vault.release(sha256)
        return evidence

    def abandon(self, sha256: str) -> None:
        """Unpin and, unless a row already uses the same content, remove the bytes again."""
        self.vault.release(sha256)
        self.vault.discard(sha256, lambda digest: is_referenced(self.store, digest))

    # -- many files -----------------------------------------------------------------------------
    def run(self, paths: Sequence[Path | str], target: Target, progress: Progress | None = None) -> ImportReport:
        """Import ``paths``; per-file problems are collected, not raised.  Progress counts bytes."""
        progress = progress or NoProgress()
        check_target(self.store, target)
        report = ImportReport()
        sources: list[Source] = []
        for path in paths:
            try:
                sources.append(check_source(path, self.limits))
            except FieldAuditError as error:
                report.failures.append(ImportFailure(display_path(path), error))
        total = sum(s.size for s in sources)
        meter = _Meter(progress, total)
        done: list[tuple[int, Evidence]] = []
        with ThreadPoolExecutor(max_workers=min(self.workers, max(1, len(sources))),
                                thread_name_prefix="evidence-import") as pool:
            pending: dict[Future[Prepared], tuple[int, Source]] = {}
            queue = list(reversed(list(enumerate(sources))))
            # Keep only a few files in flight so a cancel stops quickly and few blobs are pinned.
            while queue or pending:
                while queue and len(pending) < self.workers * 2 and not progress.cancelled():
                    index, source = queue.pop()
                    future = pool.submit(self.prepare, source, progress, meter.counter(source))
                    pending[future] = (index, source)
                if progress.cancelled():
                    queue.clear()
                if not pending:
                    break
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    index, source = pending.pop(future)
                    evidence = self._settle(future, source, target, report)
                    if evidence is not None:
                        done.append((index, evidence))
                    meter.finish(source)
        report.cancelled = report.cancelled or progress.cancelled()
        # Workers finish in any order; report in the order the user gave.
        report.imported = [evidence for _index, evidence in sorted(done, key=lambda pair: pair[0])]
        return report

    def _settle(self, future: Future[Prepared], source: Source, target: Target,
                report: ImportReport) -> Evidence | None:
        try:
            return self.commit(future.result(), target)
        except _PinnedFailure as failed:
            self.abandon(failed.sha256)
            self._failed(failed.error, source, report)
        except (FieldAuditError, OSError) as error:
            self._failed(error, source, report)
        return None

    def _failed(self, error: BaseException, source: Source, report: ImportReport) -> None:
        if isinstance(error, Cancelled):
            report.cancelled = True
            return
        if isinstance(error, FieldAuditError):
            report.failures.append(ImportFailure(source.label, error))
            return
        if isinstance(error, OSError):
            report.failures.append(ImportFailure(source.label, _ReadFailed(path=source.label,
                                                                            detail=error.strerror or "")))
            return
        raise error


class _ReadFailed(FieldAuditError):
    message = N_("{path}: the file could not be read or stored ({detail}).")


class _PinnedFailure(Exception):
    """A worker failed after its blob was placed; the caller must unpin and clean it up."""

    def __init__(self, sha256: str, error: BaseException) -> None:
        super().__init__(sha256)
        self.sha256 = sha256
        self.error = error


class _Meter:
    """Byte-based progress shared by the workers (updates may come from any thread)."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress = progress
        self._total = total
        self._done = 0
        self._counted: dict[Path, int] = {}
        self._lock = threading.Lock()

    def counter(self, source: Source) -> Callable[[int], None]:
        def advance(count: int) -> None:
            with self._lock:  # updates stay in order (done never goes backwards)
                self._done += count
                self._counted[source.path] = self._counted.get(source.path, 0) + count
                self._progress.update(self._done, self._total, source.name)

        return advance

    def finish(self, source: Source) -> None:
        # A file refused before or during encryption still counts as done for the bar.
        with self._lock:
            self._done += max(0, source.size - self._counted.pop(source.path, 0))
            self._progress.update(self._done, self._total, source.name)
