"""The service: what it gathers from the store and vault, and the journal record of every output."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage

from app.cli.documents import parse_complexity, parse_contacts
from app.domain.audit import Standard
from app.errors import StoreError, ValidationFailed
from app.planning.md5_tables import Complexity
from app.reporting.output import OutputNotWritable, WriteResult
from app.services import documents
from app.store.replica import ServerRecord, apply_server_record
from tests.app.documents.conftest import Demo, photo
from tests.factories import make_audit


def test_report_record_keeps_the_inputs_and_the_chain(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    produced = documents.produce_report(demo.session, demo.audit.id, fmt="pdf", out=out,
                                        conclusions=demo.conclusions)
    [record] = documents.produced_documents(demo.session.store, demo.audit.id)
    assert record["id"] == produced.record_id and record["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert record["inputs"]["conclusions"]["recommendation"] == "recommend_after_actions"
    assert record["kind"] == "report" and record["format"] == "pdf" and record["language"] == "zh_CN"
    assert produced.summary()["sha256"] == record["sha256"] and produced.summary()["path"] == str(out)
    # Journal-only: no record row, nothing queued for the platform.
    assert demo.session.store.query("SELECT count(*) FROM records WHERE entity = 'document'") == [(0,)]
    outbox = demo.session.store.query("SELECT count(*) FROM outbox WHERE entity = 'document'")
    assert outbox == [(0,)]
    entry = demo.session.store.query("SELECT origin, op, before FROM journal WHERE entity = 'document'")
    assert entry == [("local", "produce", None)]
    assert documents.recorded_conclusions(demo.session.store, demo.audit.id) == demo.conclusions
    documents.produce_report(demo.session, demo.audit.id, fmt="pdf", out=out, draft=True)
    assert documents.recorded_conclusions(demo.session.store, demo.audit.id) == demo.conclusions


def test_unwritable_output_records_nothing(demo: Demo, tmp_path: Path) -> None:
    with pytest.raises(OutputNotWritable):
        documents.produce_report(demo.session, demo.audit.id, fmt="ofd", out=tmp_path / "no" / "such" / "r.ofd",
                                 conclusions=demo.conclusions)
    assert documents.produced_documents(demo.session.store, demo.audit.id) == []


def test_only_open_conflicts_of_the_audit_count(demo: Demo) -> None:
    base = {"audit_id": demo.audit.id, "entity": "finding", "entity_id": demo.findings[0].id, "fields": ["grade"]}
    with demo.session.store.unit_of_work("sync", origin="remote") as uow:
        apply_server_record(uow, ServerRecord("conflict", "c-open", demo.audit.id, 1,
                                              {**base, "id": "c-open", "status": "open"}, False))
        apply_server_record(uow, ServerRecord("conflict", "c-done", demo.audit.id, 1,
                                              {**base, "id": "c-done", "status": "resolved"}, False))
        apply_server_record(uow, ServerRecord("conflict", "c-other", "another-audit", 1,
                                              {**base, "id": "c-other", "status": "open"}, False))
    assert [c["id"] for c in documents.open_conflicts(demo.session.store, demo.audit.id)] == ["c-open"]


def test_thumbnails_of_cited_evidence_only(demo: Demo) -> None:
    data = documents.report_data(demo.session, demo.audit.id, demo.conclusions)
    cited = {item.id for item in data.evidence_of(demo.findings[0])}
    sensitive = {item.id for item in data.evidence if item.sensitive}
    assert set(data.thumbnails) == cited - sensitive and len(data.thumbnails) == 2
    for picture in data.thumbnails.values():
        with PILImage.open(io.BytesIO(picture)) as opened:
            assert max(opened.size) <= 640


def test_a_missing_cached_thumbnail_is_made_from_the_photo(demo: Demo) -> None:
    from app.evidence import EvidenceService

    service = EvidenceService.for_session(demo.session)
    item = service.import_bytes(demo.audit.id, photo((0, 160, 0), (1600, 1200)), "big.jpg",
                                finding_id=demo.findings[1].id, caption="大图")
    service.vault.thumb_path(item.sha256).unlink()
    data = documents.report_data(demo.session, demo.audit.id, demo.conclusions)
    with PILImage.open(io.BytesIO(data.thumbnails[item.id])) as opened:
        assert opened.size == (480, 360)


def test_cli_option_parsers() -> None:
    audit = make_audit(standards=["ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"])
    assert parse_complexity(["medium", "ISO 45001:2018=high"], audit) == {
        Standard.ISO9001: Complexity.MEDIUM, Standard.ISO14001: Complexity.MEDIUM, Standard.ISO45001: Complexity.HIGH}
    with pytest.raises(ValidationFailed, match="未知的复杂程度类别 huge"):
        parse_complexity(["huge"], audit)
    with pytest.raises(ValidationFailed, match="不是本次审核的标准"):
        parse_complexity(["ISO 27001:2022=low"], audit)
    assert parse_contacts(["工厂=李主任", "工厂/仓储 = 王班长"]) == {"工厂": "李主任", "工厂/仓储": "王班长"}
    with pytest.raises(ValidationFailed, match="场所=姓名"):
        parse_contacts(["李主任"])


def test_summary_is_json(demo: Demo, tmp_path: Path) -> None:
    produced = documents.produce_plan(demo.session, demo.audit.id, fmt="pdf", out=tmp_path / "p.pdf", days=5.5,
                                      contacts={"川沙生产基地": "刘主任"})
    summary = json.loads(json.dumps(produced.summary()))
    assert summary["kind"] == "plan" and summary["draft"] is False
    [record] = documents.produced_documents(demo.session.store, demo.audit.id)
    assert record["inputs"] == {"audit_days": 5.5, "cb_name": ""}
    assert documents.recorded_conclusions(demo.session.store, demo.audit.id) is None


def test_output_whose_record_fails_is_removed(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"pdf")
    demo.session.store.close()  # the profile was locked between writing and recording
    with pytest.raises(StoreError):
        documents.record_output(demo.session.store, "local", demo.audit.id, "report",
                                WriteResult("pdf", "0" * 64, 3, out), language="en")
    assert not out.exists()
