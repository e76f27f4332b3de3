"""The encrypted store of one profile: connections, migrations, reads and the write path."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.errors import StoreError
from app.i18n import N_
from app.store import outbox
from app.store.connection import Connection, DatabaseError, connect, migrate, translate_error
from app.store.repositories import Repositories
from app.store.unit_of_work import UnitOfWork, transaction
from app.store.writer_state import WriterState


class DatabaseMissing(StoreError):
    message = N_("The database file {path} is missing. Restore it from a backup or create a new profile.")


class Store(Repositories):
    """Thread-aware access to one SQLCipher database.

    Reads use one connection per thread; all writes go through one writer
    connection guarded by a lock (WAL lets readers go on while it writes).
    Measured here: a connection that has written or migrated a lot reads up to
    5x slower afterwards, so reading and writing connections are kept apart.
    """

    def __init__(self, path: Path, data_key: bytes, device_id: str) -> None:
        self.path = path
        self._key = bytes(data_key)
        self.device_id = device_id
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[Connection] = []
        self._all_lock = threading.Lock()
        self._closed = False
        self._writer_state: WriterState | None = None
        self._writer: Connection | None = None
        super().__init__(self.connection)

    @classmethod
    def open(cls, path: Path, data_key: bytes, *, create: bool = False) -> Store:
        if not path.exists() and not create:
            raise DatabaseMissing(path=str(path))
        conn = connect(path, data_key)
        try:
            migrate(conn)
            device_id = _device_id(conn)
        finally:
            conn.close()
        return cls(path, data_key, device_id)

    def connection(self) -> Connection:
        if self._closed:
            raise StoreError(N_("The store is closed (the profile was locked)."))
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, self._key)
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    def _writer_connection(self) -> Connection:
        if self._closed:
            raise StoreError(N_("The store is closed (the profile was locked)."))
        if self._writer is None:
            # Shared across threads, but only ever used while holding the write lock.
            self._writer = connect(self.path, self._key, same_thread=False)
            with self._all_lock:
                self._all.append(self._writer)
        return self._writer

    @contextlib.contextmanager
    def unit_of_work(self, actor: str, origin: str = "local") -> Iterator[UnitOfWork]:
        with self._write_lock:
            conn = self._writer_connection()
            if self._writer_state is None:
                self._writer_state = WriterState.load(conn)
            uow = UnitOfWork(conn, self._writer_state, actor=actor, device_id=self.device_id, origin=origin)
            with transaction(conn, uow, self.path, self._forget_writer_state) as active:
                yield active

    def _forget_writer_state(self) -> None:
        self._writer_state = None

    def pending_mutations(self) -> int:
        return outbox.count(self.connection())

    def meta(self, key: str) -> str | None:
        row = self.connection().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read-only SQL for reporting and verification (never used to write)."""
        try:
            return list(self.connection().execute(sql, params))
        except DatabaseError as error:
            raise translate_error(error, self.path) from None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._all_lock:
            for conn in self._all:
                with contextlib.suppress(Exception):
                    conn.close()
            self._all.clear()
        self._writer = None
        self._key = b"\x00" * len(self._key)


def _device_id(conn: Connection) -> str:
    from app.domain.ids import new_id

    row = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    if row is not None:
        return str(row[0])
    device = new_id()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (device,))
    conn.execute("COMMIT")
    return device
