"""Issue 8's 'done when', run as the people involved would, against the real demo platform.

An auditor raises a minor and a major nonconformity offline; the organisation's representative answers
and signs on the auditor's laptop; the sync countersigns; the lead auditor writes and signs the report;
the organisation submits its corrective actions with its own account; the auditor accepts and verifies
them and the lead closes them.  ``fieldaudit verify`` and the standalone verifier then confirm the whole
trail, and fail loudly on a changed byte of the package or a changed signed finding.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.domain import Answer, ChecklistItem, FindingState, SignatureMethod
from app.findings import service
from app.services.session import open_profile
from app.signing.signoff import Representative, sign_off, sign_report
from sync import state
from tests.app.cli.test_cli import fieldaudit
from tests.app.reporting.conftest import pdf_text
from tests.app.signing.helpers import drawn_signature
from tests.factories import make_finding

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "cli passphrase 1"
CONCLUSIONS = {"cb_name": "华信认证中心有限公司", "objectives_fulfilled": True, "deviations": "无偏离审核计划的情况。",
               "conformity": "管理体系总体符合审核准则的要求。", "effectiveness": "管理体系得到有效实施。",
               "internal_audit": "内部审核和管理评审已按策划实施。", "scope_appropriate": True,
               "recommendation": "recommend_after_actions"}
PLAN = {"minor_nc": ["外径测量仪未纳入周期校准计划", "已送检并贴校准标识", "修订测量设备管理程序，每月核查台账",
                     "质量部 陈静", "2027-01-15"],
        "major_nc": ["新购设备未按程序登记", "停用并隔离三台量具", "建立采购—登记—校准联动流程",
                     "设备部 李工", "2027-01-31"]}




def run(profile: Path, *args: str, ok: bool = True, **extra: Any) -> subprocess.CompletedProcess[str]:
    result = fieldaudit("--profile", str(profile), *args, **extra)
    if ok:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def connect(profile: Path, url: str, account: dict[str, Any]) -> None:
    run(profile, "init")
    run(profile, "login", "--server", url, "--user", account["username"],
        extra_env={"FIELDAUDIT_PASSWORD": account["password"]})


def sync(profile: Path) -> dict[str, Any]:
    report = json.loads(run(profile, "sync", "--json").stdout)
    assert report["rejected"] == 0, report
    return dict(report)


def user_of(session: Any) -> str:
    credentials = state.load_credentials(session.store)
    assert credentials is not None
    return str(credentials.tokens.user_id)


def move(profile: Path, finding_id: str, action: str, role: str, *options: str) -> None:
    run(profile, "finding", "move", finding_id, action, "--role", role, *options)


def test_minor_and_major_nc_closed_loop(platform: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    url, accounts = platform
    audit_id = next(a["audit_id"] for a in accounts["rep-shenlian"]["audits"])
    auditor, lead, rep = tmp_path / "zhangwei", tmp_path / "wangfang", tmp_path / "rep-shenlian"
    for profile, name in ((auditor, "zhangwei"), (lead, "wangfang"), (rep, "rep-shenlian")):
        connect(profile, url, accounts[name])
        sync(profile)

    # 1. On site, offline: the auditor raises a minor and a major NC; at the closing meeting the
    #    representative acknowledges one, disputes the other with a reason, and signs on the laptop.
    with open_profile(auditor, passphrase=PASSPHRASE) as session:
        me = user_of(session)
        raised = {grade: service.raise_finding(session.store, me, "auditor", make_finding(
            audit_id, grade=grade, statement=f"{grade}：外径测量仪超期未校准仍在使用。")).id
            for grade in ("minor_nc", "major_nc")}
        service.move(session.store, "representative", "auditee", raised["minor_nc"], "acknowledge",
                     {"auditee_comment": "情况属实，认可。"})
        service.move(session.store, "representative", "auditee", raised["major_nc"], "dispute",
                     {"auditee_comment": "该批量具已停用，建议降为轻微。"})
        representative = Representative(name="陈静", title="质量部经理", id_type="居民身份证",
                                        id_number="310115198805061234", account="rep-shenlian")
        sign_off(session.store, session.data_key, actor=me, role="auditor", audit_id=audit_id,
                 representative=representative, strokes=drawn_signature(), suite="international",
                 finding_ids=sorted(raised.values()))
    # 2. Back online: the round sends the answers with their sign-off and the platform countersigns.
    first = run(auditor, "sync")
    assert "平台会签：新增 1 个" in first.stdout, first.stdout
    report = sync(auditor)
    assert report["countersign"] == {"countersigned": [], "waiting": [], "failed": []}

    # 3. The lead auditor's computer receives everything and produces the signed report (PDF).
    sync(lead)
    conclusions = tmp_path / "conclusions.json"
    conclusions.write_text(json.dumps(CONCLUSIONS, ensure_ascii=False), "utf-8")
    with open_profile(lead, passphrase=PASSPHRASE) as session:
        signatures = session.store.signatures.list(audit_id)
        assert {s.method for s in signatures} == {SignatureMethod.HANDWRITTEN, SignatureMethod.DEVICE_KEY,
                                                 SignatureMethod.PLATFORM_COUNTERSIGN}
        with session.store.unit_of_work(user_of(session)) as uow:
            for item in session.store.checklist.list(audit_id):
                uow.update(ChecklistItem, item.id, {"answer": Answer.CONFORMING.value})
    pdf = tmp_path / "report.pdf"
    written = json.loads(run(lead, "report", audit_id, "--format", "pdf", "--out", str(pdf), "--conclusions",
                             str(conclusions), "--json").stdout)
    assert written["signed_off"] and not written["draft"]
    if shutil.which("pdftotext"):
        assert "陈静" in pdf_text(pdf)  # the representative's sign-off is printed in the report
    with open_profile(lead, passphrase=PASSPHRASE) as session:
        sign_report(session.store, session.data_key, actor=user_of(session), role="lead", audit_id=audit_id,
                    path=pdf, suite="international")
    assert "平台会签：新增 1 个" in run(lead, "sync").stdout

    # 4. The organisation submits its corrective actions with its own account and profile.
    sync(rep)
    for grade, finding_id in raised.items():
        cause, correction, action, owner, due = PLAN[grade]
        move(rep, finding_id, "submit_action", "auditee", "--root-cause", cause, "--correction", correction,
             "--corrective-action", action, "--owner", owner, "--due", due)
    sync(rep)
    # 5. The auditor accepts; the organisation shows it implemented; the auditor verifies; the lead closes.
    sync(auditor)
    for finding_id in raised.values():
        move(auditor, finding_id, "accept_action", "auditor", "--note", "纠正措施计划可行")
    sync(auditor)
    sync(rep)
    for finding_id in raised.values():
        move(rep, finding_id, "submit_implementation", "auditee", "--comment", "已完成校准并培训，记录见附件")
    sync(rep)
    sync(auditor)
    for finding_id in raised.values():
        move(auditor, finding_id, "verify", "auditor", "--note", "现场抽查 5 台量具均在有效期内，措施有效")
    sync(auditor)
    sync(lead)
    for finding_id in raised.values():
        move(lead, finding_id, "close", "lead")
    for profile in (lead, auditor, rep, lead, auditor):
        sync(profile)

    for profile in (auditor, lead, rep):
        listed = json.loads(run(profile, "finding", "list", audit_id, "--json").stdout)
        mine = {row["id"]: row for row in listed if row["id"] in raised.values()}
        assert {row["state"] for row in mine.values()} == {FindingState.CLOSED.value}
        assert all(row["signed"] and row["signature_current"] for row in mine.values())
    for profile in (auditor, lead, rep):
        assert run(profile, "verify").returncode == 0

    # 6. The trail: exported, checked by the standalone verifier, and a tampered copy fails loudly.
    package = tmp_path / "trail.zip"
    run(lead, "export-trail", audit_id, "--out", str(package))
    checked = verify_package(package)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    data = bytearray(package.read_bytes())
    at = data.index("情况属实，认可。".encode())
    data[at] ^= 0x01
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(bytes(data))
    broken = verify_package(tampered)
    assert broken.returncode == 1 and "已损坏" in broken.stdout, broken.stdout

    # 7. A signed finding changed afterwards (reopened and restated) breaks both checks, naming it.
    major = raised["major_nc"]
    move(lead, major, "reopen", "lead", "--note", "复核时发现陈述需要修改")
    with open_profile(lead, passphrase=PASSPHRASE) as session:
        service.edit(session.store, user_of(session), "lead", major, {"statement": "改写后的陈述：只有一台量具超期。"})
    failed = run(lead, "verify", ok=False)
    assert failed.returncode == 1 and major in failed.stdout + failed.stderr, failed.stdout + failed.stderr
    later = tmp_path / "trail-after-edit.zip"
    run(lead, "export-trail", audit_id, "--out", str(later))
    after = verify_package(later)
    assert after.returncode == 1 and major in after.stdout, after.stdout


def verify_package(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.verify", str(path)], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin"})
