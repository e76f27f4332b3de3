"""Exported copies, metadata stripping, the state lookup and purging archived evidence."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from app.domain import Audit, AuditStatus, Evidence
from app.evidence import EvidenceState, StripMode, purge_archived, register_state_provider
from app.evidence.errors import BadEvidencePath, OutputExists, UnknownEvidence
from app.evidence.media import read_exif
from app.evidence.state import unregister_state_provider
from app.evidence.strip import CannotStrip, strip_metadata
from app.evidence.vault import Vault
from app.store import Store
from tests.app.evidence.conftest import Env
from tests.app.evidence.helpers import jpeg_bytes, photo_exif, png_bytes, write


def test_export_writes_the_verified_original(env: Env, tmp_path: Path) -> None:
    source = write(tmp_path, "p.jpg", jpeg_bytes(exif=photo_exif()))
    evidence = env.service.import_files(env.audit.id, [source]).imported[0]
    out = tmp_path / "out.jpg"
    found, written = env.service.export(evidence.sha256, out)
    assert found == evidence and written == source.stat().st_size
    assert out.read_bytes() == source.read_bytes()
    with pytest.raises(OutputExists):
        env.service.export(evidence.id, out)
    env.service.export(evidence.id, out, overwrite=True)
    with pytest.raises(BadEvidencePath):
        env.service.export(evidence.id, tmp_path / ".." / "escape.jpg")
    with pytest.raises(UnknownEvidence):
        env.service.export("0" * 64, tmp_path / "none.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jpg", "p.jpg", "profile"]


@pytest.mark.parametrize("make", [lambda: jpeg_bytes(exif=photo_exif()), lambda: png_with_exif()])
def test_stripping_gps_or_everything_keeps_the_pixels(make: object, tmp_path: Path) -> None:
    data = make()  # type: ignore[operator]
    media_type = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    original = Image.open(io.BytesIO(data))
    for mode, expected in ((StripMode.GPS, {"orientation", "camera", "captured_at"}), (StripMode.ALL, {"orientation"})):
        stripped = strip_metadata(data, media_type, mode)
        image = Image.open(io.BytesIO(stripped))
        meta = {k for k, v in read_exif(image.getexif()).items() if v}
        assert meta == expected
        assert image.tobytes() == original.tobytes()
    assert strip_metadata(data, media_type, StripMode.NONE) == data


def png_with_exif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "teal").save(out, "PNG", exif=photo_exif().tobytes())
    return out.getvalue()


def test_export_strips_location_on_request(env: Env, tmp_path: Path) -> None:
    source = write(tmp_path, "p.jpg", jpeg_bytes(exif=photo_exif()))
    evidence = env.service.import_files(env.audit.id, [source]).imported[0]
    out = tmp_path / "shared.jpg"
    env.service.export(evidence.id, out, strip=StripMode.GPS)
    assert "gps" not in read_exif(Image.open(out).getexif())
    video = write(tmp_path, "v.mp4", (24).to_bytes(4, "big") + b"ftypisom\x00\x00\x00\x00isomavc1" + b"\x00" * 100)
    clip = env.service.import_files(env.audit.id, [video]).imported[0]
    with pytest.raises(CannotStrip):
        env.service.export(clip.id, tmp_path / "clip.mp4", strip=StripMode.GPS)
    assert not (tmp_path / "clip.mp4").exists()


@pytest.fixture
def uploaded_provider() -> Iterator[None]:
    def provider(store: Store, vault: Vault, evidence: Evidence) -> EvidenceState | None:
        return EvidenceState.UPLOADED if evidence.file_name.startswith("up") else None

    register_state_provider(provider)
    yield
    unregister_state_provider(provider)


def test_state_lookup_is_extensible(env: Env, tmp_path: Path, uploaded_provider: None) -> None:
    env.service.import_files(env.audit.id, [write(tmp_path, "up.txt", b"u\n"), write(tmp_path, "lo.txt", b"l\n")])
    states = {e.file_name: s for e, s in env.service.list(env.audit.id)}
    assert states == {"up.txt": EvidenceState.UPLOADED, "lo.txt": EvidenceState.LOCAL}
    remote = Evidence(audit_id=env.audit.id, sha256="e" * 64, media_type="image/jpeg", size=1, file_name="x.jpg")
    with env.session.store.unit_of_work("sync") as uow:
        uow.create(remote)
    assert dict((e.file_name, s) for e, s in env.service.list(env.audit.id))["x.jpg"] == EvidenceState.PENDING_DOWNLOAD


def test_purge_only_removes_deleted_evidence_of_archived_audits(env: Env, tmp_path: Path) -> None:
    gone, kept, shared = (env.service.import_files(env.audit.id, [write(tmp_path / n, f"{n}.png", png_bytes(color=c))])
                          .imported[0] for n, c in (("gone", "red"), ("kept", "blue"), ("shared", "green")))
    again = env.service.import_files(env.audit.id, [write(tmp_path / "s2", "shared.png", png_bytes(color="green"))])
    with env.session.store.unit_of_work("t") as uow:
        uow.delete(Evidence, gone.id)
        uow.delete(Evidence, shared.id)  # the second record with the same bytes stays
    assert purge_archived(env.session.store, env.vault) == 0  # the audit is not archived yet
    with env.session.store.unit_of_work("t") as uow:
        uow.update(Audit, env.audit.id, {"status": AuditStatus.ARCHIVED})
    assert purge_archived(env.session.store, env.vault) == 1
    assert not env.vault.has(gone.sha256)
    assert env.vault.has(kept.sha256) and env.vault.has(again.imported[0].sha256)
