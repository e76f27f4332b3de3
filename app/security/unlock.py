"""Turning a passphrase (or a remembered key) into the profile's data key.

Repeated wrong passphrases earn an increasing wait: after three failures the
next try must wait 2, 4, 8 ... seconds (at most five minutes).  The counter is
kept in a small file beside the key file; it holds no secret, and nothing is
ever deleted because of failures.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.security import keyfile
from app.security.errors import UnlockDelayed, WrongPassphrase
from app.store.atomic import atomic_write_bytes
from app.store.profile import ProfileMissing, ProfilePaths

FREE_ATTEMPTS = 3
MAX_DELAY = 300.0


def required_delay(failures: int) -> float:
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY))


@dataclass
class AttemptLog:
    failures: int = 0
    last_failure: float = 0.0


class Unlocker:
    def __init__(self, paths: ProfilePaths, clock: Callable[[], float] = time.time) -> None:
        self.paths = paths
        self._clock = clock

    def _read(self) -> AttemptLog:
        try:
            raw = json.loads(self.paths.attempts.read_text("utf-8"))
            return AttemptLog(int(raw["failures"]), float(raw["last_failure"]))
        except (OSError, ValueError, KeyError, TypeError):
            return AttemptLog()

    def _write(self, log: AttemptLog) -> None:
        data = {"failures": log.failures, "last_failure": log.last_failure}
        atomic_write_bytes(self.paths.attempts, json.dumps(data).encode())

    def seconds_to_wait(self) -> float:
        log = self._read()
        remaining = log.last_failure + required_delay(log.failures) - self._clock()
        return max(0.0, remaining)

    def with_passphrase(self, passphrase: str) -> bytes:
        if not self.paths.exists():
            raise ProfileMissing(path=str(self.paths.root))
        wait = self.seconds_to_wait()
        if wait > 0:
            raise UnlockDelayed(seconds=int(wait + 0.999))
        wrapped = keyfile.load(self.paths.keyfile)
        try:
            key = keyfile.unwrap(wrapped, passphrase)
        except WrongPassphrase:
            log = self._read()
            self._write(AttemptLog(log.failures + 1, self._clock()))
            raise
        if self._read().failures:
            self._write(AttemptLog())
        return key

    def with_keyring(self) -> bytes | None:
        if not self.paths.exists():
            raise ProfileMissing(path=str(self.paths.root))
        from app.security import keyring_cache  # imported when used: it loads the keyring plugins

        return keyring_cache.recall(self.paths.profile_id())

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the same data key: no data is re-encrypted."""
        key = self.with_passphrase(old)
        keyfile.save(self.paths.keyfile, keyfile.wrap(self.paths.profile_id(), key, new))
