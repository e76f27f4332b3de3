"""Disk full and a second process on the same profile."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.services.session import Session, open_profile
from app.services.verification import verify_profile
from app.store.connection import DiskFull
from app.store.profile import ProfileInUse
from tests.conftest import PASSPHRASE
from tests.factories import make_audit


def test_disk_full_rolls_back_and_store_still_opens(session: Session, profile_dir: Path) -> None:
    store = session.store
    with store.unit_of_work("a") as uow:
        uow.create(make_audit())
    with store.unit_of_work("a") as uow:
        pages = int(uow.connection.execute("PRAGMA page_count").fetchone()[0])
        # SQLite reports SQLITE_FULL exactly as on a full disk once the page limit is reached.
        uow.connection.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(DiskFull) as caught, store.unit_of_work("a") as uow:
        for _ in range(200):
            uow.create(make_audit(scope="填充" * 1500))
    assert "磁盘已满" in str(caught.value)
    assert store.audits.count() == 1
    session.close()
    with open_profile(profile_dir, passphrase=PASSPHRASE) as reopened:
        assert reopened.store.audits.count() == 1
        assert all(r.ok for r in verify_profile(reopened))


def test_second_opener_in_same_process_is_refused(session: Session, profile_dir: Path) -> None:
    with pytest.raises(ProfileInUse) as caught:
        open_profile(profile_dir, passphrase=PASSPHRASE)
    assert "已在另一个" in str(caught.value)


def test_second_process_gets_already_open(session: Session, profile_dir: Path) -> None:
    code = (
        "import sys\n"
        "from app.services.session import open_profile\n"
        "from app.store.profile import ProfileInUse\n"
        f"try:\n    open_profile(__import__('pathlib').Path({str(profile_dir)!r}), passphrase={PASSPHRASE!r})\n"
        "except ProfileInUse as e:\n    print('IN-USE', e); sys.exit(7)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[3])
    assert result.returncode == 7, result.stderr
    assert "IN-USE" in result.stdout
