"""Who may move a finding: the organisation's own steps, and its answer carried by a signed sign-off.

The laptop is a real encrypted profile syncing with the real platform (``tests/sync/conftest.py``);
forged or replayed changes are sent as raw mutations by another logged-in device.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from app.domain import Finding
from app.findings import service
from app.signing.signoff import sign_off
from central.db.tables import mutations
from tests.app.signing.helpers import REP, drawn_signature
from tests.central.helpers import World
from tests.factories import make_finding
from tests.sync.conftest import devices  # noqa: F401

PLAN = {"root_cause": "台账未覆盖新购量具", "correction": "已送检", "corrective_action": "修订台账管理规定",
        "action_owner": "质量部", "action_due": "2027-01-20"}


def _rejections(device: Any) -> list[tuple[str, str]]:
    return [(str(row[0]), str(row[1])) for row in device.store.query(
        "SELECT entity_id, error_code FROM rejected_mutations ORDER BY rejected_at")]


def _raised_on(laptop: Any, audit_id: str, grade: str = "minor_nc") -> str:
    finding = service.raise_finding(laptop.store, laptop.engine.actor, "lead", make_finding(audit_id, grade=grade))
    return finding.id


def _answer(laptop: Any, finding_id: str, action: str, comment: str) -> None:
    service.move(laptop.store, "representative", "auditee", finding_id, action, {"auditee_comment": comment})


def _platform_finding(world: World, finding_id: str) -> dict[str, Any]:
    changes, _cursor = world.device("lead").pull_all(world.audit_a)
    found = [c for c in changes if c["entity"] == "finding" and c["entity_id"] == finding_id]
    return dict(found[-1]["data"])


@pytest.mark.parametrize("suite", ["international", "national"])
def test_signed_off_answers_sync_from_the_laptop(devices: Callable[..., Any], world: World,  # noqa: F811
                                                 suite: str) -> None:
    laptop = devices("lead")
    laptop.sync()
    accepted, disputed = _raised_on(laptop, world.audit_a), _raised_on(laptop, world.audit_a, "major_nc")
    _answer(laptop, accepted, "acknowledge", "认可")
    _answer(laptop, disputed, "dispute", "该设备已停用，不应判定为不符合")
    sign_off(laptop.store, laptop.session.data_key, actor=laptop.engine.actor, role="lead", audit_id=world.audit_a,
             representative=REP, strokes=drawn_signature(), suite=suite)
    report = laptop.sync()
    assert report.rejected == 0, _rejections(laptop)
    assert _platform_finding(world, accepted)["state"] == "acknowledged"
    assert _platform_finding(world, disputed)["auditee_comment"] == "该设备已停用，不应判定为不符合"
    # The platform's log names who pushed the organisation's answer: the lead's user and this laptop.
    with world.client.app.state.platform.db.read() as conn:  # type: ignore[attr-defined]
        pushed = conn.execute(sa.select(mutations.c.user_id, mutations.c.device_id).where(
            mutations.c.audit_id == world.audit_a, mutations.c.device_id == laptop.store.device_id)).all()
    assert {(row.user_id, row.device_id) for row in pushed} == {(world.users["lead"], laptop.store.device_id)}


def test_unsigned_or_altered_answers_are_refused(devices: Callable[..., Any], world: World) -> None:  # noqa: F811
    laptop = devices("lead")
    laptop.sync()
    signed, unsigned = _raised_on(laptop, world.audit_a), _raised_on(laptop, world.audit_a)
    _answer(laptop, signed, "acknowledge", "认可")
    _answer(laptop, unsigned, "acknowledge", "认可")
    sign_off(laptop.store, laptop.session.data_key, actor=laptop.engine.actor, role="lead", audit_id=world.audit_a,
             representative=REP, strokes=drawn_signature(), suite="international", finding_ids=[signed])
    # Someone changes the organisation's words on the laptop after it signed, bypassing the lifecycle.
    with laptop.store.unit_of_work(laptop.engine.actor) as uow:
        uow.update(Finding, signed, {"auditee_comment": "全部认可，无任何异议"})
    report = laptop.sync()
    assert report.rejected == 2
    assert sorted(_rejections(laptop)) == sorted([(signed, "signature_required"), (unsigned, "signature_required")])
    assert _platform_finding(world, signed)["auditee_comment"] == "认可"
    assert _platform_finding(world, unsigned)["state"] == "raised"


def test_sign_off_from_another_device_cannot_be_replayed(devices: Callable[..., Any], world: World) -> None:  # noqa: F811
    laptop = devices("lead")
    laptop.sync()
    finding_id = _raised_on(laptop, world.audit_a)
    laptop.sync()
    _answer(laptop, finding_id, "acknowledge", "认可")
    hand, key = sign_off(laptop.store, laptop.session.data_key, actor=laptop.engine.actor, role="lead",
                         audit_id=world.audit_a, representative=REP, strokes=drawn_signature(),
                         suite="international")
    other = world.device("lead")  # the same user on another computer, with the laptop's records copied
    rev = _platform_finding_rev(world, finding_id)
    results = other.push(
        other.mutation(world.audit_a, "finding", finding_id, "patch", rev,
                       {"state": "acknowledged", "auditee_comment": "认可"}),
        *(other.mutation(world.audit_a, "signature", s.id, "sign", 0, s.model_dump(mode="json")) for s in (hand, key)))
    assert results[0]["status"] == "rejected" and results[0]["error"]["code"] == "signature_required"
    assert _platform_finding(world, finding_id)["state"] == "raised"


def _platform_finding_rev(world: World, finding_id: str) -> int:
    changes, _cursor = world.device("lead").pull_all(world.audit_a)
    return int([c for c in changes if c["entity_id"] == finding_id][-1]["rev"])


def test_the_organisation_takes_only_its_own_steps(world: World) -> None:
    alice, rep = world.device("alice"), world.device("rep")
    finding_id, _data = alice.create_finding(world.audit_a)

    def rep_patch(rev: int, fields: dict[str, Any]) -> dict[str, Any]:
        return rep.push_one(rep.mutation(world.audit_a, "finding", finding_id, "patch", rev, fields))

    def team_patch(device: Any, rev: int, fields: dict[str, Any]) -> dict[str, Any]:
        return dict(device.push_one(device.mutation(world.audit_a, "finding", finding_id, "patch", rev, fields)))

    # Its own account needs no drawn signature: the login is the representative's.
    acknowledged = rep_patch(1, {"state": "acknowledged", "auditee_comment": "认可"})
    assert acknowledged["status"] == "applied" and acknowledged["record"]["state"] == "acknowledged"
    for fields in ({"state": "closed"}, {"state": "action_accepted", **PLAN}, {"state": "verified"}):
        refused = rep_patch(acknowledged["rev"], fields)
        assert refused["status"] == "rejected" and refused["error"]["code"] == "forbidden_transition", refused
    assert rep_patch(acknowledged["rev"], {"verification_note": "自己验证"})["error"]["code"] == "forbidden"
    submitted = rep_patch(acknowledged["rev"], {"state": "action_submitted", **PLAN})
    assert submitted["status"] == "applied" and submitted["record"]["corrective_action"] == PLAN["corrective_action"]

    # The team may not take the organisation's steps nor write its plan, but does its own.
    lead = world.device("lead")
    rev = submitted["rev"]
    assert team_patch(alice, rev, {"correction": "代写"})["error"]["code"] == "forbidden_field"
    returned = team_patch(alice, rev, {"state": "acknowledged", "verification_note": "根本原因分析不充分"})
    assert returned["status"] == "applied", returned  # return_action needs no signature
    assert team_patch(alice, returned["rev"], {"state": "action_submitted"})["error"]["code"] == \
        "forbidden_transition"
    again = rep_patch(returned["rev"], {"state": "action_submitted", "root_cause": "校准计划未覆盖新购量具"})
    accepted = team_patch(alice, again["rev"], {"state": "action_accepted", "verification_note": "计划可行"})
    assert accepted["status"] == "applied"
    assert team_patch(lead, accepted["rev"], {"state": "implementation_submitted"})["error"]["code"] == \
        "forbidden_transition"
    evidence = rep_patch(accepted["rev"], {"state": "implementation_submitted", "auditee_comment": "已培训"})
    assert evidence["status"] == "applied"
    verified = team_patch(alice, evidence["rev"], {"state": "verified", "verification_note": "有效"})
    closed = team_patch(lead, verified["rev"], {"state": "closed"})
    assert closed["status"] == "applied" and closed["record"]["state"] == "closed"
    for fields in ({"root_cause": "事后改写"}, {"state": "acknowledged", "auditee_comment": "撤回"}):
        late = rep_patch(closed["rev"], fields)
        assert late["status"] == "rejected" and late["error"]["code"] == "finding_final", late
    # Another organisation's representative reaches nothing of this audit.
    other = world.device("other_rep")
    assert other.push_raw(other.mutation(world.audit_a, "finding", finding_id, "patch", closed["rev"],
                                         {"auditee_comment": "x"})).status_code == 403
