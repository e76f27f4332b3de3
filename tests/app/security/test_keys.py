"""Key file, passphrase change, back-off and the keyring cache."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from app.security import keyfile, keyring_cache
from app.security.errors import (
    KeyFileDamaged,
    KeyringUnavailable,
    UnlockDelayed,
    WeakPassphrase,
    WrongPassphrase,
)
from app.security.unlock import Unlocker, required_delay
from app.services.session import Session, create_profile, open_profile
from app.store import ProfilePaths
from tests.conftest import FAST_COST, PASSPHRASE
from tests.factories import make_audit


def test_wrong_passphrase_is_clear_and_destroys_nothing(session: Session, profile_dir: Path) -> None:
    with session.store.unit_of_work("a") as uow:
        uow.create(make_audit())
    session.close()
    before = {p.name: p.read_bytes() for p in profile_dir.iterdir() if p.is_file() and p.suffix != ".json"}
    with pytest.raises(WrongPassphrase) as caught:
        open_profile(profile_dir, passphrase="not the passphrase")
    assert "口令错误" in str(caught.value)
    after = {p.name: p.read_bytes() for p in profile_dir.iterdir() if p.is_file() and p.suffix != ".json"}
    assert before == after
    with open_profile(profile_dir, passphrase=PASSPHRASE) as reopened:
        assert reopened.store.audits.count() == 1


def test_back_off_grows_after_repeated_failures(session: Session, profile_dir: Path) -> None:
    session.close()
    now = [1000.0]
    gate = Unlocker(ProfilePaths(profile_dir), clock=lambda: now[0])
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            gate.with_passphrase("wrong-wrong")
    assert gate.seconds_to_wait() == pytest.approx(2.0)
    with pytest.raises(UnlockDelayed) as caught:
        gate.with_passphrase(PASSPHRASE)
    assert "2 秒" in str(caught.value)
    now[0] += 2.5
    with pytest.raises(WrongPassphrase):
        gate.with_passphrase("wrong-wrong")
    assert gate.seconds_to_wait() == pytest.approx(4.0)
    now[0] += 5
    assert len(gate.with_passphrase(PASSPHRASE)) == 32
    assert gate.seconds_to_wait() == 0
    assert [required_delay(n) for n in (0, 2, 3, 4, 5, 30)] == [0, 0, 2, 4, 8, 300]


def test_change_passphrase_keeps_data_and_key(session: Session, profile_dir: Path) -> None:
    with session.store.unit_of_work("a") as uow:
        uow.create(make_audit())
    key = bytes(session.data_key)
    session.close()
    db_before = session.paths.database.read_bytes()
    Unlocker(ProfilePaths(profile_dir)).change_passphrase(PASSPHRASE, "a brand new passphrase")
    assert session.paths.database.read_bytes() == db_before
    with pytest.raises(WrongPassphrase):
        open_profile(profile_dir, passphrase=PASSPHRASE)
    with open_profile(profile_dir, passphrase="a brand new passphrase") as reopened:
        assert reopened.data_key == key
        assert reopened.store.audits.count() == 1


def test_remembered_key_unlocks_without_passphrase(profile_dir: Path) -> None:
    create_profile(profile_dir, PASSPHRASE, remember=True, cost=FAST_COST).close()
    with open_profile(profile_dir) as reopened:
        assert reopened.store.audits.count() == 0


def test_no_secure_keyring_means_no_remembering(profile_dir: Path) -> None:
    # keyring's KeyringBackend.__init__ is unannotated.
    keyring.set_keyring(FailKeyring())  # type: ignore[no-untyped-call]
    assert not keyring_cache.available()
    with pytest.raises(KeyringUnavailable) as caught:
        create_profile(profile_dir, PASSPHRASE, remember=True, cost=FAST_COST)
    assert "钥匙串" in str(caught.value)
    assert keyring_cache.recall("anything") is None


def test_plaintext_keyring_backends_are_refused() -> None:
    class PlaintextKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("must not be called")

        def delete_password(self, service: str, username: str) -> None:
            return None

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    keyring.set_keyring(PlaintextKeyring())  # type: ignore[no-untyped-call]
    with pytest.raises(KeyringUnavailable):
        keyring_cache.remember("p", b"k" * 32)


def test_weak_passphrase_refused(profile_dir: Path) -> None:
    with pytest.raises(WeakPassphrase):
        create_profile(profile_dir, "short", cost=FAST_COST)
    assert not ProfilePaths(profile_dir).exists()


def test_key_file_is_bound_to_its_profile_and_damage_is_reported(tmp_path: Path) -> None:
    key = keyfile.new_data_key()
    wrapped = keyfile.wrap("profile-a", key, PASSPHRASE, FAST_COST)
    moved = keyfile.KeyFile("profile-b", wrapped.salt, wrapped.n, wrapped.r, wrapped.p, wrapped.nonce,
                            wrapped.wrapped)
    with pytest.raises(WrongPassphrase):
        keyfile.unwrap(moved, PASSPHRASE)
    path = tmp_path / "key.json"
    path.write_text("{not json", "utf-8")
    with pytest.raises(KeyFileDamaged):
        keyfile.load(path)
    keyfile.save(path, wrapped)
    assert keyfile.unwrap(keyfile.load(path), PASSPHRASE) == key
    assert key not in path.read_bytes() and key.hex().encode() not in path.read_bytes()
