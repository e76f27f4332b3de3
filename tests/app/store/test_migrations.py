"""Forward-only migrations from every earlier version, and refusal of newer databases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.store import Store
from app.store.connection import DatabaseTooNew, DatabaseUnreadable, connect, migrate, schema_version
from app.store.migrations import all_migrations, latest_version
from tests.factories import make_audit

KEY = bytes(range(32))
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("start", range(0, latest_version() + 1))
def test_upgrade_from_every_version_keeps_data(tmp_path: Path, start: int) -> None:
    path = tmp_path / "store.db"
    conn = connect(path, KEY)
    migrate(conn, target=start)
    assert schema_version(conn) == start
    conn.close()
    store = Store.open(path, KEY)
    assert schema_version(store.connection()) == latest_version()
    with store.unit_of_work("t") as uow:
        uow.create(make_audit())
    assert store.audits.count() == 1
    store.close()


def test_empty_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(b"")
    store = Store.open(path, KEY)
    assert schema_version(store.connection()) == latest_version()
    store.close()


def test_first_release_file_upgrades(tmp_path: Path) -> None:
    """A database written by release 0.1 (schema 1, committed fixture, key = bytes 0..31)."""
    path = tmp_path / "store.db"
    shutil.copy(FIXTURES / "release-0.1-schema1.db", path)
    store = Store.open(path, KEY)
    assert schema_version(store.connection()) == latest_version()
    audits = store.audits.list()
    assert [a.client.name for a in audits] == ["某制造有限公司"]
    store.close()


def test_newer_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store.open(path, KEY, create=True).close()
    conn = connect(path, KEY)
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as caught:
        Store.open(path, KEY)
    assert "更新版本" in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"SQLite format 3\x00" + b"\x00" * 100, b"PK\x03\x04 not a database" * 50])
def test_foreign_file_is_refused_and_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "store.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseUnreadable):
        Store.open(path, KEY)
    assert path.read_bytes() == content


def test_truncated_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = Store.open(path, KEY, create=True)
    with store.unit_of_work("t") as uow:
        for _ in range(30):
            uow.create(make_audit())
    store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    with pytest.raises(DatabaseUnreadable):
        store = Store.open(path, KEY)
        store.audits.list()


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in all_migrations()]
    assert versions == list(range(1, len(versions) + 1))
