"""A user profile on disk: where its files live and the lock that keeps it single-process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.errors import StoreError
from app.i18n import N_


class ProfileMissing(StoreError):
    message = N_("No profile at {path}. Create one with: fieldaudit init")


class ProfileExists(StoreError):
    message = N_("A profile already exists at {path}.")


class ProfileInUse(StoreError):
    message = N_("This profile is already open in another FieldAudit window or command ({path}). "
                 "Close it first.")


APP_NAME = "FieldAudit"


def default_profile_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "default"


@dataclass(frozen=True)
class ProfilePaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "store.db"

    @property
    def keyfile(self) -> Path:
        return self.root / "key.json"

    @property
    def info(self) -> Path:
        return self.root / "profile.json"

    @property
    def vault(self) -> Path:
        return self.root / "vault"

    @property
    def lockfile(self) -> Path:
        return self.root / ".lock"

    @property
    def attempts(self) -> Path:
        return self.root / "unlock-attempts.json"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    def exists(self) -> bool:
        return self.info.exists() and self.keyfile.exists()

    def profile_id(self) -> str:
        try:
            data = json.loads(self.info.read_text("utf-8"))
            return str(data["profile_id"])
        except FileNotFoundError:
            raise ProfileMissing(path=str(self.root)) from None
        except (OSError, ValueError, KeyError, TypeError):
            raise StoreError(N_("The profile description {path} is damaged."), path=str(self.info)) from None


class ProfileLock:
    """An exclusive OS file lock held while a process uses the profile."""

    def __init__(self, paths: ProfilePaths) -> None:
        # Imported here, when a profile is opened: the desktop app shows its unlock screen (which needs
        # only ProfilePaths) before, and filelock takes ~15 ms to import.
        import filelock

        self._paths = paths
        self._lock = filelock.FileLock(str(paths.lockfile), timeout=0)

    def acquire(self) -> None:
        import filelock

        try:
            self._lock.acquire()
        except filelock.Timeout:
            raise ProfileInUse(path=str(self._paths.root)) from None

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked
