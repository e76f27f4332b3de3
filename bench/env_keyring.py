"""A keyring backend for bench/ui.py's start-up runs: the remembered key comes from the environment.

The benchmark's child processes have no desktop keyring (no Secret Service on a headless machine), so
the parent hands the profile's key to them through ``FIELDAUDIT_BENCH_KEY``.  Selected with
``PYTHON_KEYRING_BACKEND=bench.env_keyring.EnvKeyring``, which is how keyring is told to skip looking
for its backends; a real desktop also pays that search and a D-Bus round trip.  Never used by the app.
"""

from __future__ import annotations

import os

import keyring.backend
import keyring.errors


class EnvKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return os.environ.get("FIELDAUDIT_BENCH_KEY")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the benchmark keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        return None
