"""The S3-compatible blob storage against a real S3 API: moto's server on a local port.

Nothing here is mocked inside the process: boto3 talks HTTP to the server, so the requests the
platform makes (HEAD, ranged GET, multipart upload) are the ones a MinIO or AWS deployment gets.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.blobs.storage import READ_CHUNK, HashMismatch, OffsetMismatch, S3Storage, Staging

moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed (dev extra)")
boto3 = pytest.importorskip("boto3")

BUCKET = "fieldaudit-blobs"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def client(endpoint: str) -> Iterator[Any]:
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                      aws_secret_access_key="test")
    s3.create_bucket(Bucket=BUCKET)
    yield s3
    # A fresh, empty bucket for every test.
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def storage(client: Any) -> S3Storage:
    return S3Storage(client, BUCKET, prefix="blobs/")


def keys(client: Any) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def upload(staging: Staging, payload: bytes, chunk: int) -> str:
    sha = hashlib.sha256(payload).hexdigest()
    offset = 0
    while offset < len(payload):
        offset = staging.append(sha, offset, payload[offset:offset + chunk])
    return sha


def test_put_then_get_whole_blob(storage: S3Storage, client: Any, tmp_path: Path) -> None:
    payload = os.urandom(300_000)
    staging = Staging(tmp_path / "staging")
    sha = upload(staging, payload, 64 * 1024)
    assert not storage.exists(sha)
    storage.store_verified(sha, staging.verify(sha))
    assert storage.exists(sha) and storage.size(sha) == len(payload)
    assert b"".join(storage.read(sha, 0, len(payload))) == payload
    assert keys(client) == [f"blobs/{sha[:2]}/{sha}"]
    # The staged copy is gone once the blob counts.
    assert staging.offset(sha) == 0 and not staging.path(sha).exists()


def test_ranged_reads_return_exactly_the_range(storage: S3Storage, tmp_path: Path) -> None:
    payload = os.urandom(READ_CHUNK * 2 + 12_345)
    staging = Staging(tmp_path / "staging")
    sha = upload(staging, payload, 1024 * 1024)
    storage.store_verified(sha, staging.verify(sha))
    for start, end in [(0, 1), (10, 100), (READ_CHUNK - 5, READ_CHUNK + 5), (READ_CHUNK, len(payload)),
                       (len(payload) - 1, len(payload))]:
        assert b"".join(storage.read(sha, start, end)) == payload[start:end], (start, end)
    # An empty range sends no request and yields nothing.
    assert list(storage.read(sha, 50, 50)) == []


def test_an_interrupted_upload_resumes_at_the_staged_offset(storage: S3Storage, client: Any,
                                                           tmp_path: Path) -> None:
    # Over boto3's 8 MiB multipart threshold, so the S3 multipart calls are exercised too.
    payload = os.urandom(9 * 1024 * 1024 + 777)
    sha = hashlib.sha256(payload).hexdigest()
    chunk = 1024 * 1024
    first = Staging(tmp_path / "staging")
    reached = 0
    for _ in range(3):
        reached = first.append(sha, reached, payload[reached:reached + chunk])
    # The connection drops; a new server process sees only what was staged on disk.
    resumed = Staging(tmp_path / "staging")
    assert resumed.offset(sha) == 3 * chunk
    # A chunk sent twice (an old offset) is refused with the offset to resume at.
    with pytest.raises(OffsetMismatch) as mismatch:
        resumed.append(sha, 2 * chunk, payload[2 * chunk:3 * chunk])
    assert mismatch.value.current == 3 * chunk
    offset = mismatch.value.current
    while offset < len(payload):
        offset = resumed.append(sha, offset, payload[offset:offset + chunk])
    assert not storage.exists(sha)
    storage.store_verified(sha, resumed.verify(sha))
    assert storage.size(sha) == len(payload)
    digest = hashlib.sha256()
    for block in storage.read(sha, 0, len(payload)):
        digest.update(block)
    assert digest.hexdigest() == sha
    assert keys(client) == [f"blobs/{sha[:2]}/{sha}"]


def test_a_missing_key_is_absent_not_an_error(storage: S3Storage, client: Any) -> None:
    sha = hashlib.sha256(b"never uploaded").hexdigest()
    assert storage.exists(sha) is False
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        storage.size(sha)
    with pytest.raises(ClientError):
        list(storage.read(sha, 0, 10))
    assert keys(client) == []


def test_other_s3_errors_are_not_taken_for_absence(client: Any) -> None:
    from botocore.exceptions import ClientError

    # A bucket that does not exist is a deployment error: it must surface, not read as "upload it".
    broken = S3Storage(client, "no-such-bucket-here")
    with pytest.raises(ClientError):
        broken.exists(hashlib.sha256(b"x").hexdigest())


def test_a_corrupt_upload_never_reaches_the_bucket(storage: S3Storage, client: Any, tmp_path: Path) -> None:
    payload = os.urandom(200_000)
    declared = hashlib.sha256(payload).hexdigest()
    staging = Staging(tmp_path / "staging")
    tampered = bytearray(payload)
    tampered[123_456] ^= 0x01
    offset = 0
    while offset < len(tampered):
        offset = staging.append(declared, offset, bytes(tampered[offset:offset + 50_000]))
    with pytest.raises(HashMismatch):
        staging.verify(declared)
    # The bad bytes are discarded: nothing stored, and the next upload starts from zero.
    assert staging.offset(declared) == 0
    assert not storage.exists(declared)
    assert keys(client) == []
