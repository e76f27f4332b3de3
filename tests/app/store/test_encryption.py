"""Nothing stored is readable without the key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.services.session import Session
from app.store import Store
from app.store.connection import DatabaseUnreadable
from tests.factories import make_audit

MARKERS = ["PLAINTEXT-MARKER-7f3a", "明文标记审核发现"]


def _write_markers(session: Session) -> None:
    audit = make_audit(title=MARKERS[0], scope=MARKERS[1])
    with session.store.unit_of_work("tester") as uow:
        uow.create(audit)


def _all_profile_bytes(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


def test_no_plaintext_in_database_wal_or_key_file(session: Session) -> None:
    _write_markers(session)
    # Checked while the WAL still holds the pages, and again after a checkpoint.
    wal = session.paths.database.with_name("store.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    for stage in ("wal", "checkpointed"):
        blob = _all_profile_bytes(session.paths.root)
        for marker in MARKERS:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert marker.encode(encoding) not in blob, (stage, marker, encoding)
        session.store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_stdlib_sqlite_cannot_open(session: Session) -> None:
    _write_markers(session)
    session.store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain = sqlite3.connect(session.paths.database)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_wrong_key_cannot_open(session: Session) -> None:
    _write_markers(session)
    path = session.paths.database
    session.close()
    with pytest.raises(DatabaseUnreadable) as caught:
        Store.open(path, b"\x01" * 32)
    assert "损坏" in str(caught.value)
