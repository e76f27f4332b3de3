"""The full loop across devices and the real platform: raise, sign off, countersign, correct, verify, close.

The platform's permission rule still refuses two steps of the loop (see ``test_current_platform_refuses``);
``proposed_rules`` applies the change asked of the platform's owner in the issue-8 report, so the
rest of the loop is proven end to end now.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.domain import FindingState, SignatureMethod
from app.findings import service
from app.services.verification import verify_profile
from app.signing.signoff import sign_off
from app.signing.trail import export_trail
from app.verify.package import package_bytes, verify_package
from central.api.app import create_app
from central.api.routers import countersign as countersign_router
from central.config import Settings
from central.services import permissions, push
from central.services.outcome import Refused
from sync.countersign import countersign_pending
from sync.protocol import Mutation
from sync.protocol.records import CORRECTIVE_ACTION_FIELDS
from tests.app.signing.helpers import REP, drawn_signature
from tests.central.conftest import clock, db_url, pg_admin_url, settings, world  # noqa: F401
from tests.central.helpers import World
from tests.factories import make_finding
from tests.sync.conftest import devices  # noqa: F401

AUDITEE_STATES = frozenset({"acknowledged", "disputed", "action_submitted", "implementation_submitted"})
PLAN = {"root_cause": "量具管理台账未包含新购量具", "correction": "已送检", "corrective_action": "修订台账管理规定",
        "action_owner": "质量部", "action_due": "2027-01-20"}


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:  # noqa: F811
    app = create_app(settings)
    app.include_router(countersign_router.router)  # the one line proposed for central/api/app.py
    with TestClient(app) as test_client:
        yield test_client
    app.state.platform.db.dispose()


def proposed_rules(role: str, m: Mutation) -> None:
    """The permission change proposed for central/services/permissions.py (see the report)."""
    if m.entity == "finding" and m.op == "patch":
        fields, state = set(m.fields), m.fields.get("state")
        if role == "auditee" and fields <= CORRECTIVE_ACTION_FIELDS | {"state"} and (
                state is None or state in AUDITEE_STATES):
            return
        # The representative answers on the auditor's laptop in sign-off mode (bound by a drawn signature).
        if role in ("lead", "auditor") and fields <= {"auditee_comment", "state"} and state in (
                "acknowledged", "disputed"):
            return
    permissions.authorise(role, m)


def answer_on_laptop(device: Any, finding_id: str, action: str, comment: str) -> None:
    service.move(device.store, "representative", "auditee", finding_id, action, {"auditee_comment": comment})


@pytest.mark.parametrize("grade", ["minor_nc", "major_nc"])
def test_full_loop_across_devices(devices: Callable[..., Any], world: World, tmp_path: Path,  # noqa: F811
                                  monkeypatch: pytest.MonkeyPatch, grade: str) -> None:
    monkeypatch.setattr(push, "authorise", proposed_rules)
    alice, lead, rep = devices("alice"), devices("lead"), devices("rep")
    for device in (alice, lead, rep):
        device.sync()
    # An auditor raises the finding offline; the lead auditor's laptop receives it.
    finding = service.raise_finding(alice.store, alice.engine.actor, "auditor",
                                    make_finding(world.audit_a, grade=grade))
    alice.sync()
    lead.sync()
    # Closing meeting on the lead's laptop: the representative answers and signs, the lead's key signs.
    answer_on_laptop(lead, finding.id, "acknowledge", "认可该不符合")
    sign_off(lead.store, lead.session.data_key, actor=lead.engine.actor, role="lead", audit_id=world.audit_a,
             representative=REP, strokes=drawn_signature(), suite="national")
    report = lead.sync()
    assert report.rejected == 0, lead.store.query("SELECT error_code, message FROM rejected_mutations")
    stamped = countersign_pending(lead.engine)
    assert len(stamped.countersigned) == 1 and not stamped.waiting
    lead.sync()
    # The organisation submits its plan with its own account; the auditor accepts it, and so on.
    rep.sync()
    service.move(rep.store, rep.engine.actor, "auditee", finding.id, "submit_action", PLAN)
    rep.sync()
    alice.sync()
    service.move(alice.store, alice.engine.actor, "auditor", finding.id, "accept_action")
    alice.sync()
    rep.sync()
    service.move(rep.store, rep.engine.actor, "auditee", finding.id, "submit_implementation",
                 {"auditee_comment": "修订后的规定已发布并培训"})
    rep.sync()
    alice.sync()
    service.move(alice.store, alice.engine.actor, "auditor", finding.id, "verify", {"verification_note": "有效"})
    alice.sync()
    lead.sync()
    service.move(lead.store, lead.engine.actor, "lead", finding.id, "close")
    for _round in range(2):
        for device in (lead, alice, rep):
            assert device.sync().rejected == 0
    for device in (alice, lead, rep):
        assert device.store.findings.get(finding.id).state is FindingState.CLOSED
        assert device.store.findings.get(finding.id).root_cause == PLAN["root_cause"]
        methods = {s.method for s in device.store.signatures.list(world.audit_a)}
        assert methods == {SignatureMethod.HANDWRITTEN, SignatureMethod.DEVICE_KEY,
                           SignatureMethod.PLATFORM_COUNTERSIGN}
        assert all(result.ok for result in verify_profile(device.session)), verify_profile(device.session)
    # The lead's trail checks out with the standalone verifier; a tampered copy does not.
    out = tmp_path / "trail.zip"
    export_trail(lead.store, lead.session.data_key, actor=lead.engine.actor, audit_id=world.audit_a, out=out,
                 suite="national")
    outcome = verify_package(out)
    assert outcome.ok and outcome.countersigned == 1 and not outcome.problems, outcome.problems
    with zipfile.ZipFile(out) as archive:
        members = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    tampered = [(n, d.replace("认可该不符合".encode(), "不认可该项！".encode())) for n, d in members]
    (tmp_path / "tampered.zip").write_bytes(package_bytes(tampered))
    assert {p.code for p in verify_package(tmp_path / "tampered.zip").problems} == {"part_changed"}


def test_unsynced_signature_is_not_countersigned(devices: Callable[..., Any], world: World) -> None:  # noqa: F811
    lead = devices("lead")
    lead.sync()
    finding = service.raise_finding(lead.store, lead.engine.actor, "lead", make_finding(world.audit_a))
    answer_on_laptop(lead, finding.id, "acknowledge", "")
    sign_off(lead.store, lead.session.data_key, actor=lead.engine.actor, role="lead", audit_id=world.audit_a,
             representative=REP, strokes=drawn_signature(), suite="international")
    # Not pushed yet: the platform refuses to countersign what it does not hold, and nothing is stored.
    waiting = countersign_pending(lead.engine)
    assert waiting.countersigned == [] and len(waiting.waiting) == 1
    assert all(s.method is not SignatureMethod.PLATFORM_COUNTERSIGN for s in lead.store.signatures.list())


def test_current_platform_refuses() -> None:
    """What the platform's owner must change: these two legitimate steps are refused today."""
    lead_answer = Mutation(mutation_id="m1", device_id="d", device_seq=1, audit_id="a", entity="finding",
                           entity_id="f", op="patch", base_rev=1,
                           fields={"auditee_comment": "认可", "state": "acknowledged"},
                           hlc="000000000000001-00000-d", schema_version=1)
    rep_plan = lead_answer.model_copy(update={"fields": {**PLAN, "state": "action_submitted"}})
    for role, mutation in (("lead", lead_answer), ("auditee", rep_plan)):
        with pytest.raises(Refused):
            permissions.authorise(role, mutation)
        proposed_rules(role, mutation)
    # The proposal keeps every other refusal: an auditor still cannot write the organisation's plan.
    with pytest.raises(Refused):
        proposed_rules("auditor", rep_plan)
    with pytest.raises(Refused):
        proposed_rules("auditee", lead_answer.model_copy(update={"fields": {"state": "closed"}}))
