"""The finding lifecycle through the real store: every step, every refusal, the journal as history."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain import Finding, FindingState
from app.findings import service
from app.findings.errors import (
    BadDueDate,
    ContentLocked,
    FieldNotOwned,
    FieldRequired,
    NotOnTeam,
    StateFieldProtected,
    TransitionNotAllowed,
    UnknownAction,
    WrongRole,
)
from app.findings.history import history
from app.findings.lifecycle import Action, Role, available_actions
from app.i18n import set_language
from app.services.verification import verify_profile
from tests.factories import make_audit, make_finding

PLAN = {"root_cause": "校准计划未覆盖新购量具", "correction": "两台卡尺已送检",
        "corrective_action": "修订计量器具管理程序，入库即登记", "action_owner": "质量部 李工",
        "action_due": "2027-01-15"}


@pytest.fixture
def audit_id(session: Any) -> str:
    audit = make_audit(team=[{"user_id": "u-lead", "name": "王审核", "role": "lead"},
                             {"user_id": "u-aud", "name": "张审核", "role": "auditor"},
                             {"user_id": "u-obs", "name": "赵观察", "role": "observer"}])
    with session.store.unit_of_work("u-lead") as uow:
        uow.create(audit)
    return audit.id


def full_loop(store: Any, finding_id: str) -> Finding:
    service.move(store, "rep", Role.AUDITEE, finding_id, Action.ACKNOWLEDGE, {"auditee_comment": "认可"})
    service.move(store, "rep", Role.AUDITEE, finding_id, Action.SUBMIT_ACTION, PLAN)
    service.move(store, "u-aud", Role.AUDITOR, finding_id, Action.ACCEPT_ACTION)
    service.move(store, "rep", Role.AUDITEE, finding_id, "submit_implementation",
                 {"auditee_comment": "程序已发布，培训记录见附件"})
    service.move(store, "u-aud", "auditor", finding_id, "verify", {"verification_note": "抽查3台量具均在有效期内"})
    return service.move(store, "u-lead", "lead", finding_id, "close")


@pytest.mark.parametrize("grade", ["minor_nc", "major_nc"])
def test_full_loop_single_device(session: Any, audit_id: str, grade: str) -> None:
    store = session.store
    finding = service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id, grade=grade))
    assert finding.state is FindingState.RAISED and finding.raised_by == "u-aud"
    closed = full_loop(store, finding.id)
    assert closed.state is FindingState.CLOSED and closed.root_cause == PLAN["root_cause"]
    steps = [(e.from_state, e.to_state, e.actor) for e in history(store, finding.id)]
    assert steps == [(None, "raised", "u-aud"), ("raised", "acknowledged", "rep"),
                     ("acknowledged", "action_submitted", "rep"), ("action_submitted", "action_accepted", "u-aud"),
                     ("action_accepted", "implementation_submitted", "rep"),
                     ("implementation_submitted", "verified", "u-aud"), ("verified", "closed", "u-lead")]
    # Reopen with a reason, then the whole loop again.
    service.move(store, "u-lead", "lead", finding.id, "reopen", {"verification_note": "复查发现仍有过期量具"})
    assert history(store, finding.id)[-1].notes == {"verification_note": "复查发现仍有过期量具"}
    assert full_loop(store, finding.id).state is FindingState.CLOSED
    assert all(result.ok for result in verify_profile(session))
    assert store.pending_mutations() > 10  # every step is an outbox mutation: it syncs


def test_roles_and_order_are_enforced(session: Any, audit_id: str) -> None:
    store = session.store
    finding = service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id))
    with pytest.raises(WrongRole):
        service.move(store, "u-aud", "auditor", finding.id, "acknowledge")
    with pytest.raises(TransitionNotAllowed):
        service.move(store, "u-aud", "auditor", finding.id, "verify", {"verification_note": "x"})
    with pytest.raises(FieldRequired):
        service.move(store, "rep", "auditee", finding.id, "dispute")
    service.move(store, "rep", "auditee", finding.id, "dispute", {"auditee_comment": "该卡尺已停用"})
    with pytest.raises(FieldRequired):
        service.move(store, "rep", "auditee", finding.id, "submit_action", {**PLAN, "root_cause": " "})
    with pytest.raises(BadDueDate):
        service.move(store, "rep", "auditee", finding.id, "submit_action", {**PLAN, "action_due": "next week"})
    with pytest.raises(FieldNotOwned):
        service.move(store, "rep", "auditee", finding.id, "submit_action", {**PLAN, "verification_note": "x"})
    with pytest.raises(NotOnTeam):
        service.move(store, "u-obs", "auditor", finding.id, "reopen", {"verification_note": "x"})
    with pytest.raises(NotOnTeam):
        service.move(store, "u-aud", "lead", finding.id, "reopen", {"verification_note": "x"})
    with pytest.raises(UnknownAction):
        service.move(store, "u-lead", "lead", finding.id, "approve")
    # Nothing refused left a trace.
    assert store.findings.get(finding.id).state is FindingState.DISPUTED
    assert len(history(store, finding.id)) == 2


def test_field_ownership(session: Any, audit_id: str) -> None:
    store = session.store
    finding = service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id))
    with pytest.raises(FieldNotOwned):
        service.edit(store, "u-aud", "auditor", finding.id, {"root_cause": "审核员代写"})
    with pytest.raises(FieldNotOwned):
        service.edit(store, "rep", "auditee", finding.id, {"statement": "改写"})
    with pytest.raises(StateFieldProtected):
        service.edit(store, "u-lead", "lead", finding.id, {"state": "closed"})
    with pytest.raises(FieldNotOwned):
        service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id, root_cause="x"))
    service.edit(store, "u-aud", "auditor", finding.id, {"statement": "三台游标卡尺超过校准有效期。"})
    service.move(store, "rep", "auditee", finding.id, "acknowledge")
    with pytest.raises(ContentLocked):
        service.edit(store, "u-aud", "auditor", finding.id, {"statement": "再改"})
    service.edit(store, "rep", "auditee", finding.id, {"action_owner": "李工"})
    assert store.findings.get(finding.id).action_owner == "李工"


def test_observation_closes_without_action(session: Any, audit_id: str) -> None:
    store = session.store
    finding = service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id, grade="observation"))
    assert available_actions(FindingState.RAISED, finding.grade, Role.AUDITEE) == [Action.ACKNOWLEDGE,
                                                                                   Action.DISPUTE]
    service.move(store, "rep", "auditee", finding.id, "acknowledge")
    assert Action.SUBMIT_ACTION not in available_actions(FindingState.ACKNOWLEDGED, finding.grade, Role.AUDITEE)
    with pytest.raises(TransitionNotAllowed):
        service.move(store, "rep", "auditee", finding.id, "submit_action", PLAN)
    assert service.move(store, "u-lead", "lead", finding.id, "close").state is FindingState.CLOSED


def test_messages_are_translated(session: Any, audit_id: str) -> None:
    store = session.store
    finding = service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id))
    with pytest.raises(WrongRole) as caught:
        service.move(store, "u-aud", "auditor", finding.id, "acknowledge")
    assert "受审核方代表" in str(caught.value)
    set_language("en")
    assert str(caught.value) == "Only the audited organisation's representative may “acknowledge” a finding."


def test_reasons_are_never_inherited(session: Any, audit_id: str) -> None:
    store = session.store
    finding = service.raise_finding(store, "u-aud", "auditor", make_finding(audit_id))
    service.move(store, "rep", "auditee", finding.id, "dispute", {"auditee_comment": "有异议"})
    service.move(store, "u-lead", "lead", finding.id, "reopen", {"verification_note": "补充证据后重新开具"})
    # The earlier comment does not count as the reason for a new dispute, nor the old note for a new reopen.
    with pytest.raises(FieldRequired):
        service.move(store, "rep", "auditee", finding.id, "dispute")
    service.move(store, "rep", "auditee", finding.id, "acknowledge")
    with pytest.raises(FieldRequired):
        service.move(store, "u-lead", "lead", finding.id, "reopen")
    # A resubmitted plan may keep the fields it does not change.
    service.move(store, "rep", "auditee", finding.id, "submit_action", PLAN)
    service.move(store, "u-aud", "auditor", finding.id, "return_action", {"verification_note": "根本原因分析不充分"})
    again = service.move(store, "rep", "auditee", finding.id, "submit_action", {"root_cause": "采购未告知计量室"})
    assert again.state is FindingState.ACTION_SUBMITTED and again.corrective_action == PLAN["corrective_action"]
