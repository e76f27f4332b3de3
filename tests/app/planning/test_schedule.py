"""Plan generation: every clause covered, nobody outside competence, no double booking."""

from __future__ import annotations

import itertools
from datetime import date, time

import pytest

from app.domain.audit import Audit, AuditType, Organisation, Site, Standard, TeamMember, TeamRole
from app.errors import ValidationFailed
from app.i18n import set_language
from app.planning.competence import covers, uncovered
from app.planning.schedule import PlanningError, assignments, generate, revalidate
from app.planning.schedule_model import Activity, Block, ClauseSpec, WorkingHours

QMS = "ISO 9001:2015"
EMS = "ISO 14001:2015"
QMS_CLAUSES = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "7.1", "7.2", "7.3", "7.4",
               "7.5", "8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7", "9.1", "9.2", "9.3", "10.1", "10.2", "10.3"]
EMS_CLAUSES = ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "7.1", "7.2", "7.3", "7.4", "7.5",
               "8.1", "8.2", "9.1", "9.2", "9.3", "10.1", "10.2", "10.3"]


def member(user_id: str, role: TeamRole, *codes: str) -> TeamMember:
    return TeamMember(user_id=user_id, name=user_id, role=role, competence_codes=list(codes))


def make_audit(team: list[TeamMember], days: int = 3, scope: tuple[str, ...] = ("17.12",)) -> Audit:
    client = Organisation(name="某机械有限公司", uscc="91350100M000100Y43", region_code="350100",
                          industry_code="C", representative="王经理")
    return Audit(title="t", client=client, standards=[Standard.ISO9001, Standard.ISO14001],
                 scope_codes=list(scope), audit_type=AuditType.STAGE2, start_date=date(2026, 3, 2),
                 end_date=date(2026, 3, 1 + days), effective_personnel=100,
                 sites=[Site(name="总部", processes=["管理", "设计"]), Site(name="工厂", processes=["生产", "仓储"])],
                 team=team)


def clause_list() -> list[ClauseSpec]:
    specs = [ClauseSpec(standard=QMS, clause=c, technical=c.startswith("8")) for c in QMS_CLAUSES]
    specs += [ClauseSpec(standard=EMS, clause=c, technical=c.startswith("8")) for c in EMS_CLAUSES]
    specs.append(ClauseSpec(standard=QMS, clause="8.5.4", process="仓储", technical=True))
    return specs


TEAM = [member("lead", TeamRole.LEAD, "29"), member("a1", TeamRole.AUDITOR, "17.12"),
        member("a2", TeamRole.AUDITOR), member("x1", TeamRole.TECHNICAL_EXPERT, "17"),
        member("obs", TeamRole.OBSERVER)]


def test_generated_plan_holds_every_rule() -> None:
    plan = generate(make_audit(TEAM), clause_list(), 7.5, contacts={"工厂": "李主任", "总部/": "王经理"})
    assert revalidate(plan) == []
    audited = [slot for slot in plan.slots if slot.activity is Activity.AUDIT]
    covered = {(ref.standard, ref.clause) for slot in audited for ref in slot.clauses}
    assert covered == {(spec.standard, spec.clause) for spec in clause_list()}
    technical = {(s.standard, s.clause) for s in clause_list() if s.technical}
    team = {m.user_id: m for m in TEAM}
    for slot in audited:
        assert slot.auditor in {"lead", "a1", "a2"}  # never the observer or the expert alone
        if any((ref.standard, ref.clause) in technical for ref in slot.clauses):
            expert = team[slot.expert] if slot.expert else None
            assert not uncovered(["17.12"], team[slot.auditor], expert)
    assert {slot.activity for slot in plan.slots} == {Activity.OPENING, Activity.AUDIT, Activity.CLOSING}
    assert all(slot.contact == "李主任" for slot in audited if slot.site == "工厂")
    process_slots = [slot for slot in audited if any(ref.clause == "8.5.4" for ref in slot.clauses)]
    assert {slot.site for slot in process_slots} == {"工厂"} and process_slots[0].process == "仓储"
    total = sum(slot.minutes for slot in plan.slots if slot.auditor in {"lead", "a1", "a2"})
    assert abs(total - 7.5 * 480) <= 30


def test_no_double_booking_and_working_hours() -> None:
    plan = generate(make_audit(TEAM), clause_list(), 7.5)
    for person in ("lead", "a1", "a2", "x1"):
        mine = sorted((s.day, s.start, s.end) for s in plan.slots if person in (s.auditor, s.expert))
        for (day_a, _, end_a), (day_b, start_b, _) in itertools.pairwise(mine):
            assert day_a != day_b or start_b >= end_a
    for slot in plan.slots:
        assert (time(8, 30) <= slot.start and slot.end <= time(12, 0)) or (
            time(13, 0) <= slot.start and slot.end <= time(17, 30))


def test_expert_accompanies_when_no_auditor_is_competent() -> None:
    team = [member("lead", TeamRole.LEAD), member("a1", TeamRole.AUDITOR, "18"),
            member("x1", TeamRole.TECHNICAL_EXPERT, "17.12")]
    plan = generate(make_audit(team), clause_list(), 5)
    technical_slots = [s for s in plan.slots if s.activity is Activity.AUDIT and s.clauses[0].clause.startswith("8")]
    assert technical_slots and all(slot.expert == "x1" for slot in technical_slots)
    assert revalidate(plan) == []


def test_nobody_competent_is_a_clear_error() -> None:
    team = [member("lead", TeamRole.LEAD, "29"), member("x1", TeamRole.TECHNICAL_EXPERT, "18")]
    with pytest.raises(PlanningError) as caught:
        generate(make_audit(team), clause_list(), 4)
    set_language("en")
    assert "17.12" in str(caught.value)


def test_not_enough_dates_or_bad_inputs() -> None:
    with pytest.raises(PlanningError):
        generate(make_audit(TEAM, days=1), clause_list(), 7.5)  # 3 auditors x 1 day < 7.5
    with pytest.raises(PlanningError):
        generate(make_audit([member("x1", TeamRole.TECHNICAL_EXPERT, "17")]), clause_list(), 2)
    with pytest.raises(PlanningError):
        generate(make_audit(TEAM), [], 2)
    with pytest.raises(PlanningError):
        generate(make_audit(TEAM), [ClauseSpec(standard=QMS, clause="8.5", process="电镀")], 2)
    with pytest.raises(ValidationFailed):
        generate(make_audit(TEAM), clause_list(), 0)
    with pytest.raises(PlanningError):
        generate(make_audit(TEAM), clause_list() + clause_list()[:1], 5)


def test_revalidate_flags_edits() -> None:
    plan = generate(make_audit(TEAM), clause_list(), 7.5)
    slots = list(plan.slots)
    audit_indexes = [i for i, s in enumerate(slots) if s.activity is Activity.AUDIT]
    first, second = audit_indexes[0], audit_indexes[1]
    technical_index = next(i for i in audit_indexes if slots[i].clauses[0].clause.startswith("8"))
    dropped = slots[audit_indexes[-1]]
    slots[first] = slots[first].model_copy(update={"start": time(7, 0)})
    slots[second] = slots[second].model_copy(update={"auditor": "obs"})
    slots[technical_index] = slots[technical_index].model_copy(update={"auditor": "a2", "expert": None})
    clash = slots[technical_index].model_copy(update={"clauses": []})
    slots.append(clash)
    slots.remove(dropped)
    slots.append(slots[0].model_copy(update={"day": date(2026, 4, 1), "auditor": "ghost",
                                             "site": "分厂"}))
    edited = plan.model_copy(update={"slots": slots})
    codes = {problem.code for problem in revalidate(edited)}
    assert {"outside_hours", "not_auditor", "not_competent", "double_booked", "outside_dates",
            "not_member", "unknown_site"} <= codes
    if not any(ref in [r for s in slots for r in s.clauses] for ref in dropped.clauses):
        assert "not_covered" in codes
    set_language("en")
    messages = [problem.message() for problem in revalidate(edited)]
    assert any("outside working hours" in text for text in messages)
    set_language("zh_CN")
    assert all("{" not in problem.message() for problem in revalidate(edited))


def test_shortened_plan_is_flagged() -> None:
    plan = generate(make_audit(TEAM), clause_list(), 7.5)
    shorter = plan.model_copy(update={"audit_days": 9.0})
    assert [p.code for p in revalidate(shorter)] == ["too_short"]


def test_assignments_feed_the_checklist() -> None:
    plan = generate(make_audit(TEAM), clause_list(), 7.5)
    assigned = assignments(plan)
    assert set(assigned) <= {"lead", "a1", "a2"}
    flat = {(ref.standard, ref.clause) for refs in assigned.values() for ref in refs}
    assert len(flat) == len(clause_list())


def test_working_hours_and_codes() -> None:
    assert covers("17", "17.12.01") and covers("17.12", "17.12") and not covers("17.1", "17.12")
    with pytest.raises(ValueError):
        WorkingHours(blocks=[Block(start=time(9), end=time(12)), Block(start=time(11), end=time(15))])
    short = WorkingHours(blocks=[Block(start=time(9), end=time(15))])
    plan = generate(make_audit(TEAM, days=5), clause_list(), 7.5, hours=short)
    assert revalidate(plan) == []
    assert all(time(9) <= s.start and s.end <= time(15) for s in plan.slots)
