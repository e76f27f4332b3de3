"""Opening the SQLCipher database with the raw data key and the product's pragmas."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from sqlcipher3 import dbapi2

from app.errors import StoreError
from app.i18n import N_
from app.store.migrations import all_migrations, latest_version

if TYPE_CHECKING:
    # sqlcipher3 ships no type hints; its connection has exactly the stdlib sqlite3 API.
    from sqlite3 import Connection as Connection
else:
    Connection = dbapi2.Connection
DatabaseError = dbapi2.DatabaseError
OperationalError = dbapi2.OperationalError
IntegrityError = dbapi2.IntegrityError


class DatabaseUnreadable(StoreError):
    message = N_("The database {path} is damaged or is not a FieldAudit database "
                 "(or belongs to another key). It was left untouched.")


class DatabaseTooNew(StoreError):
    message = N_("The database was written by a newer FieldAudit (schema {found}); this version "
                 "understands schema {supported} at most. Update FieldAudit; the data was not changed.")


class DiskFull(StoreError):
    message = N_("The disk is full: the last change was not saved. Free some space and try again.")


class MigrationFailed(StoreError):
    message = N_("Upgrading the database to schema {version} failed; it was left at schema {current}.")


class DatabaseBusy(StoreError):
    message = N_("The database is busy in another process; try again in a moment.")


class StoreFailure(StoreError):
    message = N_("The local store reported an error ({detail}); the change was not saved.")


def translate_error(error: Exception, path: Path) -> StoreError:
    text = str(error).lower()
    if "full" in text:
        return DiskFull()
    if "not a database" in text or "malformed" in text or "encrypted" in text or "no such table" in text:
        return DatabaseUnreadable(path=str(path))
    if "locked" in text or "busy" in text:
        return DatabaseBusy()
    return StoreFailure(detail=str(error))


def connect(path: Path, data_key: bytes, *, timeout: float = 10.0, same_thread: bool = True) -> Connection:
    """Open and key a connection; raise a translated error if the file cannot be read."""
    if len(data_key) != 32:
        raise ValueError("data key must be 32 bytes")
    conn: Connection = sqlcipher3.connect(str(path), timeout=timeout, isolation_level=None,
                                          check_same_thread=same_thread)
    try:
        # A 64-hex-digit raw key skips SQLCipher's own PBKDF2: the passphrase was stretched already.
        conn.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        # ON although it roughly doubles the SQL cost of a write: freed SQLite pages hold decrypted
        # records, and wiping them is what the issue asks (the trade-off: docs/architecture.md, "The store").
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute("PRAGMA cipher_log_level = NONE")
        # The first read is where a wrong key or a foreign file shows up.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Decrypting a page costs more than reading it: keep more of them (32 MiB) in the cache.
        conn.execute("PRAGMA cache_size = -32768")
    except DatabaseError as error:
        conn.close()
        raise translate_error(error, path) from None
    return conn


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, target: int | None = None) -> int:
    """Bring the schema up to ``target`` (default: latest). Never migrates down."""
    migrations = all_migrations()
    supported = latest_version()
    goal = supported if target is None else target
    current = schema_version(conn)
    if current > supported:
        raise DatabaseTooNew(found=current, supported=supported)
    for migration in migrations:
        if current < migration.version <= goal:
            _apply(conn, migration.version, migration.sql, current)
            current = migration.version
    return current


def _apply(conn: Connection, version: int, sql: str, current: int) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
        for statement in _statements(sql):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.execute("COMMIT")
    except DatabaseError:
        with contextlib.suppress(DatabaseError):
            conn.execute("ROLLBACK")
        raise MigrationFailed(version=version, current=current) from None


def _statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (sqlite3.complete_statement)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlcipher3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return [s for s in statements if s.rstrip(";").strip()]


def fetch_one(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]
