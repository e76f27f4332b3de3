"""The evidence vault: encrypted, content-addressed files under the profile's ``vault/`` folder.

``objects/ab/<sha256>``  evidence bytes, named by the SHA-256 of the plaintext, format in
                         :mod:`app.evidence.vault_format` (context ``b""``);
``thumbs/ab/<sha256>``   the JPEG thumbnail of that evidence (context ``thumb:<sha256>``), a cache;
``tmp/``                 files being written; anything here after a crash is garbage.

Every file is written to ``tmp/``, fsynced, renamed into place and its folder fsynced, so a
file under ``objects/`` is always complete.  Identical content is stored once.  A blob that is
being imported is *pinned* in this process until its row is committed (or the import failed),
so a concurrent clean-up never removes it.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app.evidence.errors import BlobMissing, DiskFull, VaultDamaged
from app.evidence.vault_format import (
    VaultFormatError,
    ciphertext_size,
    decrypt_stream,
    derive_vault_key,
    encrypt_bytes,
    encrypt_stream,
)
from app.i18n import N_
from app.store.atomic import atomic_output, fsync_dir, new_temp, place, sync_and_close

SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when identical content was already in the vault


@dataclass(frozen=True)
class VaultProblem:
    sha256: str
    detail: str

    def message(self) -> str:
        return str(VaultDamaged(sha256=self.sha256, detail=self.detail))


def _no_check() -> None:
    return None


def is_sha256(value: str) -> bool:
    return bool(SHA256.match(value))


@dataclass
class _SharedState:
    """Per vault folder and process, shared by every :class:`Vault` object opened on it, so a
    second service (another window, a verify run) never cleans up what the first is writing."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    pins: Counter[str] = field(default_factory=Counter)
    writers: int = 0


_STATES: dict[Path, _SharedState] = {}
_STATES_LOCK = threading.Lock()


def _state_for(root: Path) -> _SharedState:
    key = root.resolve()
    with _STATES_LOCK:
        return _STATES.setdefault(key, _SharedState())


class Vault:
    def __init__(self, root: Path, data_key: bytes) -> None:
        self.root = root
        self._key = derive_vault_key(data_key)
        self.objects = root / "objects"
        self.thumbs = root / "thumbs"
        self.tmp = root / "tmp"
        self._state = _state_for(root)
        self._lock = self._state.lock
        self._pins = self._state.pins

    # -- paths ------------------------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.objects / sha256[:2] / sha256

    def thumb_path(self, sha256: str) -> Path:
        return self.thumbs / sha256[:2] / self.path_for(sha256).name

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def iter_hashes(self) -> Iterator[str]:
        if not self.objects.is_dir():
            return
        for shard in sorted(self.objects.iterdir()):
            if shard.is_dir():
                for path in sorted(shard.iterdir()):
                    if is_sha256(path.name) and path.name[:2] == shard.name:
                        yield path.name

    def stray_files(self) -> list[Path]:
        """Files under ``objects/`` that are not named as a blob (should never exist)."""
        if not self.objects.is_dir():
            return []
        return [p for p in self.objects.rglob("*")
                if p.is_file() and not (is_sha256(p.name) and p.parent.name == p.name[:2])]

    # -- pins ---------------------------------------------------------------------------------
    def release(self, sha256: str) -> None:
        with self._lock:
            self._pins[sha256] -= 1
            if self._pins[sha256] <= 0:
                del self._pins[sha256]

    def pinned(self, sha256: str) -> bool:
        with self._lock:
            return self._pins[sha256] > 0

    # -- writing --------------------------------------------------------------------------
    def _temp(self) -> tuple[Path, BinaryIO]:
        self.tmp.mkdir(parents=True, exist_ok=True)
        return new_temp(self.tmp)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self._lock:
            self._state.writers += 1
        try:
            yield
        finally:
            with self._lock:
                self._state.writers -= 1

    def put_stream(self, source: BinaryIO, *, check: Callable[[], None] = _no_check,
                   on_bytes: Callable[[int], None] | None = None) -> StoredBlob:
        """Encrypt ``source`` into the vault and pin the result (call :meth:`release` after).

        ``check`` runs before every chunk and may raise (cancellation): nothing is left behind.
        """
        digest = hashlib.sha256()

        def observe(chunk: bytes) -> None:
            check()
            digest.update(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))

        with self._writing():
            return self._put(source, observe, digest)

    def _put(self, source: BinaryIO, observe: Callable[[bytes], None], digest: Any) -> StoredBlob:
        tmp, handle = self._temp()
        try:
            try:
                size = encrypt_stream(source, handle, self._key, observe=observe)
            except BaseException:
                handle.close()
                raise
            sync_and_close(handle)
            return self._commit(tmp, digest.hexdigest(), size)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise DiskFull() from None
            raise
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def put_file(self, path: Path, *, check: Callable[[], None] = _no_check,
                 on_bytes: Callable[[int], None] | None = None) -> StoredBlob:
        with open(path, "rb") as source:
            return self.put_stream(source, check=check, on_bytes=on_bytes)

    def _commit(self, tmp: Path, sha256: str, size: int) -> StoredBlob:
        target = self.path_for(sha256)
        with self._lock:
            self._pins[sha256] += 1
            try:
                intact = target.is_file() and target.stat().st_size == ciphertext_size(size)
                if not intact:
                    # New content, or a damaged copy that this import repairs.
                    place(tmp, target)
            except BaseException:
                self._pins[sha256] -= 1
                if self._pins[sha256] <= 0:
                    del self._pins[sha256]
                raise
        return StoredBlob(sha256, size, created=not intact)

    def put_thumbnail(self, sha256: str, jpeg: bytes) -> None:
        with self._writing():
            self._put_thumbnail(sha256, jpeg)

    def _put_thumbnail(self, sha256: str, jpeg: bytes) -> None:
        # A thumbnail is a cache: no fsync (two per photo saved).  After a crash it is either
        # intact, missing or fails authentication, and :meth:`thumbnail` callers rebuild it.
        sealed = encrypt_bytes(jpeg, self._key, context=b"thumb:" + sha256.encode())
        self.tmp.mkdir(parents=True, exist_ok=True)
        try:
            with atomic_output(self.thumb_path(sha256), temp_folder=self.tmp, durable=False) as handle:
                handle.write(sealed)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise DiskFull() from None
            raise

    # -- reading --------------------------------------------------------------------------
    def open(self, sha256: str) -> Iterator[bytes]:
        """Plaintext chunks; raises :class:`VaultDamaged` on any changed byte (checked to the
        last chunk and against the name), :class:`BlobMissing` when the file is not here."""
        path = self.path_for(sha256)
        try:
            source = open(path, "rb")  # noqa: SIM115 - closed in the generator's finally
        except FileNotFoundError:
            raise BlobMissing(sha256=sha256) from None
        return self._verified_chunks(source, sha256)

    def _verified_chunks(self, source: BinaryIO, sha256: str) -> Iterator[bytes]:
        digest = hashlib.sha256()
        try:
            for chunk in decrypt_stream(source, self._key):
                digest.update(chunk)
                yield chunk
        except VaultFormatError as error:
            raise VaultDamaged(sha256=sha256, detail=str(error.args[0])) from None
        finally:
            source.close()
        if digest.hexdigest() != sha256:
            raise VaultDamaged(sha256=sha256, detail=N_("content does not match its hash"))

    def read_bytes(self, sha256: str) -> bytes:
        return b"".join(self.open(sha256))

    def thumbnail(self, sha256: str) -> bytes | None:
        """The cached thumbnail, or None when there is none or it does not authenticate."""
        try:
            with open(self.thumb_path(sha256), "rb") as source:
                return b"".join(decrypt_stream(source, self._key, context=b"thumb:" + sha256.encode()))
        except (OSError, VaultFormatError):
            return None

    def export(self, sha256: str, out: Path, *, transform: Callable[[bytes], bytes] | None = None) -> int:
        """Write a decrypted, re-verified copy to ``out`` (temp file, then rename)."""
        written = 0
        try:
            with atomic_output(out) as handle:
                if transform is None:
                    for chunk in self.open(sha256):
                        handle.write(chunk)
                        written += len(chunk)
                else:
                    data = transform(self.read_bytes(sha256))
                    handle.write(data)
                    written = len(data)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise DiskFull() from None
            raise
        return written

    # -- checking and cleaning -----------------------------------------------------------
    def check(self, sha256: str) -> VaultProblem | None:
        try:
            for _chunk in self.open(sha256):
                pass
        except VaultDamaged as error:
            return VaultProblem(sha256, str(error.params.get("detail", "")))
        except BlobMissing:
            return VaultProblem(sha256, N_("missing"))
        return None

    def first_broken(self) -> VaultProblem | None:
        """Re-hash every blob; the first that does not decrypt to its own name, or None."""
        for sha256 in self.iter_hashes():
            problem = self.check(sha256)
            if problem is not None:
                return problem
        return None

    def verify(self) -> tuple[int, list[VaultProblem]]:
        count, problems = 0, []
        for sha256 in self.iter_hashes():
            count += 1
            problem = self.check(sha256)
            if problem is not None:
                problems.append(problem)
        problems.extend(VaultProblem(path.name, N_("not a vault file name")) for path in self.stray_files())
        return count, problems

    def discard(self, sha256: str, referenced: Callable[[str], bool]) -> bool:
        """Remove a blob and its thumbnail unless an import in progress pins it or
        ``referenced(sha256)`` says a row uses it (asked under the lock, so no import can
        pin the same content between the question and the removal)."""
        with self._lock:
            if self._pins[sha256] > 0 or referenced(sha256):
                return False
            for path in (self.path_for(sha256), self.thumb_path(sha256)):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    fsync_dir(path.parent)
            return True

    def orphan_thumbnails(self) -> list[Path]:
        if not self.thumbs.is_dir():
            return []
        return [p for p in self.thumbs.rglob("*") if p.is_file() and not (is_sha256(p.name) and self.has(p.name))]

    def clean_temp(self) -> int:
        """Delete leftovers of interrupted writes; does nothing while this process writes."""
        removed = 0
        with self._lock:
            if self._state.writers:
                return 0
        if self.tmp.is_dir():
            for path in self.tmp.iterdir():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed
