"""The single write path.

Every change to a record goes through a :class:`UnitOfWork`: the row change, an
append-only journal entry and (for local edits) an outbox mutation commit in one
transaction, or none of them do.  Nothing in the product writes records any
other way.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from app.domain import entity_label
from app.domain.clock import utc_now
from app.errors import NotFound, StoreError
from app.i18n import N_
from app.store import journal, outbox
from app.store.canonical import dumps
from app.store.connection import Connection, DatabaseError, translate_error
from app.store.writer_state import WriterState

if TYPE_CHECKING:
    from app.domain import Entity

# The domain models (pydantic) are imported when a record is written, not with the store: opening the
# store and reading lists needs none of them.
EntityT = TypeVar("EntityT", bound="Entity")
IMMUTABLE_FIELDS = frozenset({"id", "audit_id"})
# Signatures are append-only: their creation travels as the protocol's "sign" op.
CREATE_OPS = {"signature": "sign"}


class RecordExists(StoreError):
    message = N_("A record with id {ident} already exists.")


class ImmutableField(StoreError):
    message = N_("The field {field} cannot be changed after the record is created.")


class AppendOnly(StoreError):
    message = N_("Signatures cannot be changed or deleted once made.")


class UnitOfWork:
    """One transaction on the store's write connection (use through ``Store.unit_of_work``)."""

    def __init__(self, conn: Connection, state: WriterState, *, actor: str, device_id: str,
                 origin: str = "local") -> None:
        self._conn = conn
        self._state = state
        self.actor = actor
        self.device_id = device_id
        self.origin = origin
        self.changes: list[tuple[str, str, str]] = []
        # The clock row is saved once, just before COMMIT, however many writes the transaction made.
        self._clock_dirty = False

    @property
    def connection(self) -> Connection:
        """For store-internal modules (sync state, vault index) that join this transaction."""
        return self._conn

    # -- reads inside the transaction -------------------------------------------------
    def _row(self, entity: str, entity_id: str) -> tuple[str, str, int, int] | None:
        row = self._conn.execute(
            "SELECT data, audit_id, server_rev, deleted FROM records WHERE entity = ? AND id = ?",
            (entity, entity_id),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), int(row[2]), int(row[3]))

    def get(self, model: type[EntityT], entity_id: str) -> EntityT:
        return self._live(model, entity_id)[0]

    def _live(self, model: type[EntityT], entity_id: str) -> tuple[EntityT, str, int]:
        """The current (not deleted) record with its audit id and server revision."""
        row = self._row(model.entity_name, entity_id)
        if row is None or row[3]:
            raise NotFound(what=entity_label(model.entity_name), ident=entity_id)
        return model.model_validate_json(row[0]), row[1], row[2]

    # -- writes ---------------------------------------------------------------------------
    def create(self, record: EntityT) -> EntityT:
        entity = record.entity_name
        if self._row(entity, record.id) is not None:
            raise RecordExists(ident=record.id)
        data = record.model_dump(mode="json")
        self._conn.execute(
            "INSERT INTO records (entity, id, audit_id, data, server_data, server_rev, deleted, updated_at)"
            " VALUES (?,?,?,?,NULL,0,0,?)",
            (entity, record.id, record.scope_id, dumps(data), utc_now().isoformat()),
        )
        op = CREATE_OPS.get(entity, "create")
        self._record(entity, record.id, record.scope_id, op, None, data, base_rev=0, fields=data)
        return record

    def update(self, model: type[EntityT], entity_id: str, changes: dict[str, Any]) -> EntityT:
        entity = model.entity_name
        if entity in CREATE_OPS:
            raise AppendOnly()
        blocked = IMMUTABLE_FIELDS.intersection(changes)
        if blocked:
            raise ImmutableField(field=sorted(blocked)[0])
        row = self._row(entity, entity_id)
        if row is None or row[3]:
            raise NotFound(what=entity_label(entity), ident=entity_id)
        audit_id, server_rev = row[1], row[2]
        # The stored text is the model's own JSON dump: decoding it is enough (validating it and dumping
        # it back again is waste on every write); the merged record is validated in full below.
        old = load_json(row[0])
        updated = _parse(model, {**old, **changes})
        new = updated.model_dump(mode="json")
        changed = sorted(key for key in new if new[key] != old.get(key))
        if not changed:
            return updated
        self._conn.execute("UPDATE records SET data = ?, updated_at = ? WHERE entity = ? AND id = ?",
                           (dumps(new), utc_now().isoformat(), entity, entity_id))
        after = {k: new[k] for k in changed}
        self._record(entity, entity_id, audit_id, "patch", {k: old.get(k) for k in changed}, after,
                     base_rev=server_rev, fields=after)
        return updated

    def delete(self, model: type[EntityT], entity_id: str) -> None:
        entity = model.entity_name
        if entity in CREATE_OPS:
            raise AppendOnly()
        current, audit_id, server_rev = self._live(model, entity_id)
        # A tombstone: the row stays so a concurrent edit elsewhere is a conflict, not a resurrection.
        self._conn.execute("UPDATE records SET deleted = 1, updated_at = ? WHERE entity = ? AND id = ?",
                           (utc_now().isoformat(), entity, entity_id))
        self._record(entity, entity_id, audit_id, "delete", current.model_dump(mode="json"), None,
                     base_rev=server_rev, fields={})

    def resolve(self, model: type[EntityT], entity_id: str, *, conflict_id: str, resolution: str,
                values: dict[str, Any]) -> EntityT | None:
        """The lead auditor's decision on a conflict: ``values`` become the record's fields locally now,
        and the platform applies the same decision when the ``resolve`` mutation is pushed."""
        entity = model.entity_name
        row = self._row(entity, entity_id)
        if row is None:
            raise NotFound(what=entity_label(entity), ident=entity_id)
        old = json.loads(row[0]) if row[0] else {}
        result: EntityT | None = None
        new = old
        if values or not row[3]:
            result = _parse(model, {**old, **values})
            new = result.model_dump(mode="json")
            self._conn.execute("UPDATE records SET data = ?, deleted = 0, updated_at = ? WHERE entity = ? AND id = ?",
                               (dumps(new), utc_now().isoformat(), entity, entity_id))
        payload = {"conflict_id": conflict_id, "resolution": resolution, "values": values}
        changed = {k: new.get(k) for k in values}
        self._record(entity, entity_id, row[1], "resolve", {k: old.get(k) for k in values} | {"conflict": conflict_id},
                     changed, base_rev=row[2], fields=payload)
        return result

    def _record(self, entity: str, entity_id: str, audit_id: str, op: str, before: Any, after: Any, *,
                base_rev: int, fields: dict[str, Any]) -> None:
        self._journal(entity, entity_id, audit_id, op, self.origin, before, after)
        if self.origin == "local":
            stamp = self._state.tick(self.device_id)
            outbox.enqueue(self._conn, device_seq=self._state.next_device_seq(), audit_id=audit_id,
                           entity=entity, entity_id=entity_id, op=op, base_rev=base_rev, fields=fields,
                           hlc=str(stamp))
            self._clock_dirty = True
        self.changes.append((entity, entity_id, op))

    def _journal(self, entity: str, entity_id: str, audit_id: str, op: str, origin: str, before: Any,
                 after: Any) -> None:
        state = self._state
        state.journal_hash = journal.append(
            self._conn, seq=state.journal_seq + 1, prev=state.journal_hash, actor=self.actor,
            device_id=self.device_id, entity=entity, entity_id=entity_id, audit_id=audit_id, op=op,
            origin=origin, before=before, after=after)
        state.journal_seq += 1

    def journal_remote(self, entity: str, entity_id: str, audit_id: str, op: str, before: Any,
                       after: Any) -> None:
        """Journal a change that arrived from the platform (the sync engine writes the row itself)."""
        self._journal(entity, entity_id, audit_id, op, "remote", before, after)
        self.changes.append((entity, entity_id, op))

    def journal_local(self, entity: str, entity_id: str, audit_id: str, op: str, after: Any) -> None:
        """Journal a local event that is not a record row and does not sync (e.g. a produced report's hash).

        Chained and tamper-evident like every entry, committed with this transaction; no outbox row.
        """
        self._journal(entity, entity_id, audit_id, op, "local", None, after)
        self.changes.append((entity, entity_id, op))

    def observe_clock(self, remote_hlc: str) -> None:
        """Move this device's clock past a timestamp seen from the platform (saved with this transaction)."""
        self._state.observe(remote_hlc)
        self._clock_dirty = True

    def before_commit(self) -> None:
        """Save what must land with this transaction's COMMIT (called by :func:`transaction`)."""
        if self._clock_dirty:
            self._state.save_clock(self._conn)
            self._clock_dirty = False


@contextlib.contextmanager
def transaction(conn: Connection, uow: UnitOfWork, path: Any,
                on_rollback: Callable[[], None]) -> Iterator[UnitOfWork]:
    """Commit what ``uow`` did, or roll all of it back (and let the caller drop cached state)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except DatabaseError as error:
        raise translate_error(error, path) from None
    try:
        yield uow
        uow.before_commit()
        conn.execute("COMMIT")
    except DatabaseError as error:
        _rollback(conn, on_rollback)
        raise translate_error(error, path) from None
    except BaseException:
        _rollback(conn, on_rollback)
        raise


def _rollback(conn: Connection, on_rollback: Callable[[], None]) -> None:
    with contextlib.suppress(DatabaseError):
        conn.execute("ROLLBACK")
    on_rollback()


def _parse(model: type[EntityT], data: Any) -> EntityT:
    from app.domain.base import parse

    return parse(model, data)


def entity_model(entity: str) -> type[Entity]:
    from app.domain import ENTITY_TYPES

    try:
        return ENTITY_TYPES[entity]
    except KeyError:
        raise StoreError(N_("Unknown record type {entity}."), entity=entity) from None


def load_json(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise StoreError(N_("A stored record is damaged."))
    return value
