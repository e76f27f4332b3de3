"""The lead auditor's conclusions as data on the audit: the write path, the wire model, the CLI, the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli.conclusions import parse_assignments
from app.domain.audit import AuditConclusion, Recommendation
from app.errors import ValidationFailed
from app.reporting.report_check import ReportIncomplete
from app.services import documents
from app.services.documents import NotLeadAuditor, save_conclusions
from app.services.session import create_profile
from sync.protocol.records import AuditConclusionRecord, AuditRecord
from tests.app.documents.conftest import CONCLUSIONS, populate
from tests.app.documents.test_documents_cli import Profile
from tests.app.reporting.test_signed_report import pages
from tests.conftest import FAST_COST, PASSPHRASE

LEAD, AUDITOR = "u-wangfang", "u-zhangwei"


def test_saved_through_the_write_path_and_merged(session: Any) -> None:
    demo = populate(session, "qms")
    store = session.store
    audit = save_conclusions(store, LEAD, demo.audit.id,
                             {"cb_name": "华信认证中心有限公司", "recommendation": "recommend"})
    assert audit.conclusions == AuditConclusion(cb_name="华信认证中心有限公司", recommendation=Recommendation.RECOMMEND)
    audit = save_conclusions(store, LEAD, demo.audit.id, {"conformity": "符合。", "recommendation": None})
    assert audit.conclusions is not None and audit.conclusions.cb_name == "华信认证中心有限公司"
    assert audit.conclusions.recommendation is None and store.audits.get(demo.audit.id) == audit
    # Each save is one synced patch of the audit, journaled like every change.
    outbox = store.query("SELECT op, fields FROM outbox WHERE entity = 'audit' ORDER BY device_seq")
    assert [op for op, _fields in outbox][-2:] == ["patch", "patch"]
    assert json.loads(outbox[-1][1])["conclusions"]["conformity"] == "符合。"
    journal = store.query("SELECT actor, op FROM journal WHERE entity = 'audit' ORDER BY seq")
    assert journal[-1] == (LEAD, "patch")
    replaced = save_conclusions(store, LEAD, demo.audit.id, AuditConclusion(scope_note="x"), replace=True)
    assert replaced.conclusions == AuditConclusion(scope_note="x")


def test_only_the_lead_writes_and_bad_values_name_the_field(session: Any) -> None:
    demo = populate(session, "qms")
    with pytest.raises(NotLeadAuditor, match=r"只有审核组长.*张伟 是本次审核的审核员"):
        save_conclusions(session.store, AUDITOR, demo.audit.id, {"conformity": "符合。"})
    with pytest.raises(ValidationFailed, match="推荐意见"):
        save_conclusions(session.store, LEAD, demo.audit.id, {"recommendation": "maybe"})
    with pytest.raises(ValidationFailed, match="认证机构"):
        save_conclusions(session.store, LEAD, demo.audit.id, {"cb_name": "x" * 201})
    assert session.store.audits.get(demo.audit.id).conclusions is None


def test_wire_model_mirrors_the_domain() -> None:
    assert set(AuditConclusionRecord.model_fields) == set(AuditConclusion.model_fields)
    given = AuditConclusion.model_validate({**CONCLUSIONS, "scope_note": "含设计"})
    wire = AuditRecord.model_fields["conclusions"]
    assert wire.default is None
    record = AuditConclusionRecord.model_validate(given.model_dump(mode="json"))
    assert record.model_dump(mode="json") == given.model_dump(mode="json")
    with pytest.raises(ValueError):
        AuditConclusionRecord.model_validate({"recommendation": "maybe"})


def test_report_reads_them_from_the_audit_and_lists_what_is_missing(session: Any, tmp_path: Path) -> None:
    demo = populate(session, "qms")
    with pytest.raises(ReportIncomplete) as refused:
        documents.produce_report(session, demo.audit.id, fmt="pdf", out=tmp_path / "r.pdf")
    assert "认证机构名称（认证机构）" in str(refused.value)  # the label; the CLI adds the KEY (test_documents_cli)
    save_conclusions(session.store, LEAD, demo.audit.id, CONCLUSIONS)
    produced = documents.produce_report(session, demo.audit.id, fmt="pdf", out=tmp_path / "r.pdf")
    assert "华信认证中心有限公司" in "".join(pages(tmp_path / "r.pdf"))
    assert documents.recorded_conclusions(session.store, demo.audit.id) == AuditConclusion.model_validate(CONCLUSIONS)
    assert produced.record_id


def test_the_plan_shows_the_certification_body(session: Any, tmp_path: Path) -> None:
    demo = populate(session, "qms")
    save_conclusions(session.store, LEAD, demo.audit.id, {"cb_name": "华信认证中心有限公司"})
    documents.produce_plan(session, demo.audit.id, fmt="pdf", out=tmp_path / "plan.pdf", days=5.5)
    first = pages(tmp_path / "plan.pdf")[0]
    assert "认证机构华信认证中心有限公司" in first


def test_assignments_are_typed() -> None:
    assert parse_assignments(["scope_appropriate=是", "objectives_fulfilled=no", "recommendation=",
                              "deviations=无 = 未偏离"]) == {
        "scope_appropriate": True, "objectives_fulfilled": False, "recommendation": None, "deviations": "无 = 未偏离"}
    for bad, words in ((["colour=red"], "不是结论的字段"), (["scope_appropriate=perhaps"], "yes 或 no"),
                       (["recommendation=maybe"], "recommend_after_actions"), (["conformity"], "字段=值")):
        with pytest.raises(ValidationFailed, match=words):
            parse_assignments(bad)


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    folder = tmp_path_factory.mktemp("conclusions-cli")
    root = folder / "profile"
    with create_profile(root, PASSPHRASE, cost=FAST_COST) as session:
        demo = populate(session, "integrated")
    yield Profile(root, demo.audit.id, folder)


@pytest.mark.slow
def test_cli_show_set_from_and_json(profile: Profile) -> None:
    audit = profile.audit_id
    code, out, err = profile.run("conclusions", audit)
    assert code == 0, err
    assert "认证机构 (cb_name): —" in out and "报告还缺少：" in out and "- 认证机构名称（cb_name）" in out
    source = profile.folder / "conclusions.json"
    given = {"cb_name": "华信认证中心有限公司", "conformity": "符合。"}
    source.write_text(json.dumps(given, ensure_ascii=False), "utf-8")
    code, out, err = profile.run("conclusions", audit[:8], "--from", str(source), "--set", "scope_appropriate=yes",
                                 "--set", "recommendation=recommend_after_actions")
    assert code == 0, err
    assert "结论已保存（4 个字段）。" in out and "认证机构 (cb_name): 华信认证中心有限公司" in out
    assert "认证范围是否适宜 (scope_appropriate): 是" in out and "- 认证机构名称（cb_name）" not in out
    code, out, err = profile.run("conclusions", audit, "--json", "--set", "conformity=")
    shown = json.loads(out)
    assert code == 0 and shown["conclusions"]["conformity"] == "" and shown["conclusions"]["scope_appropriate"] is True
    assert any("conformity" in line for line in shown["missing"])
    code, out, err = profile.run("conclusions", audit, "--set", "scope_appropriate=perhaps", lang="en_US.UTF-8")
    assert code != 0 and "Traceback" not in err and "scope_appropriate takes yes or no, not perhaps." in err
    code, out, err = profile.run("conclusions", audit, "--set", "colour=red")
    assert code != 0 and "colour 不是结论的字段" in err and "Traceback" not in err


@pytest.mark.slow
def test_cli_report_import_saves_onto_the_audit(profile: Profile) -> None:
    source = profile.folder / "all.json"
    source.write_text(json.dumps(CONCLUSIONS, ensure_ascii=False), "utf-8")
    out = profile.folder / "report.pdf"
    code, stdout, err = profile.run("report", profile.audit_id, "--format", "pdf", "--out", str(out),
                                    "--conclusions", str(source))
    assert code == 0, err
    assert "受审核方代表尚未签字确认审核发现：报告已标记为草稿。" in stdout
    code, shown, err = profile.run("conclusions", profile.audit_id, "--json")
    assert json.loads(shown)["conclusions"]["recommendation"] == "recommend_after_actions"


def test_settings_problems_name_the_setting() -> None:
    from app.settings import Settings

    with pytest.raises(ValidationFailed) as refused:
        Settings.model_validate({"platform_url": "ftp://x", "sync_interval_minutes": 0, "auto_lock_minutes": 999})
    text = str(refused.value)
    assert "平台地址" in text and "同步间隔（分钟）" in text and "空闲多少分钟后锁定" in text
    assert "platform_url" not in text and "auto_lock_minutes" not in text
