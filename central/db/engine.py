"""Engine set-up, migrations and the single-writer transaction every change goes through."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import platformdirs
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

DB_ENV = "FIELDAUDIT_CENTRAL_DB"
_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
# Any constant works: it only has to be the same for every writer of one PostgreSQL database.
_PG_WRITE_LOCK = 0x46415544
_HOOKS = "fieldaudit.before_commit"


def default_url() -> str:
    env = os.environ.get(DB_ENV)
    if env:
        return env
    folder = platformdirs.user_data_path("fieldaudit-central", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'central.sqlite3'}"


# Built once: json.dumps with non-default options makes a new encoder on every call.
_UTF8_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ASCII_JSON = json.JSONEncoder(separators=(",", ":"))


def _json_text(value: object) -> str:
    # Records are mostly Chinese text: escaping each character as \uXXXX (json.dumps' default) made the
    # encoding a fifth of a push's time on the platform and the stored text up to three times longer.
    text = _UTF8_JSON.encode(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (valid in JSON, not in UTF-8) can only be stored escaped
        return _ASCII_JSON.encode(value)
    return text


class Database:
    """One engine plus the write lock.

    Feed sequence numbers must become visible in order, or a pulling client could step over a
    change committed late; so writers are serialised (an advisory lock on PostgreSQL, a process
    lock on SQLite, whose writers are serialised anyway).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine: Engine = sa.create_engine(url, connect_args={"check_same_thread": False,
                                                                     "timeout": 30},
                                                   json_serializer=_json_text)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                                           json_serializer=_json_text)
        self._lock = threading.Lock()

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        with self._lock, self.engine.begin() as conn:
            # conn.info outlives the transaction (it belongs to the pooled connection): start clean.
            conn.info.pop(_HOOKS, None)
            try:
                if not self.is_sqlite:
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
                yield conn
                for hook in conn.info.pop(_HOOKS, []):
                    hook(conn)
            finally:
                conn.info.pop(_HOOKS, None)

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                # One consistent view for a whole page or snapshot.
                conn.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def before_commit(conn: Connection, hook: Callable[[Connection], None]) -> None:
    """Run ``hook`` inside the current write transaction just before it commits (batched inserts)."""
    conn.info.setdefault(_HOOKS, []).append(hook)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
