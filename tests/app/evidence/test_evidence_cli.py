"""``fieldaudit evidence ...`` run as a user would (subprocess), plus ``verify`` over the vault."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.session import create_profile
from tests.app.evidence.helpers import jpeg_bytes, photo_exif, write, zip_bytes
from tests.conftest import FAST_COST, PASSPHRASE
from tests.factories import make_audit, make_item

ROOT = Path(__file__).resolve().parents[3]


def fieldaudit(profile: Path, *args: str | bytes) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDAUDIT_", "LC_", "LANG"))}
    env.update({"LANG": "zh_CN.UTF-8", "FIELDAUDIT_PASSPHRASE": PASSPHRASE,
                "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    command: list[str | bytes] = [sys.executable, "-m", "ui.launcher", "--profile", str(profile), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def cli_profile(tmp_path: Path) -> tuple[Path, str, str]:
    profile = tmp_path / "profile"
    audit = make_audit()
    item = make_item(audit.id)
    with create_profile(profile, PASSPHRASE, cost=FAST_COST) as session, session.store.unit_of_work("t") as uow:
        uow.create(audit)
        uow.create(item)
    return profile, audit.id, item.id


def test_add_list_export_and_verify(cli_profile: tuple[Path, str, str], tmp_path: Path) -> None:
    profile, audit_id, item_id = cli_profile
    photo = write(tmp_path / "in", "现场.jpg", jpeg_bytes(exif=photo_exif()))
    note = write(tmp_path / "in", "note.txt", "记录\n".encode())
    added = fieldaudit(profile, "evidence", "add", audit_id, str(photo), str(note), "--item", item_id,
                       "--caption", "仓库温湿度记录")
    assert added.returncode == 0, added.stderr
    assert "已导入 2 个文件" in added.stdout and added.stderr == ""

    listed = fieldaudit(profile, "evidence", "list", audit_id, "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert {r["media_type"] for r in rows} == {"image/jpeg", "text/plain"}
    assert all(r["state"] == "local" and r["checklist_item_id"] == item_id for r in rows)
    sha = next(r["sha256"] for r in rows if r["media_type"] == "image/jpeg")
    human = fieldaudit(profile, "evidence", "list", audit_id)
    assert sha in human.stdout and "在本设备上" in human.stdout

    out = tmp_path / "copy.jpg"
    exported = fieldaudit(profile, "evidence", "export", sha, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == photo.read_bytes() and "哈希值一致" in exported.stdout
    again = fieldaudit(profile, "evidence", "export", sha, "--out", str(out))
    assert again.returncode != 0 and again.stderr.count("\n") == 1 and "已存在" in again.stderr

    rectangle = {"shapes": [{"kind": "rectangle", "box": [1, 1, 50, 50]}]}
    shapes = write(tmp_path, "shapes.json", json.dumps(rectangle).encode())
    annotated = fieldaudit(profile, "evidence", "annotate", sha, str(shapes))
    assert annotated.returncode == 0, annotated.stderr

    verified = fieldaudit(profile, "verify", "--json")
    assert verified.returncode == 0, verified.stderr
    checks = {c["check"]: c for c in json.loads(verified.stdout)["checks"]}
    assert checks["evidence"]["ok"] and checks["evidence"]["checked"] == 3

    blob = profile / "vault" / "objects" / sha[:2] / sha
    data = bytearray(blob.read_bytes())
    data[-3] ^= 0xFF
    blob.write_bytes(bytes(data))
    broken = fieldaudit(profile, "verify")
    assert broken.returncode == 1 and sha in broken.stderr and "篡改" in broken.stderr


def test_bad_files_get_one_line_each_and_the_rest_is_imported(cli_profile: tuple[Path, str, str],
                                                               tmp_path: Path) -> None:
    profile, audit_id, _item = cli_profile
    folder = tmp_path / "in"
    good = write(folder, "ok.txt", b"ok\n")
    disguised = write(folder, "photo.jpg", zip_bytes())
    empty = write(folder, "empty.pdf", b"")
    odd = bytes(folder) + b"/\xff\xfe.jpg"
    Path(os.fsdecode(odd)).write_bytes(jpeg_bytes())
    result = fieldaudit(profile, "evidence", "add", audit_id, str(good), str(disguised), str(empty), odd,
                        str(folder / ".." / "in" / "ok.txt"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and "Traceback" not in result.stderr
    assert "ZIP" in result.stderr and "为空" in result.stderr and "UTF-8" in result.stderr and "“..”" in result.stderr
    assert "已导入 1 个文件（共 5 个）" in result.stdout
    rows = json.loads(fieldaudit(profile, "evidence", "list", audit_id, "--json").stdout)
    assert [r["file_name"] for r in rows] == ["ok.txt"]
    assert len(list((profile / "vault" / "objects").rglob("*.*"))) == 0


def test_unknown_audit_and_unknown_hash(cli_profile: tuple[Path, str, str], tmp_path: Path) -> None:
    profile, _audit, _item = cli_profile
    note = write(tmp_path, "n.txt", b"n\n")
    missing = fieldaudit(profile, "evidence", "add", "no-such-audit", str(note))
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1
    unknown = fieldaudit(profile, "evidence", "export", "a" * 64, "--out", str(tmp_path / "x"))
    assert unknown.returncode != 0 and "没有哈希值" in unknown.stderr
    assert fieldaudit(profile, "evidence", "add", "x", str(note), "--item", "a", "--finding", "b").returncode == 2
