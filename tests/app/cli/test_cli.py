"""The ``fieldaudit`` command-line contract, run as a user would (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import audit_data

ROOT = Path(__file__).resolve().parents[3]


def fieldaudit(*args: str, passphrase: str | None = "cli passphrase 1", lang: str = "zh_CN.UTF-8",
               extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDAUDIT_", "LC_", "LANG"))}
    env["LANG"] = lang
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if passphrase is not None:
        env["FIELDAUDIT_PASSPHRASE"] = passphrase
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "ui.launcher", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def cli_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    profile = tmp_path_factory.mktemp("cli") / "profile"
    result = fieldaudit("--profile", str(profile), "init")
    assert result.returncode == 0, result.stderr
    assert "已在" in result.stdout and "创建加密档案" in result.stdout
    return profile


def test_init_twice_is_refused(cli_profile: Path) -> None:
    result = fieldaudit("--profile", str(cli_profile), "init")
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and "已存在档案" in result.stderr


def test_audit_import_list_and_verify(cli_profile: Path, tmp_path: Path) -> None:
    source = tmp_path / "audit.json"
    source.write_text(json.dumps(audit_data(), ensure_ascii=False), "utf-8")
    assert fieldaudit("--profile", str(cli_profile), "audit", "import", str(source)).returncode == 0
    listed = fieldaudit("--profile", str(cli_profile), "audit", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    audits = json.loads(listed.stdout)
    assert audits[-1]["client"] == "某制造有限公司"
    human = fieldaudit("--profile", str(cli_profile), "audit", "list")
    assert "第二阶段" in human.stdout
    verified = fieldaudit("--profile", str(cli_profile), "verify", "--json")
    assert verified.returncode == 0
    assert json.loads(verified.stdout)["ok"] is True


def test_invalid_import_is_one_translated_line(cli_profile: Path, tmp_path: Path) -> None:
    bad = audit_data(effective_personnel=-3)
    bad["client"]["uscc"] = "91350100M000100Y4"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
    result = fieldaudit("--profile", str(cli_profile), "audit", "import", str(source))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "统一社会信用代码" in result.stderr and "有效人数" in result.stderr
    english = fieldaudit("--profile", str(cli_profile), "audit", "import", str(source), lang="en_GB.UTF-8")
    assert "Unified social credit code" in english.stderr


def test_wrong_passphrase_and_missing_profile(cli_profile: Path, tmp_path: Path) -> None:
    wrong = fieldaudit("--profile", str(cli_profile), "audit", "list", passphrase="definitely wrong")
    assert wrong.returncode == 3 and "口令错误" in wrong.stderr and "Traceback" not in wrong.stderr
    english = fieldaudit("--profile", str(cli_profile), "audit", "list", passphrase="definitely wrong",
                         lang="en_US.UTF-8")
    assert "passphrase is wrong" in english.stderr
    # Reset the failure counter so the other tests in this module are not delayed.
    assert fieldaudit("--profile", str(cli_profile), "audit", "list").returncode == 0
    missing = fieldaudit("--profile", str(tmp_path / "nowhere"), "verify")
    assert missing.returncode != 0 and "fieldaudit init" in missing.stderr


def test_no_passphrase_without_terminal(cli_profile: Path) -> None:
    result = fieldaudit("--profile", str(cli_profile), "audit", "list", passphrase=None)
    assert result.returncode != 0 and "FIELDAUDIT_PASSPHRASE" in result.stderr


def test_verify_fails_naming_the_tampered_entry(cli_profile: Path, tmp_path: Path) -> None:
    from app.services.session import open_profile

    source = tmp_path / "audit.json"
    source.write_text(json.dumps(audit_data(title="第二个审核"), ensure_ascii=False), "utf-8")
    assert fieldaudit("--profile", str(cli_profile), "audit", "import", str(source)).returncode == 0
    with open_profile(cli_profile, passphrase="cli passphrase 1") as session:
        conn = session.store.connection()
        seq, entry_id, after = conn.execute("SELECT seq, entry_id, after FROM journal ORDER BY seq LIMIT 1").fetchone()
        conn.execute("UPDATE journal SET after = ? WHERE seq = ?", (after.replace("审核", "审计", 1), seq))
    result = fieldaudit("--profile", str(cli_profile), "verify")
    assert result.returncode == 1
    assert entry_id in result.stderr and "被改动" in result.stderr


def test_bad_command_is_translated() -> None:
    result = fieldaudit("no-such-command")
    assert result.returncode == 2 and "命令有误" in result.stderr
