"""Issue 7's "done when" on the demo: ``fieldaudit plan`` and ``fieldaudit report`` for the demo audits.

The demo platform is seeded and served as the README's run command does (tests/e2e/test_demo_platform.py);
each lead auditor's profile syncs its audits, then the commands run as a user would run them.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest

from app.domain import Answer, Audit, ChecklistItem
from app.domain.audit import Complexity, Standard
from app.services.documents import NotLeadAuditor, save_conclusions
from app.services.session import create_profile, open_profile
from central.services.demo_data import AUDITS, CERTIFICATION_BODY
from sync import state
from sync.engine import SyncEngine
from tests.app.cli.test_cli import fieldaudit
from tests.app.reporting.test_signed_report import pages
from tests.conftest import FAST_COST, PASSPHRASE
from tests.factories import audit_data
from ui import demo

pytestmark = pytest.mark.slow
LEADS = ("wangfang", "liqiang")


def run(root: Path, *args: str, lang: str = "zh_CN.UTF-8") -> tuple[int, str, str]:
    result = fieldaudit("--profile", str(root), *args, passphrase=PASSPHRASE, lang=lang)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, dict[str, object]], Path]]:
    """The seeded demo platform, running: its address, the demo accounts, a folder for profiles."""
    base = tmp_path_factory.mktemp("demo-documents")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_DATA_HOME", str(base / "data"))
    try:
        folder = demo.demo_dir()
        accounts = {str(a["username"]): a for a in demo.ensure_seeded(folder)}
        with demo.local_platform(folder) as url:
            yield url, accounts, base
    finally:
        patch.undo()


def synced_profile(platform: tuple[str, dict[str, dict[str, object]], Path], username: str,
                   folder: str = "") -> Path:
    url, accounts, base = platform
    root = base / (folder or username)
    with create_profile(root, PASSPHRASE, cost=FAST_COST) as session:
        engine = SyncEngine(session)
        engine.login(url, username, str(accounts[username]["password"]))
        engine.run_once()
    return root


@pytest.fixture(scope="module")
def profiles(platform: tuple[str, dict[str, dict[str, object]], Path]) -> dict[str, tuple[Path, dict[str, str]]]:
    """Each lead's profile after its first sync, with its audits by title."""
    found: dict[str, tuple[Path, dict[str, str]]] = {}
    for username in LEADS:
        root = synced_profile(platform, username)
        with open_profile(root, passphrase=PASSPHRASE) as session:
            found[username] = (root, {a.title: a.id for a in session.store.audits.list()})
    return found


def test_every_demo_audit_is_synced(profiles: dict[str, tuple[Path, dict[str, str]]]) -> None:
    titles = {title for _root, audits in profiles.values() for title in audits}
    assert titles == {plan["title"] for plan in AUDITS}
    # The EMS / OH&S audits arrive with their IAF MD 5 complexity category, through the platform.
    for root, _audits in profiles.values():
        with open_profile(root, passphrase=PASSPHRASE) as session:
            for audit in session.store.audits.list():
                plan = next(p for p in AUDITS if p["title"] == audit.title)
                assert {str(k): v.value for k, v in audit.complexity.items()} == plan.get("complexity", {})
                assert audit.missing_complexity() == []


def test_plan_packs_every_demo_audit_in_both_languages(profiles: dict[str, tuple[Path, dict[str, str]]],
                                                      tmp_path: Path) -> None:
    for root, audits in profiles.values():
        for title, audit_id in audits.items():
            for lang, env in (("zh", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")):
                for fmt in ("docx", "pdf"):
                    out = tmp_path / f"{audit_id}-{lang}.{fmt}"
                    # No --complexity: the EMS / OH&S audits record their category.
                    code, stdout, err = run(root, "plan", audit_id, "--format", fmt, "--out", str(out), "--lang",
                                            lang, "--json", lang=env)
                    assert code == 0, (title, err)
                    assert json.loads(stdout)["sha256"]
                text = "".join(pages(tmp_path / f"{audit_id}-{lang}.pdf"))
                raw = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{audit_id}-{lang}.pdf"), "-"],
                                     check=True, capture_output=True, text=True).stdout
                # Every time range of the schedule on one line (the column is wide enough).
                assert re.findall(r"\d\d:\d\d–\d\d:\d\d", raw) and not re.search(r"\d\d:\d\d–\d\d:?\s*\n", raw)
                assert ("本次审核（" if lang == "zh" else "Thisaudit(") in text  # the days this plan uses
                # Packed: the schedule passes every plan check (no "Plan checks not passed" section).
                assert ("日程安排" if lang == "zh" else "Schedule") in text
                assert "未通过的计划检查" not in text and "Planchecksnotpassed" not in text
                assert CERTIFICATION_BODY in text  # every demo audit names its certification body
                word = docx.Document(str(tmp_path / f"{audit_id}-{lang}.docx"))
                assert any(cell.text for table in word.tables for row in table.rows for cell in row.cells)
                schedule = next(t for t in word.tables if t.rows[0].cells[0].text in ("日期", "Date"))
                header = [cell.text for cell in schedule.rows[0].cells]
                # No expert in the demo teams: no empty expert column; clauses name each standard once a line.
                assert ("技术专家" if lang == "zh" else "Technical expert") not in header
                clauses = [row.cells[4].text for row in schedule.rows[1:] if row.cells[4].text]
                assert clauses and all(line.count("ISO") == 1 for cell in clauses for line in cell.split("\n"))


def _answer_the_checklist(root: Path) -> None:
    """What the team does on site: every checklist item answered (through the write path)."""
    with open_profile(root, passphrase=PASSPHRASE) as session, session.store.unit_of_work("wangfang") as uow:
        for audit in session.store.audits.list():
            for item in session.store.checklist.list(audit.id):
                if item.answer is None:
                    uow.update(ChecklistItem, item.id, {"answer": Answer.CONFORMING, "answered_by": "wangfang",
                                                        "answered_at": datetime(2026, 12, 8, 10, tzinfo=UTC)})


def test_report_of_a_demo_audit_in_every_format_and_language(profiles: dict[str, tuple[Path, dict[str, str]]],
                                                             tmp_path: Path) -> None:
    ofdkit = pytest.importorskip("ofdkit")
    root, audits = profiles["wangfang"]
    _answer_the_checklist(root)
    audit_id = audits[AUDITS[0]["title"]]
    conclusions = AUDITS[0]["conclusions"]
    for lang, env in (("zh", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")):
        for fmt in ("docx", "pdf", "ofd"):
            out = tmp_path / f"report-{lang}.{fmt}"
            code, stdout, err = run(root, "report", audit_id, "--format", fmt, "--out", str(out), "--lang", lang,
                                    "--json", lang=env)
            assert code == 0, err
            summary = json.loads(stdout)
            assert summary["signed_off"] is False and summary["draft"] is False
        mark = "草稿" if lang == "zh" else "DRAFT"
        pdf = pages(tmp_path / f"report-{lang}.pdf")
        assert all(mark in page for page in pdf)
        text = "".join(pdf)
        assert CERTIFICATION_BODY in text and "".join(conclusions["conformity"].split()) in text
        with ofdkit.open(str(tmp_path / f"report-{lang}.ofd")) as opened:
            assert not opened.warnings and CERTIFICATION_BODY in opened.text() and mark in opened.text()
        word = docx.Document(str(tmp_path / f"report-{lang}.docx"))
        cells = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
        assert CERTIFICATION_BODY in cells and conclusions["effectiveness"] in cells
        with zipfile.ZipFile(io.BytesIO((tmp_path / f"report-{lang}.docx").read_bytes())) as package:
            headers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/header")]
        assert any(f'string="{mark}"' in header for header in headers)
    code, stdout, err = run(root, "documents", audit_id, "--json")
    assert code == 0 and len([d for d in json.loads(stdout) if d["kind"] == "report"]) == 6


def _cells(word: docx.document.Document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]


def test_report_of_the_integrated_demo_audit_reads_as_a_handout(profiles: dict[str, tuple[Path, dict[str, str]]],
                                                                 tmp_path: Path) -> None:
    """What a lead auditor used to fix by hand in the ISO 9001 + ISO 14001 surveillance report."""
    root, audits = profiles["wangfang"]
    _answer_the_checklist(root)
    plan = AUDITS[1]
    words = {"zh": ("报告日期", "场所", "推荐意见", "条款", "见审核发现 1", "编号"),
             "en": ("Report date", "Sites", "Recommendation", "Clause", "see finding 1", "Ref.")}
    for lang, env in (("zh", "zh_CN.UTF-8"), ("en", "en_US.UTF-8")):
        out = tmp_path / f"nanshan-{lang}.docx"
        code, _stdout, err = run(root, "report", audits[plan["title"]], "--format", "docx", "--out", str(out),
                                 "--lang", lang, lang=env)
        assert code == 0, err
        date_label, sites_label, recommendation_label, clause_label, see_finding, ref_label = words[lang]
        rows = _cells(docx.Document(str(out)))
        values = {row[0]: row[-1] for row in rows if len(row) == 2}
        # Dated on or after the last audit day, never before the audit it reports.
        assert values[date_label] >= plan["end_date"]
        recommendation = values[recommendation_label]
        assert plan["conclusions"]["recommendation_note"] in recommendation
        if lang == "zh":
            assert "（过程：" in values[sites_label] and "。 " not in recommendation
        else:
            assert "(processes: " in values[sites_label]
            # Labels are English; only the data entered in Chinese stays Chinese.
            assert not [key for key in values if re.search(r"[\u4e00-\u9fff]", key)]
        header = next(i for i, row in enumerate(rows) if row[0] == clause_label and len(row) == 3)
        coverage = [row for row in rows[header + 1:] if len(row) == 3 and row[0].startswith("ISO ")]
        standards = [row[0].split()[1] for row in coverage]
        assert standards == sorted(standards, key=lambda s: s != "9001:2015")  # the criteria's order
        on_finding = [row for row in coverage if see_finding in row[1]]
        assert {row[0].split()[2] for row in on_finding} == {"6.1.3", "9.1.2"}
        assert not [row for row in on_finding if row[1].startswith(("符合", "Conforming"))]
        # The findings cite their evidence (E1 sensitive, not reproduced; E2 a photo), listed in the index.
        evidence = [row[0] for row in rows if len(row) == 4 and re.fullmatch(r"E\d+", row[0])]
        assert evidence == ["E1", "E2"] and any(row[0] == ref_label for row in rows)


def test_the_audit_without_conclusions_lists_them(platform: tuple[str, dict[str, dict[str, object]], Path],
                                                  profiles: dict[str, tuple[Path, dict[str, str]]],
                                                  tmp_path: Path) -> None:
    _root, audits = profiles["liqiang"]
    audit = audits[AUDITS[2]["title"]]
    # A device of its own, so the cleared conclusions never reach the platform the other tests use.
    root = synced_profile(platform, "liqiang", folder="liqiang-second-laptop")
    code, _out, err = run(root, "report", audit, "--format", "pdf", "--out", str(tmp_path / "complete.pdf"))
    assert code == 0, err  # every demo audit carries the lead's conclusions
    code, _out, err = run(root, "conclusions", audit, "--set", "recommendation=", "--set", "conformity=")
    assert code == 0, err
    code, _out, err = run(root, "report", audit, "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    assert code != 0 and "Traceback" not in err
    assert "审核组长的推荐意见（recommendation）" in err and "fieldaudit conclusions" in err
    assert "cb_name" not in err  # the one part of the conclusions the demo gives it


def test_the_leads_conclusions_sync_and_only_the_lead_writes_them(
        platform: tuple[str, dict[str, dict[str, object]], Path],
        profiles: dict[str, tuple[Path, dict[str, str]]]) -> None:
    root, audits = profiles["liqiang"]
    audit_id = audits[AUDITS[2]["title"]]
    with open_profile(root, passphrase=PASSPHRASE) as session:
        engine = SyncEngine(session)
        save_conclusions(session.store, engine.actor, audit_id, {"cb_name": CERTIFICATION_BODY, "conformity": "符合。"})
        report = engine.run_once()
        assert (report.applied, report.rejected) == (1, 0)
    auditor_root = synced_profile(platform, "zhangwei")
    with open_profile(auditor_root, passphrase=PASSPHRASE) as session:
        engine = SyncEngine(session)
        pulled = session.store.audits.get(audit_id).conclusions
        assert pulled is not None and (pulled.cb_name, pulled.conformity) == (CERTIFICATION_BODY, "符合。")
        with pytest.raises(NotLeadAuditor):
            save_conclusions(session.store, engine.actor, audit_id, {"conformity": "不符合。"})
        # Past the app's own check (an older client), the platform refuses the change.
        with session.store.unit_of_work(engine.actor) as uow:
            uow.update(Audit, audit_id, {"conclusions": {**pulled.model_dump(mode="json"), "conformity": "不符合。"}})
        report = engine.run_once()
        assert report.rejected == 1
        assert [r["error_code"] for r in state.rejected(session.store)] == ["not_lead"]


def test_a_missing_complexity_is_asked_for_then_recorded_on_the_audit(tmp_path: Path) -> None:
    """An EMS audit imported without its category: the plan names what to set; --save-complexity records it."""
    root = tmp_path / "profile"
    assert run(root, "init")[0] == 0
    team = [{"user_id": "u-lead", "name": "王审核", "role": "lead", "competence_codes": ["17.06"]},
            {"user_id": "u-aud", "name": "李审核", "role": "auditor", "competence_codes": ["17.06"]}]
    source = tmp_path / "audit.json"
    source.write_text(json.dumps(audit_data(id="ems-audit-1", standards=["ISO 14001:2015"], team=team,
                                            start_date="2026-11-02", end_date="2026-11-05")), "utf-8")
    assert run(root, "audit", "import", str(source))[0] == 0
    out = tmp_path / "plan.pdf"
    code, _out, err = run(root, "plan", "ems-audit-1", "--format", "pdf", "--out", str(out))
    assert code != 0 and "Traceback" not in err and not out.exists()
    assert "ISO 14001:2015" in err and "环境/职业健康安全复杂程度类别" in err and "--save-complexity" in err
    code, _out, err = run(root, "plan", "ems-audit-1", "--format", "pdf", "--out", str(out), "--complexity",
                          "limited", "--save-complexity")
    assert code == 0, err
    with open_profile(root, passphrase=PASSPHRASE) as session:
        assert session.store.audits.get("ems-audit-1").complexity == {Standard.ISO14001: Complexity.LIMITED}
    code, _out, err = run(root, "plan", "ems-audit-1", "--format", "pdf", "--out", str(out))
    assert code == 0, err
    assert "有限复杂程度" in "".join(pages(out))
