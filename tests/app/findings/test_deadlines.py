"""Deadlines per grade (CB-configurable, 17021-1 defaults) and overdue flags."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain import FindingState
from app.findings import service
from app.findings.deadlines import (
    DeadlinePolicy,
    GradeDeadline,
    add_months,
    audit_deadlines,
    deadline_status,
    load_policy,
    parse_policy,
    save_policy,
)
from app.findings.errors import PolicyInvalid
from tests.factories import make_audit, make_finding

PLAN = {"root_cause": "r", "correction": "c", "corrective_action": "a", "action_owner": "o",
        "action_due": "2027-01-20"}


def test_defaults_follow_17021() -> None:
    audit = make_audit(end_date="2026-12-03")
    major = make_finding(audit.id, grade="major_nc")
    status = deadline_status(major, audit, DeadlinePolicy(), date(2026, 12, 4))
    assert status.plan_due == date(2027, 1, 2)  # 30 days after the last day of the audit
    assert status.verify_due == date(2027, 6, 3)  # six months after the last day of stage 2
    assert not status.overdue
    minor = make_finding(audit.id, grade="minor_nc")
    assert deadline_status(minor, audit, DeadlinePolicy(), date(2027, 1, 3)).flags == ["plan_overdue"]
    assert deadline_status(minor, audit, DeadlinePolicy(), date(2027, 1, 3)).verify_due is None
    observation = make_finding(audit.id, grade="observation")
    assert not deadline_status(observation, audit, DeadlinePolicy(), date(2030, 1, 1)).overdue


def test_month_arithmetic_clamps() -> None:
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_overdue_flags_follow_the_state(session: Any) -> None:
    store = session.store
    audit = make_audit(end_date="2026-12-03")
    with store.unit_of_work("u-lead") as uow:
        uow.create(audit)
    major = service.raise_finding(store, "u-lead", "lead", make_finding(audit.id, grade="major_nc"))
    late = date(2027, 7, 1)
    assert audit_deadlines(store, audit.id, late)[0].flags == ["plan_overdue", "verify_overdue"]
    service.move(store, "rep", "auditee", major.id, "acknowledge")
    service.move(store, "rep", "auditee", major.id, "submit_action", PLAN)
    assert audit_deadlines(store, audit.id, late)[0].flags == ["verify_overdue"]
    service.move(store, "u-lead", "lead", major.id, "accept_action")
    flags = audit_deadlines(store, audit.id, date(2027, 1, 21))[0].flags
    assert flags == ["action_overdue"]  # the organisation's own due date passed without implementation
    service.move(store, "rep", "auditee", major.id, "submit_implementation", {"auditee_comment": "done"})
    service.move(store, "u-lead", "lead", major.id, "verify", {"verification_note": "ok"})
    assert store.findings.get(major.id).state is FindingState.VERIFIED
    assert not audit_deadlines(store, audit.id, late)[0].overdue


def test_certification_body_sets_its_own_deadlines(session: Any) -> None:
    store = session.store
    assert load_policy(store) == DeadlinePolicy()
    policy = DeadlinePolicy(major_nc=GradeDeadline(plan_days=15, verify_days=60, verify_months=6),
                            minor_nc=GradeDeadline(plan_days=20, verify_days=90))
    save_policy(store, "admin", policy)
    assert load_policy(store) == policy
    audit = make_audit(end_date="2026-12-03")
    status = deadline_status(make_finding(audit.id, grade="major_nc"), audit, load_policy(store), date(2027, 1, 1))
    assert status.plan_due == date(2026, 12, 18) and status.verify_due == date(2027, 2, 1)  # the earlier limit
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy({"major_nc": {"plan_days": 0}})
    assert "major_nc" in str(caught.value) or "0" in str(caught.value)
