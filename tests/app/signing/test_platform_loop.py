"""The full loop across devices and the real platform: raise, sign off, countersign, correct, verify, close.

Runs the platform's own permission rules: the organisation's answer travels from the lead's laptop
with the representative's sign-off, its plan and evidence from its own account.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain import FindingState, SignatureMethod
from app.findings import service
from app.services.verification import verify_profile
from app.signing.signoff import sign_off
from app.signing.trail import export_trail
from app.verify.package import package_bytes, verify_package
from sync.countersign import countersign_pending
from tests.app.signing.helpers import REP, drawn_signature
from tests.central.conftest import client, clock, db_url, pg_admin_url, settings, world  # noqa: F401
from tests.central.helpers import World
from tests.factories import make_finding
from tests.sync.conftest import devices  # noqa: F401

PLAN = {"root_cause": "量具管理台账未包含新购量具", "correction": "已送检", "corrective_action": "修订台账管理规定",
        "action_owner": "质量部", "action_due": "2027-01-20"}


def answer_on_laptop(device: Any, finding_id: str, action: str, comment: str) -> None:
    service.move(device.store, "representative", "auditee", finding_id, action, {"auditee_comment": comment})


@pytest.mark.parametrize("grade", ["minor_nc", "major_nc"])
def test_full_loop_across_devices(devices: Callable[..., Any], world: World, tmp_path: Path,  # noqa: F811
                                  grade: str) -> None:
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
    # The round countersigned the synced sign-off and sent the countersignature at once.
    assert len(report.countersign["countersigned"]) == 1 and not report.countersign["waiting"]
    assert report.pending_after == 0 and any("平台会签" in line for line in report.lines())
    assert countersign_pending(lead.engine).countersigned == []
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
