"""``verify`` recomputes the journal chain and names the first broken entry."""

from __future__ import annotations

from app.domain import ChecklistItem
from app.services.session import Session
from app.services.verification import verify_profile
from tests.factories import make_audit, make_item


def _populate(session: Session) -> None:
    audit = make_audit()
    with session.store.unit_of_work("a") as uow:
        uow.create(audit)
        items = [uow.create(make_item(audit.id, clause=f"7.{n}")) for n in range(1, 6)]
    for item in items:
        with session.store.unit_of_work("a") as uow:
            uow.update(ChecklistItem, item.id, {"answer": "conforming"})


def test_untouched_store_verifies(session: Session) -> None:
    _populate(session)
    results = verify_profile(session)
    assert all(r.ok for r in results)
    assert next(r for r in results if r.name == "journal").checked == 11


def test_one_changed_byte_is_named(session: Session) -> None:
    _populate(session)
    conn = session.store.connection()
    seq, entry_id, after = conn.execute("SELECT seq, entry_id, after FROM journal WHERE seq = 4").fetchone()
    tampered = after.replace("7.3", "7.8", 1)
    assert tampered != after
    conn.execute("UPDATE journal SET after = ? WHERE seq = ?", (tampered, seq))
    journal = next(r for r in verify_profile(session) if r.name == "journal")
    assert not journal.ok
    assert journal.checked == 3
    assert entry_id in journal.message() and "第 4 条" in journal.message()


def test_removed_entry_is_named(session: Session) -> None:
    _populate(session)
    session.store.connection().execute("DELETE FROM journal WHERE seq = 6")
    journal = next(r for r in verify_profile(session) if r.name == "journal")
    assert not journal.ok and "第 6 条" in journal.message()
