"""Shared test set-up: headless Qt, an in-memory keyring, Chinese by default, cheap scrypt."""

from __future__ import annotations

import os

# Qt aborts without a display unless this is set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("FIELDAUDIT_PASSPHRASE", None)

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from app.i18n import set_language

# A low scrypt cost keeps profile creation fast in tests; production uses keyfile.DEFAULT_COST.
FAST_COST = {"n": 2**14, "r": 8, "p": 1}
PASSPHRASE = "correct horse 电池"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keyring in unit tests (kept only in this process's memory)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def session(profile_dir: Path) -> Iterator[object]:
    from app.services.session import create_profile

    opened = create_profile(profile_dir, PASSPHRASE, cost=FAST_COST)
    yield opened
    opened.close()


@pytest.fixture(scope="session", autouse=True)
def qt_application() -> object:
    """One QApplication for the whole run: the PDF writer would otherwise create a bare
    QGuiApplication first, and widget tests cannot run (Qt aborts) once that exists."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])
