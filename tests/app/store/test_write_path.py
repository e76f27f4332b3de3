"""The unit of work: row, journal entry and outbox entry commit together or not at all."""

from __future__ import annotations

import pytest

from app.domain import Audit, ChecklistItem, Signature
from app.domain.signature import SignatureMethod
from app.errors import NotFound, ValidationFailed
from app.services.session import Session
from app.store import journal, outbox
from app.store.unit_of_work import AppendOnly, ImmutableField, RecordExists
from tests.factories import make_audit, make_item


def _counts(session: Session) -> tuple[int, int, int]:
    rows = session.store.query("SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM journal),"
                               " (SELECT count(*) FROM outbox)")
    records, entries, mutations = rows[0]
    return int(records), int(entries), int(mutations)


def test_each_write_makes_one_journal_and_one_outbox_entry(session: Session) -> None:
    audit = make_audit()
    with session.store.unit_of_work("auditor-1") as uow:
        uow.create(audit)
    assert _counts(session) == (1, 1, 1)
    item = make_item(audit.id)
    with session.store.unit_of_work("auditor-1") as uow:
        uow.create(item)
    with session.store.unit_of_work("auditor-1") as uow:
        uow.update(ChecklistItem, item.id, {"answer": "conforming", "notes": "抽查三份记录"})
    assert _counts(session) == (2, 3, 3)
    pending = outbox.pending(session.store.connection())
    assert [m.op for m in pending] == ["create", "create", "patch"]
    assert pending[-1].fields == {"answer": "conforming", "notes": "抽查三份记录"}
    assert [m.device_seq for m in pending] == [1, 2, 3]
    assert pending[0].hlc < pending[1].hlc < pending[2].hlc


def test_unchanged_update_writes_nothing(session: Session) -> None:
    audit = make_audit()
    with session.store.unit_of_work("a") as uow:
        uow.create(audit)
    with session.store.unit_of_work("a") as uow:
        uow.update(Audit, audit.id, {"title": audit.title})
    assert _counts(session) == (1, 1, 1)


@pytest.mark.parametrize("stage", ["after_row", "after_journal", "after_outbox"])
def test_failure_between_steps_leaves_nothing(session: Session, monkeypatch: pytest.MonkeyPatch,
                                              stage: str) -> None:
    class Injected(Exception):
        pass

    def fail(*args: object, **kwargs: object) -> None:
        raise Injected()

    if stage == "after_row":
        monkeypatch.setattr(journal, "append", fail)
    elif stage == "after_journal":
        monkeypatch.setattr(outbox, "enqueue", fail)
    with pytest.raises(Injected), session.store.unit_of_work("a") as uow:
        uow.create(make_audit())
        if stage == "after_outbox":
            raise Injected()
    assert _counts(session) == (0, 0, 0)


def test_invalid_change_is_refused_with_reason(session: Session) -> None:
    audit = make_audit()
    with session.store.unit_of_work("a") as uow:
        uow.create(audit)
    with pytest.raises(ValidationFailed) as caught, session.store.unit_of_work("a") as uow:
        uow.update(Audit, audit.id, {"effective_personnel": 0})
    assert "有效人数" in str(caught.value)
    assert session.store.audits.get(audit.id).effective_personnel == audit.effective_personnel
    with pytest.raises(ImmutableField), session.store.unit_of_work("a") as uow:
        uow.update(Audit, audit.id, {"id": "x"})
    with pytest.raises(RecordExists), session.store.unit_of_work("a") as uow:
        uow.create(audit)


def test_delete_is_a_tombstone(session: Session) -> None:
    audit = make_audit()
    item = make_item(audit.id)
    with session.store.unit_of_work("a") as uow:
        uow.create(audit)
        uow.create(item)
    with session.store.unit_of_work("a") as uow:
        uow.delete(ChecklistItem, item.id)
    assert session.store.checklist.find(item.id) is None
    assert session.store.checklist.is_deleted(item.id)
    with pytest.raises(NotFound), session.store.unit_of_work("a") as uow:
        uow.update(ChecklistItem, item.id, {"notes": "x"})
    assert outbox.pending(session.store.connection())[-1].op == "delete"


def test_signatures_are_append_only(session: Session) -> None:
    audit = make_audit()
    signature = Signature(audit_id=audit.id, signer="李代表", role="auditee", method=SignatureMethod.HANDWRITTEN,
                          subject="findings", signed_hash="a" * 64)
    with session.store.unit_of_work("a") as uow:
        uow.create(audit)
        uow.create(signature)
    assert outbox.pending(session.store.connection())[-1].op == "sign"
    with pytest.raises(AppendOnly), session.store.unit_of_work("a") as uow:
        uow.update(Signature, signature.id, {"signer": "x"})
    with pytest.raises(AppendOnly), session.store.unit_of_work("a") as uow:
        uow.delete(Signature, signature.id)


def test_the_clock_is_saved_with_the_transaction_and_survives_a_reopen(session: Session) -> None:
    import json

    from app.store import Store

    audit = make_audit()
    items = [make_item(audit.id, clause=f"7.1.{n}") for n in range(1, 5)]
    with session.store.unit_of_work("a") as uow:
        uow.create(audit)
        for item in items:
            uow.create(item)
    saved = json.loads(session.store.meta("clock") or "{}")
    assert saved["device_seq"] == 5
    last = outbox.pending(session.store.connection())[-1]
    assert last.hlc == f"{saved['wall']:015d}-{saved['counter']:05d}-{session.store.device_id}"
    # A transaction that fails leaves the saved clock where it was.
    with pytest.raises(RuntimeError), session.store.unit_of_work("a") as uow:
        uow.update(ChecklistItem, items[0].id, {"notes": "rolled back"})
        raise RuntimeError("user cancelled")
    assert json.loads(session.store.meta("clock") or "{}") == saved
    # A new store object (the next session) continues the sequence and the clock; nothing is reused.
    key, path = bytes(session.data_key), session.store.path
    session.store.close()
    reopened = Store.open(path, key)
    try:
        with reopened.unit_of_work("a") as uow:
            uow.update(ChecklistItem, items[0].id, {"notes": "after reopen"})
        after = outbox.pending(reopened.connection())
        assert [m.device_seq for m in after] == [1, 2, 3, 4, 5, 6]
        assert after[-1].hlc > last.hlc
    finally:
        reopened.close()


def test_every_connection_commits_durably(session: Session) -> None:
    # synchronous=FULL (2) on reader and writer alike: a commit reported to the user survives a power cut.
    assert session.store.query("PRAGMA synchronous") == [(2,)]
    with session.store.unit_of_work("a") as uow:
        assert uow.connection.execute("PRAGMA synchronous").fetchone() == (2,)
        assert uow.connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
