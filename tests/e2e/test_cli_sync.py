"""The issue's 'done when' as a user would do it: seed, serve, login, sync, edit offline, converge."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from app.domain import ChecklistItem
from app.services.session import open_profile
from sync import state
from tests.app.cli.test_cli import fieldaudit


def _login(profile: Path, url: str, account: dict[str, Any]) -> None:
    assert fieldaudit("--profile", str(profile), "init").returncode == 0
    result = fieldaudit("--profile", str(profile), "login", "--server", url, "--user", account["username"],
                        extra_env={"FIELDAUDIT_PASSWORD": account["password"]})
    assert result.returncode == 0, result.stderr
    assert "已以" in result.stdout


def _sync(profile: Path) -> dict[str, Any]:
    result = fieldaudit("--profile", str(profile), "sync", "--json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_two_auditors_edit_offline_and_converge(platform: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    url, accounts = platform
    lead_profile, auditor_profile = tmp_path / "wangfang", tmp_path / "zhangwei"
    _login(lead_profile, url, accounts["wangfang"])
    _login(auditor_profile, url, accounts["zhangwei"])
    shared = sorted({a["audit_id"] for a in accounts["wangfang"]["audits"]}
                    & {a["audit_id"] for a in accounts["zhangwei"]["audits"]})[0]
    assert _sync(lead_profile)["snapshots"] == 2
    assert _sync(auditor_profile)["snapshots"] == 2
    listed = json.loads(fieldaudit("--profile", str(auditor_profile), "audit", "list", "--json").stdout)
    assert shared in {a["id"] for a in listed}

    passphrase = "cli passphrase 1"
    with open_profile(lead_profile, passphrase=passphrase) as lead:
        item = sorted(lead.store.checklist.list(shared), key=lambda i: i.clause)[0]
        with lead.store.unit_of_work("wangfang") as uow:
            uow.update(ChecklistItem, item.id, {"answer": "observation", "notes": "组长：抽查合格"})
    with open_profile(auditor_profile, passphrase=passphrase) as auditor, \
            auditor.store.unit_of_work("zhangwei") as uow:
        uow.update(ChecklistItem, item.id, {"answer": "minor_nc"})
    first = _sync(lead_profile)
    second = _sync(auditor_profile)
    assert first["applied"] == 1 and second["pushed"] == 1
    _sync(lead_profile)
    with open_profile(lead_profile, passphrase=passphrase) as lead:
        lead_view = lead.store.checklist.get(item.id)
        lead_history = state.field_history(lead.store, shared)
    with open_profile(auditor_profile, passphrase=passphrase) as auditor:
        auditor_view = auditor.store.checklist.get(item.id)
        auditor_history = state.field_history(auditor.store, shared)
    # Per-field merge: the later answer wins, the lead's notes survive, the lost answer is kept.
    assert lead_view == auditor_view
    assert lead_view.answer == "minor_nc" and lead_view.notes == "组长：抽查合格"
    assert any(h["field"] == "answer" and h["lost_value"] == "observation" for h in lead_history)
    assert lead_history == auditor_history
    for profile in (lead_profile, auditor_profile):
        assert fieldaudit("--profile", str(profile), "verify").returncode == 0


def test_wrong_password_and_unreachable_platform(platform: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    url, _accounts = platform
    profile = tmp_path / "p"
    assert fieldaudit("--profile", str(profile), "init").returncode == 0
    wrong = fieldaudit("--profile", str(profile), "login", "--server", url, "--user", "zhangwei",
                       extra_env={"FIELDAUDIT_PASSWORD": "not-the-password"})
    assert wrong.returncode != 0 and "登录失败" in wrong.stderr and "Traceback" not in wrong.stderr
    not_logged_in = fieldaudit("--profile", str(profile), "sync")
    assert not_logged_in.returncode != 0 and "fieldaudit login" in not_logged_in.stderr
    nowhere = fieldaudit("--profile", str(profile), "login", "--server", "http://127.0.0.1:9", "--user", "x",
                         extra_env={"FIELDAUDIT_PASSWORD": "x"})
    assert nowhere.returncode != 0 and "无法连接平台" in nowhere.stderr
    assert os.path.exists(profile / "store.db")
