"""Importing files: metadata, thumbnails, bad input, cancellation, clean-up after failures."""

from __future__ import annotations

import errno
import importlib.util
import io
import os
import struct
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.errors import FieldAuditError, NotFound, ValidationFailed
from app.evidence import recover
from app.evidence.errors import DiskFull
from app.evidence.importer import Target
from tests.app.evidence.conftest import Env
from tests.app.evidence.helpers import jpeg_bytes, photo_exif, png_bytes, write, zip_bytes


def text_blob(size: int) -> bytes:
    """Unique, large and still plain text (random bytes would be refused as unknown content)."""
    return os.urandom(size // 2).hex().encode()


def assert_clean(env: Env) -> None:
    """Nothing half-written: no temp files, every blob has a row and every row its blob."""
    assert not env.vault.tmp.exists() or list(env.vault.tmp.iterdir()) == []
    rows = {e.sha256 for e in env.session.store.evidence.list()}
    assert set(env.vault.iter_hashes()) == rows
    assert env.vault.orphan_thumbnails() == []


def test_photo_metadata_and_thumbnail(env: Env, tmp_path: Path) -> None:
    path = write(tmp_path, "现场照片.jpg", jpeg_bytes((640, 480), exif=photo_exif(orientation=6)))
    report = env.service.import_files(env.audit.id, [path], checklist_item_id=env.item.id,
                                      caption="校准标签过期", sensitive=True)
    assert not report.failures
    evidence = report.imported[0]
    assert evidence.media_type == "image/jpeg" and evidence.size == path.stat().st_size
    assert evidence.file_name == "现场照片.jpg" and evidence.caption == "校准标签过期"
    assert evidence.checklist_item_id == env.item.id and evidence.sensitive
    assert evidence.camera == "Canon EOS R5" and evidence.orientation == 6
    assert evidence.captured_at == datetime(2026, 12, 1, 10, 11, 12, tzinfo=timezone(timedelta(hours=8)))
    assert evidence.gps is not None
    assert evidence.gps.latitude == pytest.approx(26.075) and evidence.gps.longitude == pytest.approx(119.3)
    assert env.session.store.evidence.get(evidence.id) == evidence
    thumb = env.service.thumbnail(evidence.sha256)
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as small:
        # Orientation 6 turns the 640x480 landscape frame upright: the thumbnail is portrait.
        assert small.size[0] < small.size[1] and max(small.size) <= 320


def test_thumbnail_is_rebuilt_when_the_cache_is_damaged(env: Env, tmp_path: Path) -> None:
    sha = env.service.import_files(env.audit.id, [write(tmp_path, "a.png", png_bytes())]).imported[0].sha256
    env.vault.thumb_path(sha).write_bytes(b"garbage")
    assert env.vault.thumbnail(sha) is None
    assert env.service.thumbnail(sha) is not None and env.vault.thumbnail(sha) is not None


def test_non_photo_without_exif_gets_the_capture_time(env: Env, tmp_path: Path) -> None:
    before = datetime.now(UTC)
    evidence = env.service.import_files(env.audit.id, [write(tmp_path, "n.txt", b"note\n")]).imported[0]
    assert evidence.captured_at is not None and evidence.captured_at >= before
    assert evidence.author == env.session.actor and env.vault.thumbnail(evidence.sha256) is None


def huge_jpeg() -> bytes:
    data = bytearray(jpeg_bytes((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 20000, 20000)
    return bytes(data)


def huge_png() -> bytes:
    data = bytearray(png_bytes((16, 16)))
    body = b"IHDR" + struct.pack(">II", 20000, 20000) + bytes(data[24:29])
    data[16:24] = body[4:12]
    data[29:33] = struct.pack(">I", zlib.crc32(body))
    return bytes(data)


def corrupt_jpeg() -> bytes:
    data = jpeg_bytes((800, 600), exif=photo_exif())
    return data[: len(data) // 2]


BAD_INPUT: list[tuple[str, bytes | None, str]] = [
    ("empty.jpg", b"", "为空"),
    ("truncated.jpg", corrupt_jpeg(), "损坏"),
    ("header-only.jpg", b"\xff\xd8\xff\xe0garbage" + b"\x00" * 40, "损坏"),
    ("bomb.jpg", huge_jpeg(), "20000 × 20000"),
    ("bomb.png", huge_png(), "20000 × 20000"),
    ("archive.jpg", zip_bytes(), "ZIP"),
    ("program.pdf", b"MZ" + b"\x00" * 100, "Windows"),
]


@pytest.mark.parametrize(("name", "data", "expected"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_leaves_nothing(env: Env, tmp_path: Path, name: str,
                                                           data: bytes, expected: str) -> None:
    good = write(tmp_path, "good.txt", b"fine\n")
    bad = write(tmp_path, name, data or b"")
    report = env.service.import_files(env.audit.id, [bad, good])
    assert [e.file_name for e in report.imported] == ["good.txt"]
    assert len(report.failures) == 1
    message = report.failures[0].message()
    assert expected in message and name in message and "Traceback" not in message
    assert_clean(env)


def test_paths_with_dotdot_non_utf8_missing_or_folders(env: Env, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = write(folder, "ok.txt", b"ok\n")
    odd = Path(os.fsdecode(bytes(folder) + b"/\xff\xfe-photo.jpg"))
    odd.write_bytes(jpeg_bytes())
    dotted = folder / ".." / "in" / "ok.txt"
    report = env.service.import_files(env.audit.id, [dotted, odd, folder / "missing.jpg", folder, good])
    assert [e.file_name for e in report.imported] == ["ok.txt"]
    messages = [f.message() for f in report.failures]
    assert len(messages) == 4
    assert "“..”" in messages[0]
    assert "UTF-8" in messages[1] and "\\xff" in messages[1]
    assert "没有可读取的文件" in messages[2] and "没有可读取的文件" in messages[3]
    assert_clean(env)


def test_target_is_checked_before_anything_is_written(env: Env, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"a\n")
    with pytest.raises(NotFound):
        env.service.import_files("no-such-audit", [path])
    with pytest.raises(NotFound):
        env.service.import_files(env.audit.id, [path], finding_id="no-such-finding")
    with pytest.raises(ValidationFailed):
        env.service.import_files(env.audit.id, [path], checklist_item_id=env.item.id, finding_id=env.finding.id)
    with pytest.raises(ValidationFailed):
        env.service.import_files(env.audit.id, [path], caption="长" * 1001)
    evidence = env.service.import_files(env.audit.id, [path], finding_id=env.finding.id).imported[0]
    assert evidence.finding_id == env.finding.id
    assert len(list(env.vault.iter_hashes())) == 1


class CancelAfter:
    def __init__(self, updates: int) -> None:
        self.updates: list[tuple[int, int, str]] = []
        self.limit = updates

    def update(self, done: int, total: int, label: str = "") -> None:
        self.updates.append((done, total, label))

    def cancelled(self) -> bool:
        return len(self.updates) >= self.limit


def test_cancel_keeps_finished_files_and_leaves_no_trace_of_the_rest(env: Env, tmp_path: Path) -> None:
    paths = [write(tmp_path, f"{n:02}.txt", text_blob(3 << 20)) for n in range(12)]
    progress = CancelAfter(4)
    report = env.service.import_files(env.audit.id, paths, progress=progress)
    assert report.cancelled and not report.failures
    assert len(report.imported) < 12
    assert_clean(env)
    for evidence in report.imported:
        assert env.vault.read_bytes(evidence.sha256) == (tmp_path / evidence.file_name).read_bytes()


def test_progress_counts_bytes_to_the_total(env: Env, tmp_path: Path) -> None:
    paths = [write(tmp_path, f"{n}.txt", text_blob(1500 * 1024)) for n in range(3)]
    paths.append(write(tmp_path, "empty.txt", b""))
    progress = CancelAfter(10**9)
    env.service.import_files(env.audit.id, paths, progress=progress)
    done, total, _label = progress.updates[-1]
    assert done == total == sum(p.stat().st_size for p in paths)
    assert [u[0] for u in progress.updates] == sorted(u[0] for u in progress.updates)


def test_disk_full_mid_write_leaves_nothing(env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_temp = env.vault._temp

    class FullDisk(io.RawIOBase):
        def __init__(self, handle: Any) -> None:
            self.handle, self.written = handle, 0

        def write(self, data: Any) -> int:
            self.written += len(data)
            if self.written > (1 << 20):
                raise OSError(errno.ENOSPC, "No space left on device")
            return int(self.handle.write(data))

        def fileno(self) -> int:
            return int(self.handle.fileno())

        def close(self) -> None:
            self.handle.close()

    def temp() -> tuple[Path, Any]:
        path, handle = real_temp()
        return path, FullDisk(handle)

    monkeypatch.setattr(env.vault, "_temp", temp)
    report = env.service.import_files(env.audit.id, [write(tmp_path, "big.txt", text_blob(3 << 20))])
    assert not report.imported and isinstance(report.failures[0].error, DiskFull)
    assert "磁盘已满" in report.failures[0].message()
    assert_clean(env)


def test_failed_commit_removes_new_bytes_but_keeps_shared_ones(env: Env, tmp_path: Path) -> None:
    from app.evidence.importer import Importer
    from app.progress import NoProgress

    importer: Importer = env.service.importer
    shared = write(tmp_path, "shared.txt", b"shared\n")
    kept = env.service.import_files(env.audit.id, [shared]).imported[0]
    source_new = write(tmp_path, "new.txt", b"new\n")
    from app.evidence.sources import check_source

    for path, survives in ((source_new, False), (shared, True)):
        prepared = importer.prepare(check_source(path), NoProgress(), lambda _n: None)
        assert env.vault.has(prepared.blob.sha256)
        importer.abandon(prepared.blob.sha256)
        assert env.vault.has(prepared.blob.sha256) is survives
    assert env.vault.has(kept.sha256)
    assert_clean(env)


def test_recover_removes_crash_leftovers(env: Env, tmp_path: Path) -> None:
    kept = env.service.import_files(env.audit.id, [write(tmp_path, "k.jpg", jpeg_bytes())]).imported[0]
    with open(write(tmp_path, "o.txt", b"orphan\n"), "rb") as source:
        orphan = env.vault.put_stream(source)  # as if killed before the row was committed
    env.vault.release(orphan.sha256)
    env.vault.put_thumbnail(orphan.sha256, b"thumb")
    env.vault.put_thumbnail("f" * 64, b"thumb without blob")
    env.vault.tmp.mkdir(exist_ok=True)
    (env.vault.tmp / "dead.part").write_bytes(b"half")
    result = recover(env.session.store, env.vault)
    assert (result.temp_files, result.orphan_blobs, result.orphan_thumbnails) == (1, 1, 1)
    assert env.vault.has(kept.sha256) and not env.vault.has(orphan.sha256)
    assert env.vault.thumbnail(kept.sha256) is not None
    assert_clean(env)


def test_an_unexpected_worker_error_is_not_swallowed(env: Env, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: Any, **_kwargs: Any) -> None:
        raise FieldAuditError()

    monkeypatch.setattr("app.evidence.importer.sniff", explode)
    report = env.service.importer.run([write(tmp_path, "a.txt", b"a\n")], Target(env.audit.id))
    assert report.failures and not report.imported
    assert_clean(env)


def test_captured_bytes_are_typed_and_stored_like_files(env: Env) -> None:
    photo = env.service.import_bytes(env.audit.id, jpeg_bytes(exif=photo_exif()), "clipboard.png",
                                     finding_id=env.finding.id)
    assert photo.media_type == "image/jpeg" and photo.camera == "Canon EOS R5"
    assert photo.file_name == "clipboard.png" and env.vault.thumbnail(photo.sha256) is not None
    with pytest.raises(FieldAuditError) as caught:
        env.service.import_bytes(env.audit.id, zip_bytes(), "paste.jpg")
    assert "ZIP" in str(caught.value)
    with pytest.raises(FieldAuditError):
        env.service.import_bytes(env.audit.id, b"", "empty.wav")
    assert_clean(env)


def test_a_file_that_changes_during_import_is_refused(env: Env, tmp_path: Path) -> None:
    from app.evidence.errors import CorruptFile
    from app.evidence.importer import _PinnedFailure
    from app.evidence.sources import Source
    from app.progress import NoProgress

    path = write(tmp_path, "moving.txt", b"grows while we read\n")
    stale = Source(path, path.name, path.stat().st_size - 3, str(path))
    with pytest.raises(_PinnedFailure) as caught:
        env.service.importer.prepare(stale, NoProgress(), lambda _n: None)
    assert isinstance(caught.value.error, CorruptFile)
    env.service.importer.abandon(caught.value.sha256)
    assert_clean(env)


def test_delete_is_a_tombstone_and_keeps_the_bytes(env: Env, tmp_path: Path) -> None:
    evidence = env.service.import_files(env.audit.id, [write(tmp_path, "d.txt", b"d\n")]).imported[0]
    env.service.delete(evidence.sha256)
    assert env.session.store.evidence.find(evidence.id) is None
    assert env.session.store.evidence.is_deleted(evidence.id)
    recover(env.session.store, env.vault)
    assert env.vault.has(evidence.sha256)


def test_heic_is_stored_unprocessed_when_pillow_cannot_decode_it(env: Env, tmp_path: Path) -> None:
    if importlib.util.find_spec("pillow_heif") is not None:
        pytest.skip("pillow-heif is installed: HEIC is decoded like the other photos")
    header = (24).to_bytes(4, "big") + b"ftypheic\x00\x00\x00\x00mif1heic"
    evidence = env.service.import_files(env.audit.id, [write(tmp_path, "IMG_0001.HEIC", header + b"\x00" * 500)])
    assert evidence.imported[0].media_type == "image/heic"
    assert env.vault.thumbnail(evidence.imported[0].sha256) is None
    assert_clean(env)
