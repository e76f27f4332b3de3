"""Sync bookkeeping kept in the encrypted store: platform login, scopes, cursors, rejections."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.services.session import SIGNED_IN_USER
from app.store import Store
from app.store.canonical import dumps
from app.store.sql import in_lists
from app.store.unit_of_work import UnitOfWork
from sync.protocol import ScopeInfo, TokenPair

SYNC_ACTOR = "sync"


@dataclass(frozen=True)
class Credentials:
    server: str
    tokens: TokenPair


def load_credentials(store: Store) -> Credentials | None:
    rows = dict(store.query("SELECT name, value FROM credentials"))
    if "server" not in rows or "tokens" not in rows:
        return None
    return Credentials(str(rows["server"]), TokenPair.model_validate_json(rows["tokens"]))


def save_credentials(store: Store, server: str, tokens: TokenPair) -> None:
    with store.unit_of_work(SYNC_ACTOR, origin="sync") as uow:
        for name, value in (("server", server), ("tokens", tokens.model_dump_json())):
            uow.connection.execute("INSERT INTO credentials (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
                                   " SET value = excluded.value", (name, value))
        set_meta(uow, SIGNED_IN_USER, tokens.user_id)
        set_meta(uow, "platform.username", tokens.username)


def forget_credentials(store: Store) -> None:
    with store.unit_of_work(SYNC_ACTOR, origin="sync") as uow:
        uow.connection.execute("DELETE FROM credentials")


def set_meta(uow: UnitOfWork, key: str, value: Any) -> None:
    uow.connection.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
                           " value = excluded.value", (key, value if isinstance(value, str) else dumps(value)))


def scope_cursors(store: Store) -> dict[str, int]:
    return {str(a): int(c) for a, c in store.query("SELECT audit_id, cursor FROM sync_scopes")}


def scope_row(scope: ScopeInfo) -> tuple[str, str, str, int]:
    """What :func:`save_scope` keeps of a scope, as :func:`scope_rows` reads it back."""
    return (scope.title, scope.role, scope.status, scope.open_conflicts)


def scope_rows(store: Store) -> dict[str, tuple[str, str, str, int]]:
    rows = store.query("SELECT audit_id, title, role, status, open_conflicts FROM sync_scopes")
    return {str(r[0]): (str(r[1]), str(r[2]), str(r[3]), int(r[4])) for r in rows}


def save_scope(uow: UnitOfWork, scope: ScopeInfo) -> None:
    uow.connection.execute(
        "INSERT INTO sync_scopes (audit_id, title, role, status, open_conflicts) VALUES (?,?,?,?,?)"
        " ON CONFLICT(audit_id) DO UPDATE SET title = excluded.title, role = excluded.role,"
        " status = excluded.status, open_conflicts = excluded.open_conflicts",
        (scope.audit_id, *scope_row(scope)))


def set_cursor(uow: UnitOfWork, audit_id: str, cursor: int, synced_at: str) -> None:
    uow.connection.execute("UPDATE sync_scopes SET cursor = ?, synced_at = ? WHERE audit_id = ?",
                           (cursor, synced_at, audit_id))


def mark_synced(uow: UnitOfWork, audit_ids: list[str], synced_at: str) -> None:
    """Caught up without a change: only the time moves, the cursor stays."""
    # One statement for all of them: each statement costs ~50 µs on the store's connection (SQLCipher's
    # memory security), and this runs in every round, also when nothing moved.
    for chunk, marks in in_lists(audit_ids):
        uow.connection.execute(f"UPDATE sync_scopes SET synced_at = ? WHERE audit_id IN ({marks})", (synced_at, *chunk))


def scopes(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT audit_id, title, role, status, cursor, open_conflicts, synced_at FROM sync_scopes"
                       " ORDER BY title")
    keys = ("audit_id", "title", "role", "status", "cursor", "open_conflicts", "synced_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def open_conflicts(store: Store, audit_id: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT data FROM records WHERE entity = 'conflict' AND deleted = 0"
    params: tuple[str, ...] = ()
    if audit_id is not None:
        sql += " AND audit_id = ?"
        params = (audit_id,)
    found = [json.loads(row[0]) for row in store.query(sql, params)]
    return [c for c in found if c.get("status") == "open"]


def field_history(store: Store, audit_id: str) -> list[dict[str, Any]]:
    rows = store.query("SELECT data FROM records WHERE entity = 'history' AND audit_id = ? AND deleted = 0",
                       (audit_id,))
    return sorted((json.loads(row[0]) for row in rows), key=lambda h: str(h.get("recorded_at", "")))


def rejected(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT mutation_id, audit_id, entity, entity_id, op, error_code, message, rejected_at"
                       " FROM rejected_mutations ORDER BY rejected_at")
    keys = ("mutation_id", "audit_id", "entity", "entity_id", "op", "error_code", "message", "rejected_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def quarantined(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT id, audit_id, mutations, quarantined_at FROM quarantine ORDER BY id")
    return [{"id": r[0], "audit_id": r[1], "mutations": json.loads(r[2]), "quarantined_at": r[3]} for r in rows]
