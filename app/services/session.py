"""Creating, unlocking and closing a profile: the entry to everything else."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.clock import utc_now
from app.domain.ids import new_id
from app.security import keyfile
from app.security.unlock import Unlocker
from app.store import ProfileLock, ProfilePaths, Store
from app.store.atomic import atomic_write_bytes
from app.store.profile import ProfileExists, ProfileMissing

# Written by the sync layer at login (sync.state.save_credentials); read here, since app/ cannot import sync/.
SIGNED_IN_USER = "platform.user"
# Written by the sync layer from every scopes reply (sync.engine): the suite the certification body chose.
SIGNATURE_SUITE = "platform.signature_suite"
LOCAL_ACTOR = "local"


@dataclass
class Session:
    """An unlocked profile: the store, the data key and the lock that keeps others out."""

    paths: ProfilePaths
    store: Store
    data_key: bytes = field(repr=False)
    lock: ProfileLock

    @property
    def actor(self) -> str:
        """Who is editing: the platform account signed in on this profile, or "local" before any login.

        Read on each use, not at unlock, so a login in the same session is recorded from then on.
        """
        return self.store.meta(SIGNED_IN_USER) or LOCAL_ACTOR

    @property
    def signature_suite(self) -> str | None:
        """The signature suite the platform chose; None until a platform has said (no sync yet)."""
        return self.store.meta(SIGNATURE_SUITE)

    @property
    def signing_suite(self) -> str:
        """The suite to sign and export with now: the platform's, international until it has said."""
        from app.verify.suites import INTERNATIONAL  # signing code, not needed to unlock

        return self.signature_suite or INTERNATIONAL

    def close(self) -> None:
        self.store.close()
        self.data_key = b"\x00" * len(self.data_key)
        if self.lock.held:
            self.lock.release()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create_profile(root: Path, passphrase: str, *, remember: bool = False,
                   cost: dict[str, int] | None = None) -> Session:
    paths = ProfilePaths(root)
    if paths.exists():
        raise ProfileExists(path=str(root))
    keyfile.check_passphrase_strength(passphrase)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    lock = ProfileLock(paths)
    lock.acquire()
    try:
        profile_id = new_id()
        data_key = keyfile.new_data_key()
        # Key file before profile.json: a profile only "exists" once both are in place.
        keyfile.save(paths.keyfile, keyfile.wrap(profile_id, data_key, passphrase, cost))
        store = Store.open(paths.database, data_key, create=True)
        info = {"profile_id": profile_id, "created_at": utc_now().isoformat(), "format": 1}
        atomic_write_bytes(paths.info, json.dumps(info, indent=2).encode())
        paths.vault.mkdir(exist_ok=True)
        if remember:
            from app.security import keyring_cache

            keyring_cache.remember(profile_id, data_key)
        return Session(paths, store, data_key, lock)
    except BaseException:
        lock.release()
        raise


def open_profile(root: Path, *, passphrase: str | None = None, remember: bool = False,
                 unlocker: Unlocker | None = None) -> Session:
    """Unlock with the remembered key when there is one, else with ``passphrase``.

    Raises :class:`ProfileMissing`, :class:`~app.security.errors.WrongPassphrase`,
    :class:`~app.security.errors.PassphraseRequired`, ... with translated messages.
    """
    from app.security.errors import PassphraseRequired

    paths = ProfilePaths(root)
    if not paths.exists():
        raise ProfileMissing(path=str(root))
    lock = ProfileLock(paths)
    lock.acquire()
    try:
        gate = unlocker or Unlocker(paths)
        data_key = gate.with_keyring() if passphrase is None else None
        if data_key is None:
            if passphrase is None:
                raise PassphraseRequired()
            data_key = gate.with_passphrase(passphrase)
            if remember:
                from app.security import keyring_cache

                keyring_cache.remember(paths.profile_id(), data_key)
        store = Store.open(paths.database, data_key)
        return Session(paths, store, data_key, lock)
    except BaseException:
        lock.release()
        raise


def forget_remembered_key(root: Path) -> None:
    # The keyring package looks for its plugins when imported (~0.1 s): only imported when a key is
    # remembered, recalled or forgotten, not for every unlock with a passphrase.
    from app.security import keyring_cache

    keyring_cache.forget(ProfilePaths(root).profile_id())
