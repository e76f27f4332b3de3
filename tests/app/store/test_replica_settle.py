"""Settling a push batch: the rows and journal entries settling its mutations one at a time would leave."""

from __future__ import annotations

import json
from typing import Any

from app.domain import ChecklistItem
from app.services.session import Session
from app.store import journal, outbox
from app.store.replica import ServerRecord, apply_server_record, settle_batch
from tests.factories import make_item

AUDIT = "audit-settle"


def _row(session: Session, entity_id: str) -> tuple[Any, ...]:
    (row,) = session.store.query("SELECT audit_id, data, server_data, server_rev, deleted FROM records"
                                 " WHERE entity = 'checklist_item' AND id = ?", (entity_id,))
    return (row[0], json.loads(row[1]), None if row[2] is None else json.loads(row[2]), row[3], row[4])


def _entries_after(session: Session, seq: int) -> list[tuple[Any, ...]]:
    return [(entity_id, op, origin, None if before is None else json.loads(before),
             None if after is None else json.loads(after))
            for entity_id, op, origin, before, after in session.store.query(
                "SELECT entity_id, op, origin, before, after FROM journal WHERE seq > ? ORDER BY seq", (seq,))]


def _last_seq(session: Session) -> int:
    return int(session.store.query("SELECT max(seq) FROM journal")[0][0])


def test_several_mutations_of_a_record_settle_as_if_one_at_a_time(session: Session) -> None:
    store = session.store
    a, b = make_item(AUDIT, clause="4.1"), make_item(AUDIT, clause="4.2")
    base_a, base_b = a.model_dump(mode="json"), b.model_dump(mode="json")
    with store.unit_of_work("sync", origin="sync") as uow:
        apply_server_record(uow, ServerRecord("checklist_item", a.id, AUDIT, 1, base_a, False))
        apply_server_record(uow, ServerRecord("checklist_item", b.id, AUDIT, 1, base_b, False))
    with store.unit_of_work("auditor") as uow:
        uow.update(ChecklistItem, a.id, {"notes": "one"})
        uow.update(ChecklistItem, b.id, {"notes": "x"})
        uow.update(ChecklistItem, a.id, {"notes": "two"})
        uow.delete(ChecklistItem, b.id)
        uow.update(ChecklistItem, a.id, {"answer": "minor_nc"})
    a1, b1, a2, b2, a3 = outbox.pending(store.connection())
    assert [(m.entity_id, m.op, m.fields) for m in (a1, b1, a2, b2, a3)] == [
        (a.id, "patch", {"notes": "one"}), (b.id, "patch", {"notes": "x"}), (a.id, "patch", {"notes": "two"}),
        (b.id, "delete", {}), (a.id, "patch", {"answer": "minor_nc"})]
    seq = _last_seq(session)
    b_remote = {**base_b, "notes": "x", "question": "另一台设备改过的问题"}
    with store.unit_of_work("sync", origin="sync") as uow:
        settle_batch(uow, [a1, b1, a2, b2], [
            # The platform confirms what A already shows (its later edits rebased on top), its keys in
            # another order: no entry.
            (a1, ServerRecord("checklist_item", a.id, AUDIT, 2, dict(sorted({**base_a, "notes": "one"}.items())),
                              False)),
            # B's copy carries another device's edit; B stays deleted by the delete still queued behind.
            (b1, ServerRecord("checklist_item", b.id, AUDIT, 2, b_remote, False)),
            # No copy returned (rejected): A's server copy stays at rev 2 and "two" drops out of the view,
            # while the answer queued behind it (a3, not answered) stays applied.
            (a2, None),
            # The delete confirmed: the tombstone keeps the data last shown, so the view is unchanged.
            (b2, ServerRecord("checklist_item", b.id, AUDIT, 3, None, True)),
        ])
    a_two = {**base_a, "notes": "two", "answer": "minor_nc"}
    a_one = {**base_a, "notes": "one", "answer": "minor_nc"}
    assert _entries_after(session, seq) == [
        (b.id, "push-result", "remote", {**base_b, "notes": "x"}, None),
        (a.id, "push-result", "remote", a_two, a_one),
    ]
    assert _row(session, a.id) == (AUDIT, a_one, {**base_a, "notes": "one"}, 2, 0)
    assert _row(session, b.id) == (AUDIT, b_remote, None, 3, 1)
    assert [m.mutation_id for m in outbox.pending(store.connection())] == [a3.mutation_id]
    assert journal.verify_chain(store.connection())[1] is None


def test_a_batch_larger_than_one_statement_chunk_settles_every_record(session: Session) -> None:
    store = session.store
    items = [make_item(AUDIT, clause=f"4.{n}") for n in range(1100)]
    with store.unit_of_work("sync", origin="sync") as uow:
        for item in items:
            apply_server_record(uow, ServerRecord("checklist_item", item.id, AUDIT, 1,
                                                  item.model_dump(mode="json"), False))
    with store.unit_of_work("auditor") as uow:
        for n, item in enumerate(items):
            uow.update(ChecklistItem, item.id, {"notes": f"改{n}"})
    pending = outbox.pending(store.connection())
    seq = _last_seq(session)
    with store.unit_of_work("sync", origin="sync") as uow:
        settle_batch(uow, pending, [(m, ServerRecord("checklist_item", m.entity_id, AUDIT, 2,
                                            {**item.model_dump(mode="json"), **m.fields}, False))
                           for m, item in zip(pending, items, strict=True)])
    assert outbox.count(store.connection()) == 0
    assert _entries_after(session, seq) == []
    assert store.query("SELECT count(*) FROM records WHERE server_rev = 2 AND json_extract(data, '$.notes')"
                       " = json_extract(server_data, '$.notes')") == [(1100,)]


def test_an_edit_made_while_the_batch_was_on_the_wire_stays_on_top(session: Session) -> None:
    store = session.store
    item = make_item(AUDIT, clause="5.1")
    base = item.model_dump(mode="json")
    with store.unit_of_work("sync", origin="sync") as uow:
        apply_server_record(uow, ServerRecord("checklist_item", item.id, AUDIT, 1, base, False))
    with store.unit_of_work("auditor") as uow:
        uow.update(ChecklistItem, item.id, {"notes": "sent"})
    sent = outbox.pending(store.connection())
    with store.unit_of_work("auditor") as uow:  # typed while the push was waiting for its answer
        uow.update(ChecklistItem, item.id, {"answer": "conforming"})
    with store.unit_of_work("sync", origin="sync") as uow:
        settle_batch(uow, sent, [(sent[0], ServerRecord("checklist_item", item.id, AUDIT, 2,
                                                          {**base, "notes": "sent"}, False))])
    assert _row(session, item.id) == (AUDIT, {**base, "notes": "sent", "answer": "conforming"},
                                      {**base, "notes": "sent"}, 2, 0)
    assert [m.fields for m in outbox.pending(store.connection())] == [{"answer": "conforming"}]
