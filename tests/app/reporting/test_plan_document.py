"""The audit plan rendered in all three formats, in Chinese and English, from one model."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import pytest

from app.planning.audit_time import AuditTimeRequest, SystemSpec, calculate
from app.planning.md5_tables import System
from app.planning.schedule import generate
from app.reporting.docx_writer import write_docx
from app.reporting.model import Table
from app.reporting.ofd import write_ofd
from app.reporting.pdf import keep_none_alive, render_pdf, write_pdf
from app.reporting.plan_document import plan_document
from tests.app.planning.test_schedule import TEAM, clause_list, make_audit
from tests.app.reporting.conftest import pdf_text


@pytest.fixture
def plan():  # type: ignore[no-untyped-def]
    return generate(make_audit(TEAM), clause_list(), 7.5, contacts={"工厂": "李主任"})


@pytest.mark.parametrize(("language", "words"), [
    ("zh_CN", ["审核计划", "首次会议", "末次会议", "受审核方联系人", "审核组长", "第二阶段", "李主任"]),
    ("en", ["Audit plan", "Opening meeting", "Closing meeting", "Auditee contact", "Lead auditor", "Stage 2"]),
])
def test_plan_in_every_format(plan, language: str, words: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    audit_time = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100))
    document = plan_document(plan, language=language, audit_time=audit_time, cb_name="华信认证中心")
    schedule = next(b for s in document.blocks for b in getattr(s, "blocks", []) if isinstance(b, Table)
                    and len(b.header) == 8)
    assert len(schedule.rows) >= len({(s.day, s.start, s.auditor) for s in plan.slots if s.clauses}) // 2
    write_pdf(document, tmp_path / "plan.pdf")
    pdf = pdf_text(tmp_path / "plan.pdf").replace(" ", "").replace("\n", "")
    for phrase in words:  # narrow table columns wrap phrases: check their first word
        assert phrase.split()[0] in pdf
    assert "ISO9001:20158.5.4" in pdf and "86–125" in pdf
    ofdkit = pytest.importorskip("ofdkit")
    with ofdkit.open(str(write_ofd(document, tmp_path / "plan.ofd").path)) as opened:
        assert words[0] in opened.text()
    write_docx(document, tmp_path / "plan.docx")
    opened_docx = docx.Document(io.BytesIO((tmp_path / "plan.docx").read_bytes()))
    text = "\n".join(p.text for p in opened_docx.paragraphs) + "\n".join(
        c.text for t in opened_docx.tables for r in t.rows for c in r.cells)
    assert "华信认证中心" in opened_docx.sections[0].header.paragraphs[0].text
    assert all(phrase in text for phrase in words)


def test_plan_that_no_longer_holds_says_so(plan) -> None:  # type: ignore[no-untyped-def]
    kept = [slot for slot in plan.slots if not any(ref.clause == "9.2" for ref in slot.clauses)]
    broken = plan.model_copy(update={"slots": kept})
    document = plan_document(broken, language="en")
    assert "Plan checks not passed" in document.text() and "9.2" in document.text()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qt_painting_does_not_drain_none_references(plan) -> None:  # type: ignore[no-untyped-def]
    document = plan_document(plan)
    before = sys.getrefcount(None)
    with keep_none_alive():
        render_pdf(document)
        render_pdf(document)
    assert sys.getrefcount(None) >= before - 50
