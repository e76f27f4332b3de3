"""``fieldaudit plan`` / ``report`` / ``documents``: the command-line contract, run as a user would."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from app.services.session import create_profile
from tests.app.cli.test_cli import fieldaudit
from tests.app.documents.conftest import CONCLUSIONS, populate
from tests.app.reporting.conftest import pdf_text
from tests.conftest import FAST_COST, PASSPHRASE

pytestmark = pytest.mark.slow


class Profile:
    def __init__(self, root: Path, audit_id: str, folder: Path) -> None:
        self.root, self.audit_id, self.folder = root, audit_id, folder

    def run(self, *args: str, lang: str = "zh_CN.UTF-8") -> tuple[int, str, str]:
        result = fieldaudit("--profile", str(self.root), *args, passphrase=PASSPHRASE, lang=lang)
        return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Profile]:
    folder = tmp_path_factory.mktemp("documents-cli")
    root = folder / "profile"
    with create_profile(root, PASSPHRASE, cost=FAST_COST) as session:
        demo = populate(session, "qms")
    conclusions = folder / "conclusions.json"
    conclusions.write_text(json.dumps(CONCLUSIONS, ensure_ascii=False), "utf-8")
    yield Profile(root, demo.audit.id, folder)


def test_report_with_gaps_is_refused_with_every_gap(profile: Profile) -> None:
    out = profile.folder / "refused.pdf"
    code, _out, err = profile.run("report", profile.audit_id, "--format", "pdf", "--out", str(out))
    assert code != 0 and "Traceback" not in err and not out.exists()
    lines = err.splitlines()
    assert lines[0] == "错误：无法生成审核报告，缺少以下内容："
    assert "- 认证机构名称（cb_name）" in lines and "- 审核组长的推荐意见（recommendation）" in lines
    assert len([line for line in lines if line.startswith("- ")]) == 8
    assert "--draft" in lines[-1]
    code, _out, err = profile.run("report", profile.audit_id, "--format", "pdf", "--out", str(out),
                                  lang="en_GB.UTF-8")
    assert err.splitlines()[0] == "Error: The report cannot be produced; this is missing:"
    assert "- the lead auditor's recommendation (recommendation)" in err


def test_report_in_every_format(profile: Profile) -> None:
    conclusions = str(profile.folder / "conclusions.json")
    for fmt in ("docx", "pdf", "ofd"):
        out = profile.folder / f"report.{fmt}"
        code, stdout, err = profile.run("report", profile.audit_id[:8], "--format", fmt, "--out", str(out),
                                        "--conclusions", conclusions)
        assert code == 0, err
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        assert stdout.startswith("已生成审核报告：") and digest in stdout
    code, stdout, err = profile.run("report", profile.audit_id, "--format", "pdf", "--lang", "en", "--out",
                                    str(profile.folder / "report-en.pdf"), "--conclusions", conclusions, "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["language"] == "en" and summary["format"] == "pdf" and summary["draft"] is False
    assert "Auditreport" in pdf_text(profile.folder / "report-en.pdf").replace(" ", "")
    code, stdout, err = profile.run("documents", profile.audit_id, "--json")
    records = json.loads(stdout)
    assert [(r["format"], r["language"]) for r in records[-4:]] == [
        ("docx", "zh_CN"), ("pdf", "zh_CN"), ("ofd", "zh_CN"), ("pdf", "en")]
    assert records[-1]["sha256"] == summary["sha256"] and records[-1]["size"] == summary["size"]


def test_draft_without_conclusions(profile: Profile) -> None:
    out = profile.folder / "draft.docx"
    code, stdout, err = profile.run("report", profile.audit_id, "--format", "docx", "--out", str(out), "--draft")
    assert code == 0, err
    assert "这是草稿" in stdout
    word = docx.Document(io.BytesIO(out.read_bytes()))
    assert "审核报告（草稿）" in word.sections[0].header.paragraphs[0].text


def _template(folder: Path, name: str, text: str) -> Path:
    word = docx.Document()
    word.add_paragraph(text)
    word.add_paragraph("{{ body }}")
    path = folder / name
    word.save(str(path))
    return path


def test_template_errors_are_one_clear_message(profile: Profile) -> None:
    conclusions = str(profile.folder / "conclusions.json")
    unknown = _template(profile.folder, "unknown.docx", "{{ client.nmae }} {{ auditor }} {{ cb.name }}")
    out = profile.folder / "templated.docx"
    code, _stdout, err = profile.run("report", profile.audit_id, "--format", "docx", "--out", str(out),
                                     "--template", str(unknown), "--conclusions", conclusions)
    assert code != 0 and "Traceback" not in err and not out.exists()
    assert "word/document.xml" in err and "{{ client.nmae }}" in err and "{{ auditor }}" in err
    assert "cb.name" not in err
    broken = profile.folder / "broken.docx"
    broken.write_bytes(b"this is not a Word file")
    code, _stdout, err = profile.run("report", profile.audit_id, "--format", "docx", "--out", str(out),
                                     "--template", str(broken), "--conclusions", conclusions)
    assert code != 0 and "Traceback" not in err and "模板" in err
    good = _template(profile.folder, "good.docx",
                     "{{ cb.name }}：{{ client.name }}（{{ conclusions.recommendation }}）")
    code, _stdout, err = profile.run("report", profile.audit_id, "--format", "docx", "--out", str(out),
                                     "--template", str(good), "--conclusions", conclusions)
    assert code == 0, err
    first = docx.Document(io.BytesIO(out.read_bytes())).paragraphs[0].text
    assert first.startswith("华信认证中心有限公司：上海申联电缆有限公司（不符合项的纠正和纠正措施经认可后")
    code, _stdout, err = profile.run("report", profile.audit_id, "--format", "pdf", "--out", str(out),
                                     "--template", str(good), "--conclusions", conclusions)
    assert code != 0 and "--format docx" in err


def test_plan(profile: Profile) -> None:
    for fmt in ("docx", "pdf"):
        out = profile.folder / f"plan.{fmt}"
        code, stdout, err = profile.run("plan", profile.audit_id, "--format", fmt, "--out", str(out),
                                        "--days", "5.5", "--cb-name", "华信认证中心有限公司")
        assert code == 0, err
        assert stdout.startswith("已生成审核计划：") and hashlib.sha256(out.read_bytes()).hexdigest() in stdout
    assert "审核计划" in pdf_text(profile.folder / "plan.pdf")
    code, _stdout, err = profile.run("plan", profile.audit_id, "--format", "pdf", "--out",
                                     str(profile.folder / "plan-md5.pdf"), lang="en_GB.UTF-8")
    assert code != 0 and "Traceback" not in err and "6.5 auditor days" in err
    code, _stdout, err = profile.run("plan", profile.audit_id, "--format", "ofd", "--out", "x.ofd")
    assert code == 2 and "ofd" in err
    code, _stdout, err = profile.run("plan", "no-such-audit", "--format", "pdf", "--out", "x.pdf")
    assert code != 0 and "no-such-audit" in err and "Traceback" not in err
