"""Where blobs live: the local filesystem by default, an S3-compatible store for larger deployments.

Uploads are staged as ``<sha256>.part`` files on local disk whatever the final store is, so a
resumed upload only needs the staged size (tus-style offset).  A blob "counts" only after its
full SHA-256 was checked; then it is moved (filesystem) or put (S3) under its hash.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

SHA256 = re.compile(r"^[0-9a-f]{64}$")
READ_CHUNK = 1024 * 1024


class HashMismatch(Exception):
    """The bytes uploaded do not hash to the declared SHA-256; the staged copy was discarded."""


class OffsetMismatch(Exception):
    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


class BlobStorage(Protocol):
    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]: ...

    def store_verified(self, sha256: str, staged: Path) -> None: ...


class Staging:
    """Partial uploads on local disk, keyed by the declared hash."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / f"{sha256}.part"

    def offset(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, sha256: str, offset: int, chunk: bytes) -> int:
        current = self.offset(sha256)
        if offset != current:
            # A chunk sent twice or out of order: the client asks the offset again and resumes there.
            raise OffsetMismatch(current)
        with self.path(sha256).open("ab") as handle:
            handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        return current + len(chunk)

    def verify(self, sha256: str) -> Path:
        path = self.path(sha256)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(READ_CHUNK), b""):
                digest.update(block)
        if digest.hexdigest() != sha256:
            path.unlink(missing_ok=True)
            raise HashMismatch(sha256)
        return path

    def discard(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)


class FilesystemStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).exists()

    def size(self, sha256: str) -> int:
        return self._path(sha256).stat().st_size

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        with self._path(sha256).open("rb") as handle:
            handle.seek(start)
            remaining = end - start
            while remaining > 0:
                block = handle.read(min(READ_CHUNK, remaining))
                if not block:
                    return
                remaining -= len(block)
                yield block

    def store_verified(self, sha256: str, staged: Path) -> None:
        target = self._path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)


class S3Storage:
    """Any S3 API (AWS, MinIO, ...) through a boto3-compatible client given by the deployment."""

    def __init__(self, client: Any, bucket: str, prefix: str = "blobs/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self._bucket_seen = False

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except Exception as error:  # botocore's ClientError without importing botocore here
            if getattr(error, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                # A HEAD answer has no body: a missing bucket is a bare 404 too.  Ask once, or a
                # misconfigured deployment would take every upload and fail only when storing it.
                if not self._bucket_seen:
                    self.client.head_bucket(Bucket=self.bucket)
                    self._bucket_seen = True
                return False
            raise
        return True

    def size(self, sha256: str) -> int:
        head = self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        return int(head["ContentLength"])

    def read(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        if end <= start:
            return
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256),
                                      Range=f"bytes={start}-{end - 1}")["Body"]
        yield from iter(lambda: body.read(READ_CHUNK), b"")

    def store_verified(self, sha256: str, staged: Path) -> None:
        with staged.open("rb") as handle:
            self.client.upload_fileobj(handle, self.bucket, self._key(sha256))
        staged.unlink(missing_ok=True)


def default_root(db_url: str) -> Path:
    """Beside a SQLite database file; otherwise in the platform's per-user data folder."""
    if db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        return Path(db_url.removeprefix("sqlite:///")).with_suffix(".blobs")
    import platformdirs

    return Path(platformdirs.user_data_dir("FieldAudit-central", appauthor=False)) / "blobs"
