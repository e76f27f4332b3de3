"""Query plans of the outbox reads that run on every start-up and every push batch."""

from __future__ import annotations

from collections.abc import Callable

from app.services.session import Session
from app.store import outbox
from app.store.connection import Connection
from app.store.outbox import PendingMutation
from tests.factories import make_audit


def _plan(session: Session, sql: str, params: tuple[str, ...] = ()) -> str:
    return " | ".join(str(row[3]) for row in session.store.query("EXPLAIN QUERY PLAN " + sql, params))


def _queue(session: Session, audits: int) -> list[str]:
    ids = []
    with session.store.unit_of_work("auditor-1") as uow:
        for _ in range(audits):
            audit = make_audit()
            uow.create(audit)
            ids.append(audit.id)
    return ids


def test_audit_list_counts_queued_changes_from_the_index(session: Session) -> None:
    _queue(session, 3)
    plan = _plan(session, "SELECT audit_id, count(*) FROM outbox GROUP BY audit_id")
    assert "COVERING INDEX outbox_by_audit" in plan


def _outbox_read(session: Session, read: Callable[[Connection], list[PendingMutation]]
                 ) -> tuple[list[PendingMutation], str]:
    """What ``read`` returns, and the query plan of the outbox statement it ran."""
    connection = session.store.connection()
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    try:
        found = read(connection)
    finally:
        connection.set_trace_callback(None)
    return found, _plan(session, next(s for s in statements if "FROM outbox" in s))


def test_a_push_batch_reads_the_outbox_in_order_without_sorting_all_of_it(session: Session) -> None:
    ids = _queue(session, 200)
    batch, plan = _outbox_read(session, lambda connection: outbox.pending_in(connection, ids, 50))
    assert [m.audit_id for m in batch] == ids[:50]
    # Through the audit index SQLite would fetch and sort every queued mutation for each batch of a push.
    assert "TEMP B-TREE" not in plan


def test_a_records_queued_mutations_are_found_through_the_index(session: Session) -> None:
    ids = _queue(session, 200)
    found, plan = _outbox_read(session, lambda connection: outbox.pending_for(connection, "audit", ids[7]))
    assert [m.entity_id for m in found] == [ids[7]]
    # Every pulled record asks this: a scan would read the whole outbox each time.
    assert "INDEX outbox_by_record" in plan
