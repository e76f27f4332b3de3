"""``fieldaudit finding ...``, ``export-trail`` and ``verify`` as a user runs them (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from app.services.session import create_profile
from app.signing.signoff import sign_off
from tests.app.cli.test_cli import fieldaudit
from tests.app.signing.helpers import REP, audit_with_findings, drawn_signature
from tests.conftest import FAST_COST

PASS = "cli passphrase 1"
ROOT = Path(__file__).resolve().parents[3]


def prepared(tmp_path: Path) -> tuple[Path, str, list[str]]:
    profile = tmp_path / "profile"
    with create_profile(profile, PASS, cost=FAST_COST) as session:
        audit_id, ids = audit_with_findings(session.store)
        sign_off(session.store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id,
                 representative=REP, strokes=drawn_signature(), suite="national", finding_ids=ids)
    return profile, audit_id, ids


def test_finding_commands(tmp_path: Path) -> None:
    profile, audit_id, ids = prepared(tmp_path)
    listed = fieldaudit("--profile", str(profile), "finding", "list", audit_id, "--json", "--today", "2027-02-01")
    assert listed.returncode == 0, listed.stderr
    rows: list[dict[str, Any]] = json.loads(listed.stdout)
    assert {r["id"] for r in rows} == set(ids)
    assert all(r["signed"] and r["signature_current"] and r["overdue"] == ["plan_overdue"] for r in rows)
    human = fieldaudit("--profile", str(profile), "finding", "list", audit_id, "--today", "2027-02-01")
    assert "纠正措施计划逾期" in human.stdout and "一般不符合" in human.stdout
    refused = fieldaudit("--profile", str(profile), "finding", "move", ids[0], "verify", "--role", "auditor",
                         "--note", "x")
    assert refused.returncode != 0 and refused.stderr.count("\n") == 1 and "不能执行" in refused.stderr
    moved = fieldaudit("--profile", str(profile), "finding", "move", ids[0], "submit_action", "--role", "auditee",
                       "--root-cause", "台账缺失", "--correction", "送检", "--corrective-action", "修订制度",
                       "--owner", "李工", "--due", "2027-01-15")
    assert moved.returncode == 0, moved.stderr
    assert "纠正措施已提交" in moved.stdout
    past = fieldaudit("--profile", str(profile), "finding", "history", ids[0])
    assert "acknowledged  ->  action_submitted  root_cause=台账缺失" in past.stdout
    methods = fieldaudit("--profile", str(profile), "finding", "methods", ids[0])
    assert methods.returncode == 0 and "文件和程序" in methods.stdout
    hint = fieldaudit("--profile", str(profile), "finding", "suggest", "游标卡尺校准过期", "--json",
                      "--standard", "ISO 9001:2015")
    assert json.loads(hint.stdout)[0]["clause"] == "7.1.5.2"


def test_export_trail_and_verify(tmp_path: Path) -> None:
    profile, audit_id, _ids = prepared(tmp_path)
    out = tmp_path / "trail.zip"
    written = fieldaudit("--profile", str(profile), "export-trail", audit_id, "--out", str(out), "--suite",
                         "national")
    assert written.returncode == 0, written.stderr
    assert "python -m app.verify" in written.stdout
    checked = subprocess.run([sys.executable, "-m", "app.verify", str(out), "--json"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"] is True
    verified = fieldaudit("--profile", str(profile), "verify", "--json")
    assert verified.returncode == 0, verified.stdout
    names = {c["check"] for c in json.loads(verified.stdout)["checks"]}
    assert "signatures" in names
    missing = fieldaudit("--profile", str(profile), "export-trail", "no-such-audit", "--out", str(out))
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1
