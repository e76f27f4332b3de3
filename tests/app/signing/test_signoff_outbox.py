"""A sign-off queues the signed findings' unsent changes behind its signatures (the platform needs them first)."""

from __future__ import annotations

from typing import Any

from app.domain import Finding
from app.signing.signoff import sign_off
from app.store import outbox
from tests.app.signing.helpers import REP, audit_with_findings, drawn_signature
from tests.factories import make_finding


def _queue(store: Any) -> list[tuple[str, str, str]]:
    return [(m.entity, m.entity_id, m.op) for m in outbox.pending(store.connection())]


def test_answers_travel_after_their_signatures(session: Any) -> None:
    store = session.store
    audit_id, finding_ids = audit_with_findings(store)
    other = make_finding(audit_id, statement="未签署的另一项")
    with store.unit_of_work("u-lead") as uow:
        uow.create(other)
    before = _queue(store)
    hand, key = sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id,
                         representative=REP, strokes=drawn_signature(), suite="international",
                         finding_ids=finding_ids)
    after = _queue(store)
    signed = [entry for entry in before if entry[1] in finding_ids]
    # The audit and the unsigned finding keep their place, then the two signatures, then the signed
    # findings' changes in their original order.
    assert after == ([entry for entry in before if entry[1] not in finding_ids]
                     + [("signature", hand.id, "sign"), ("signature", key.id, "sign")] + signed)
    # Later changes still queue at the end (the counter continues past the moved entries).
    with store.unit_of_work("u-lead") as uow:
        uow.update(Finding, other.id, {"statement": "改写"})
    assert _queue(store)[-1] == ("finding", other.id, "patch")
    assert len({m.seq for m in outbox.pending(store.connection())}) == len(after) + 1
