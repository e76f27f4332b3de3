"""Plans from the store: clauses from the catalogues, IAF MD 5 days for the audit type, docx and PDF."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import docx
import pytest

from app.domain import ChecklistItem
from app.domain.audit import Standard
from app.errors import ValidationFailed
from app.planning.md5_tables import Complexity
from app.planning.plan_builder import audit_time_for, build_plan, clause_specs, days_for
from app.planning.schedule import PlanningError, assignments, revalidate
from app.planning.schedule_model import Activity
from app.services import documents
from app.services.documents import TemplateNeedsDocx, UnknownFormat
from tests.app.documents.conftest import DEMO_AUDITS, populate
from tests.app.reporting.conftest import pdf_text, soffice_to_pdf
from tests.factories import make_audit

PLAN_DAYS = {"qms": 5.5, "integrated": 3.5, "ohs": 4.5}


def test_clause_specs_cover_every_main_clause() -> None:
    audit = make_audit(**DEMO_AUDITS["integrated"])
    specs = clause_specs(audit, language="en")
    by_standard = {s: [spec.clause for spec in specs if spec.standard == s]
                   for s in ("ISO 9001:2015", "ISO 14001:2015")}
    assert by_standard["ISO 9001:2015"][:3] == ["4.1", "4.2", "4.3"] and "10.3" in by_standard["ISO 9001:2015"]
    assert "8.5" in by_standard["ISO 9001:2015"] and "9.1" in by_standard["ISO 14001:2015"]
    assert {spec.clause for spec in specs if spec.technical} == {c for cs in by_standard.values() for c in cs
                                                                 if c.startswith("8.")}
    assert next(s for s in specs if s.clause == "7.1" and s.standard == "ISO 9001:2015").title == "Resources"
    assert next(s for s in clause_specs(audit) if s.clause == "7.1").title == "资源"


def test_checklist_clauses_below_main_clauses_add_nothing_new() -> None:
    audit = make_audit()
    item = ChecklistItem(audit_id=audit.id, standard="ISO 9001:2015", clause="7.1.5.2")
    assert clause_specs(audit, [item]) == clause_specs(audit)


def test_days_follow_the_audit_type_and_offsite_share() -> None:
    stage2 = make_audit(**DEMO_AUDITS["qms"])
    time = audit_time_for(stage2)
    assert days_for(stage2, time) == time.stage2_days == 6.5
    assert days_for(stage2, audit_time_for(stage2, offsite_percent=20)) == 5.5
    surveillance = make_audit(**DEMO_AUDITS["integrated"])
    with pytest.raises(ValidationFailed, match="复杂程度"):
        audit_time_for(surveillance)
    time = audit_time_for(surveillance, {Standard.ISO14001: Complexity.MEDIUM})
    assert days_for(surveillance, time) == time.surveillance_days
    special = make_audit(audit_type="special")
    with pytest.raises(ValidationFailed, match="特殊审核"):
        days_for(special, audit_time_for(special))


def test_too_little_time_in_the_dates_is_refused() -> None:
    with pytest.raises(PlanningError, match=r"6\.5"):
        build_plan(make_audit(**DEMO_AUDITS["qms"]))


@pytest.mark.parametrize("key", ["qms", "integrated", "ohs"])
def test_demo_plans_hold_every_rule(key: str) -> None:
    audit = make_audit(**DEMO_AUDITS[key])
    result = build_plan(audit, days=PLAN_DAYS[key])
    assert revalidate(result.plan) == [] and result.audit_time is None
    covered = {(ref.standard, ref.clause) for slot in result.plan.slots for ref in slot.clauses}
    assert covered == {(spec.standard, spec.clause) for spec in clause_specs(audit)}
    assert {slot.activity for slot in result.plan.slots} == set(Activity)
    assert set(assignments(result.plan)) <= {member.user_id for member in audit.team}


def test_plan_with_md5_time() -> None:
    audit = make_audit(**{**DEMO_AUDITS["qms"], "end_date": "2026-12-10"})
    result = build_plan(audit, offsite_percent=20)
    assert result.plan.audit_days == 5.5 and result.audit_time is not None
    assert revalidate(result.plan) == []


@pytest.mark.slow
@pytest.mark.parametrize("key", ["qms", "ohs"])
def test_plan_documents(session: object, key: str, tmp_path: Path) -> None:
    demo = populate(session, key)  # type: ignore[arg-type]
    # The CB's name is in the Word header only: plan_document does not print it in the body (yet).
    words = {"zh_CN": ["审核计划", "首次会议", "末次会议", "审核组长", demo.audit.client.name],
             "en": ["Audit plan", "Opening", "Closing", "Lead auditor", demo.audit.client.name]}
    for language, expected in words.items():
        for fmt in ("docx", "pdf"):
            out = tmp_path / f"plan-{language}.{fmt}"
            produced = documents.produce_plan(demo.session, demo.audit.id, fmt=fmt, out=out, language=language,
                                              days=PLAN_DAYS[key], cb_name="华信认证中心")
            assert produced.result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
        pdf = re.sub(r"\s+", "", pdf_text(tmp_path / f"plan-{language}.pdf"))
        assert [w for w in expected if re.sub(r"\s+", "", w) not in pdf] == []
        word = docx.Document(io.BytesIO((tmp_path / f"plan-{language}.docx").read_bytes()))
        assert "华信认证中心" in word.sections[0].header.paragraphs[0].text
        converted = re.sub(r"\s+", "", pdf_text(soffice_to_pdf(tmp_path / f"plan-{language}.docx", tmp_path)))
        assert [w for w in expected if re.sub(r"\s+", "", w) not in converted] == []
    records = documents.produced_documents(demo.session.store, demo.audit.id)
    assert [(r["kind"], r["format"]) for r in records] == [("plan", "docx"), ("plan", "pdf")] * 2


def test_plan_formats_and_templates_are_checked(session: object, tmp_path: Path) -> None:
    demo = populate(session, "qms")  # type: ignore[arg-type]
    with pytest.raises(UnknownFormat, match="docx, pdf"):
        documents.produce_plan(demo.session, demo.audit.id, fmt="ofd", out=tmp_path / "p.ofd", days=5)
    with pytest.raises(TemplateNeedsDocx):
        documents.produce_report(demo.session, demo.audit.id, fmt="pdf", out=tmp_path / "r.pdf",
                                 template=tmp_path / "t.docx", conclusions=demo.conclusions)
    assert not (tmp_path / "r.pdf").exists()
    assert documents.produced_documents(demo.session.store, demo.audit.id) == []
