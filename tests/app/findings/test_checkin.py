"""Opening and closing meeting check-ins, stored as vault documents, carried into the trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.errors import ValidationFailed
from app.evidence import EvidenceService, Vault
from app.findings.checkin import NotATeamPhoto, NoTeamPresent, OutsideAuditDates, list_checkins, record_checkin
from app.signing.trail import export_trail
from app.verify.package import verify_package
from tests.app.evidence.helpers import jpeg_bytes, photo_exif
from tests.factories import make_audit

ATTENDANCE = [{"name": "王审核", "side": "team", "title": "审核组长", "user_id": "u-lead"},
              {"name": "陈经理", "side": "auditee", "title": "质量经理"}]


def test_checkins_are_recorded_and_exported(session: Any, tmp_path: Path) -> None:
    store = session.store
    audit = make_audit(start_date="2026-12-01", end_date="2026-12-03")
    with store.unit_of_work("u-lead") as uow:
        uow.create(audit)
    service = EvidenceService.for_session(session)
    photo = service.import_bytes(audit.id, jpeg_bytes(exif=photo_exif()), "team.jpg", caption="审核组在现场")
    opening, stored = record_checkin(service, store, "u-lead", {
        "audit_id": audit.id, "meeting": "opening", "held_at": "2026-12-01T08:30:00+08:00",
        "site": "总部", "address": "福州市鼓楼区", "attendees": ATTENDANCE, "photo_evidence_ids": [photo.id]})
    assert opening.gps is not None and opening.gps_source == "photo"  # taken from the team photo
    assert stored.gps == opening.gps and stored.captured_at == opening.held_at and "首次会议" in stored.caption
    record_checkin(service, store, "u-lead", {
        "audit_id": audit.id, "meeting": "closing", "held_at": "2026-12-03T16:00:00+08:00",
        "gps": {"latitude": 26.08, "longitude": 119.3}, "gps_source": "device", "attendees": ATTENDANCE})
    with pytest.raises(OutsideAuditDates):
        record_checkin(service, store, "u-lead", {"audit_id": audit.id, "meeting": "closing",
                                                  "held_at": "2026-12-09T16:00:00+08:00", "attendees": ATTENDANCE})
    with pytest.raises(NoTeamPresent):
        record_checkin(service, store, "u-lead", {"audit_id": audit.id, "meeting": "opening",
                                                  "held_at": "2026-12-01T08:30:00+08:00",
                                                  "attendees": ATTENDANCE[1:]})
    with pytest.raises(NotATeamPhoto):
        record_checkin(service, store, "u-lead", {"audit_id": audit.id, "meeting": "opening",
                                                  "held_at": "2026-12-01T08:30:00+08:00",
                                                  "attendees": ATTENDANCE, "photo_evidence_ids": ["nope"]})
    with pytest.raises(ValidationFailed):
        record_checkin(service, store, "u-lead", {"audit_id": audit.id, "meeting": "opening",
                                                  "held_at": "2026-12-01T08:30:00", "attendees": ATTENDANCE})
    vault = Vault(session.paths.vault, session.data_key)
    meetings = list_checkins(store, vault, audit.id)
    assert [m.meeting for m in meetings] == ["opening", "closing"]
    assert meetings[0].attendees[1].name == "陈经理" and meetings[0].photo_evidence_ids == [photo.id]
    out = tmp_path / "trail.zip"
    manifest = export_trail(store, session.data_key, actor="u-lead", audit_id=audit.id, out=out, vault=vault)
    assert sum(1 for name in manifest["parts"] if name.startswith("checkins/")) == 2
    assert verify_package(out).ok
    assert verify_package(out).journal_entries >= 5
