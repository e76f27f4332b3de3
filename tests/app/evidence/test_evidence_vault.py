"""The vault format and the vault: encrypted at rest, content-addressed, every changed byte detected."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from app.evidence.errors import BlobMissing, VaultDamaged
from app.evidence.vault import Vault
from app.evidence.vault_format import (
    HEADER,
    TAG_BYTES,
    VaultFormatError,
    ciphertext_size,
    decrypt_stream,
    derive_vault_key,
    encrypt_stream,
)
from app.evidence.verification import first_broken, verify_vault
from app.services.verification import verify_profile
from tests.app.evidence.conftest import Env
from tests.app.evidence.helpers import jpeg_bytes, write

KEY = derive_vault_key(bytes(range(32)))
SMALL = 64  # tiny chunks make chunk-boundary cases cheap


def seal(data: bytes, context: bytes = b"") -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, KEY, context=context, chunk_size=SMALL)
    return out.getvalue()


def unseal(blob: bytes, context: bytes = b"") -> bytes:
    return b"".join(decrypt_stream(io.BytesIO(blob), KEY, context=context))


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 3 * SMALL + 7])
def test_round_trip_at_every_chunk_boundary(size: int) -> None:
    data = os.urandom(size)
    sealed = seal(data)
    assert len(sealed) == ciphertext_size(size, SMALL)
    assert unseal(sealed) == data


def test_vault_key_is_not_the_data_key_and_files_differ() -> None:
    data_key = bytes(range(32))
    assert derive_vault_key(data_key) != data_key
    assert seal(b"same") != seal(b"same")  # fresh salt and nonce prefix per file


def _chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    body = sealed[HEADER.size:]
    frame = SMALL + TAG_BYTES
    return sealed[:HEADER.size], [body[i:i + frame] for i in range(0, len(body), frame)]


def test_every_single_byte_change_is_detected() -> None:
    sealed = seal(os.urandom(2 * SMALL + 10))
    for index in range(len(sealed)):
        broken = bytearray(sealed)
        broken[index] ^= 0x01
        with pytest.raises(VaultFormatError):
            unseal(bytes(broken))


def test_truncation_reordering_and_appending_are_detected() -> None:
    header, chunks = _chunks(seal(os.urandom(3 * SMALL)))
    cases = {
        "dropped last chunk": header + b"".join(chunks[:2]),
        "swapped chunks": header + chunks[1] + chunks[0] + chunks[2],
        "duplicated chunk": header + chunks[0] + chunks[0] + chunks[1] + chunks[2],
        "appended garbage": header + b"".join(chunks) + b"x" * 20,
        "header only": header,
        "cut mid-chunk": header + chunks[0][:10],
    }
    for name, blob in cases.items():
        with pytest.raises(VaultFormatError):
            unseal(blob)
        assert name


def test_context_binds_a_thumbnail_to_its_evidence() -> None:
    sealed = seal(b"thumbnail", context=b"thumb:" + b"a" * 64)
    with pytest.raises(VaultFormatError):
        unseal(sealed, context=b"thumb:" + b"b" * 64)


def test_vault_files_contain_no_plaintext(env: Env, tmp_path: Path) -> None:
    marker = b"FIELDAUDIT-PLAINTEXT-MARKER-7f3a"
    text = write(tmp_path, "notes.txt", b"meeting notes " + marker + b" end\n")
    photo = write(tmp_path, "photo.jpg", jpeg_bytes(marker=marker))
    assert marker in photo.read_bytes()
    report = env.service.import_files(env.audit.id, [text, photo])
    assert not report.failures and len(report.imported) == 2
    stored = [p for p in env.vault.root.rglob("*") if p.is_file()]
    assert len(stored) == 3  # two blobs and the photo's thumbnail
    for path in stored:
        content = path.read_bytes()
        assert marker not in content
        assert b"meeting notes" not in content and b"JFIF" not in content
    assert env.vault.read_bytes(report.imported[1].sha256) == photo.read_bytes()


def _blob_path(env: Env, sha256: str) -> Path:
    path = env.vault.path_for(sha256)
    assert path.is_file()
    return path


def test_tampered_byte_is_detected_on_read_and_by_verify(env: Env, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", b"intact evidence\n" * 1000)
    bad = write(tmp_path, "bad.txt", b"evidence to be damaged\n" * 1000)
    imported = env.service.import_files(env.audit.id, [good, bad]).imported
    damaged = imported[1].sha256
    path = _blob_path(env, damaged)
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x40
    path.write_bytes(bytes(content))

    with pytest.raises(VaultDamaged) as caught:
        env.vault.read_bytes(damaged)
    assert (damaged in str(caught.value) and "篡改" in str(caught.value)) or "损坏" in str(caught.value)
    assert env.vault.read_bytes(imported[0].sha256) == good.read_bytes()
    assert first_broken(env.session.paths.root, env.session.data_key) == damaged
    problems = verify_vault(env.session.paths.root, env.session.data_key)
    assert len(problems) == 1 and damaged in problems[0]
    checks = {result.name: result for result in verify_profile(env.session)}
    assert not checks["evidence"].ok and damaged in checks["evidence"].message()
    assert checks["evidence"].checked == 2
    # Exporting the damaged file fails and leaves nothing at the destination.
    out = tmp_path / "out" / "copy.txt"
    out.parent.mkdir()
    with pytest.raises(VaultDamaged):
        env.service.export(damaged, out)
    assert list(out.parent.iterdir()) == []


def test_swapped_files_are_detected_by_their_names(env: Env, tmp_path: Path) -> None:
    first, second = (write(tmp_path, f"{n}.txt", f"content {n}\n".encode()) for n in (1, 2))
    a, b = (e.sha256 for e in env.service.import_files(env.audit.id, [first, second]).imported)
    pa, pb = _blob_path(env, a), _blob_path(env, b)
    data_a, data_b = pa.read_bytes(), pb.read_bytes()
    pa.write_bytes(data_b)
    pb.write_bytes(data_a)
    problem = env.vault.check(a)
    assert problem is not None and problem.detail == "content does not match its hash"
    assert len(verify_vault(env.session.paths.root, env.session.data_key)) == 2


def test_verify_passes_on_an_intact_vault_and_reports_strays(env: Env, tmp_path: Path) -> None:
    env.service.import_files(env.audit.id, [write(tmp_path, "a.txt", b"alpha\n")])
    checks = {result.name: result for result in verify_profile(env.session)}
    assert checks["evidence"].ok and checks["evidence"].checked == 1
    (env.vault.objects / "zz").mkdir()
    (env.vault.objects / "zz" / "planted.bin").write_bytes(b"x")
    assert len(verify_vault(env.session.paths.root, env.session.data_key)) == 1


def test_identical_content_is_stored_once(env: Env, tmp_path: Path) -> None:
    data = b"the same bytes\n" * 100
    paths = [write(tmp_path / str(n), "same.txt", data) for n in range(4)]
    report = env.service.import_files(env.audit.id, paths)
    assert len(report.imported) == 4 and len({e.id for e in report.imported}) == 4
    assert len({e.sha256 for e in report.imported}) == 1
    assert list(env.vault.iter_hashes()) == [report.imported[0].sha256]


def test_a_damaged_copy_is_repaired_by_importing_the_same_content(env: Env, tmp_path: Path) -> None:
    source = write(tmp_path, "a.txt", b"repair me\n" * 50)
    sha = env.service.import_files(env.audit.id, [source]).imported[0].sha256
    path = _blob_path(env, sha)
    path.write_bytes(path.read_bytes()[:-5])
    assert env.vault.check(sha) is not None
    env.service.import_files(env.audit.id, [source])
    assert env.vault.check(sha) is None


def test_missing_blob_and_wrong_key(env: Env, tmp_path: Path) -> None:
    with pytest.raises(BlobMissing):
        env.vault.read_bytes("0" * 64)
    sha = env.service.import_files(env.audit.id, [write(tmp_path, "k.txt", b"key\n")]).imported[0].sha256
    other = Vault(env.vault.root, os.urandom(32))
    with pytest.raises(VaultDamaged):
        other.read_bytes(sha)


def test_a_second_vault_object_respects_the_first_ones_work(env: Env, tmp_path: Path) -> None:
    second = Vault(env.vault.root, env.session.data_key)
    with open(write(tmp_path, "w.txt", b"in flight\n"), "rb") as source:
        blob = env.vault.put_stream(source)  # pinned: its row is not committed yet
    assert not second.discard(blob.sha256, lambda _digest: False)
    env.vault.release(blob.sha256)
    assert second.discard(blob.sha256, lambda _digest: False) and not env.vault.has(blob.sha256)
