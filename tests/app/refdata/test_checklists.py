"""Checklist templates and instantiation for single and integrated audits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain import ChecklistItem
from app.errors import FieldAuditError
from app.refdata import (
    build_checklist_items,
    covered_pairs,
    install_template,
    instantiate_checklist,
    leaf_clauses,
    load_template,
    missing_items,
    parse_ref,
)
from app.refdata.checklists import TEMPLATE_FOLDER, TemplateError, UnknownStandard, available_templates

Q, E, H = "ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"


@pytest.mark.parametrize("standard", [Q, E, H])
def test_single_standard_checklist_has_one_item_per_leaf_clause(standard: str) -> None:
    drafts = instantiate_checklist([standard])
    assert [d.clause for d in drafts] == [leaf.number for leaf in leaf_clauses(standard)]
    assert all(d.standard == standard and not d.also_covers for d in drafts)
    for draft in drafts:
        assert draft.question_zh and draft.question_en and draft.guidance_zh and draft.guidance_en
        assert "{system}" not in draft.question_zh + draft.question_en
        assert "是否满足“" not in draft.question_zh, f"no own question for {standard} {draft.clause}"


def test_single_standard_questions_name_the_system() -> None:
    first = instantiate_checklist([E])[0]
    assert "环境管理体系" in first.question_zh
    assert "environmental management system" in first.question_en


def test_iso9001_and_14001_merge_common_clauses_once_in_both_languages() -> None:
    drafts = instantiate_checklist([Q, E])
    pairs = [(d.standard, d.clause) for d in drafts]
    assert len(pairs) == len(set(pairs))
    covered = covered_pairs(drafts)
    for standard in (Q, E):
        for leaf in leaf_clauses(standard):
            assert (standard, leaf.number) in covered
    merged = {d.clause: d for d in drafts if d.also_covers}
    assert merged["7.2"].also_covers == ("ISO 14001:2015 7.2",)
    assert merged["5.1.1"].also_covers == ("ISO 14001:2015 5.1",)
    assert "管理体系" in merged["4.1"].question_zh and "质量管理体系" not in merged["4.1"].question_zh
    assert "management system" in merged["4.1"].question_en
    assert not any(d.standard == E and d.clause == "7.2" for d in drafts)
    assert any(d.standard == E and d.clause == "6.1.2" for d in drafts)  # EMS-only clause kept
    assert len(drafts) == len(leaf_clauses(Q)) + len(leaf_clauses(E)) - len(merged)
    for draft in drafts:
        for ref in draft.also_covers:
            assert parse_ref(ref) is not None


def test_three_standards_merge_and_the_order_follows_the_audit() -> None:
    drafts = instantiate_checklist([H, Q, E])
    assert drafts[0].standard == H
    merged = next(d for d in drafts if d.clause == "8.2" and d.standard == H)
    assert merged.also_covers == ("ISO 14001:2015 8.2",)
    seven_two = next(d for d in drafts if d.clause == "7.2")
    assert set(seven_two.also_covers) == {"ISO 9001:2015 7.2", "ISO 14001:2015 7.2"}


def test_round_trip_into_domain_models(tmp_path: Path) -> None:
    items = build_checklist_items("audit-1", ["GB/T 19001-2016", "GB/T 24001-2016"], language="en")
    assert all(isinstance(item, ChecklistItem) for item in items)
    drafts = instantiate_checklist([Q, E])
    assert [(i.standard, i.clause, tuple(i.also_covers), i.question) for i in items] == \
        [(d.standard, d.clause, d.also_covers, d.question_en) for d in drafts]
    dumped = [item.model_dump(mode="json") for item in items]
    again = [ChecklistItem.model_validate(data) for data in json.loads(json.dumps(dumped))]
    assert again == items
    chinese = build_checklist_items("audit-1", [Q, E])
    assert chinese[0].question == drafts[0].question_zh


def test_unknown_standard_is_a_user_error() -> None:
    with pytest.raises(UnknownStandard) as raised:
        instantiate_checklist(["ISO 50001:2018"])
    assert isinstance(raised.value, FieldAuditError)


def test_shipped_template_is_versioned_and_loaded() -> None:
    template = load_template()
    assert template.template_id == "fieldaudit-core"
    assert template.version == "2026.1"
    assert instantiate_checklist([Q])[0].template_version == "2026.1"
    assert list(TEMPLATE_FOLDER.glob("*.json"))


def pushed_payload(version: str) -> dict[str, object]:
    payload = json.loads(next(TEMPLATE_FOLDER.glob("*.json")).read_text(encoding="utf-8"))
    payload["version"] = version
    payload["common"]["7.2"] = {"zh": "新问题：能力？", "en": "New question: competence?",
                                "guidance_zh": "新指南", "guidance_en": "new guidance"}
    return dict(payload)


def test_platform_pushed_template_wins_and_never_rewrites_existing_items(tmp_path: Path) -> None:
    old_items = build_checklist_items("audit-1", [Q])
    answered = old_items[5].model_copy(update={"notes": "answered on site"})
    path = install_template(pushed_payload("2026.2"), tmp_path)
    assert path.exists()
    newest = load_template(tmp_path)
    assert newest.version == "2026.2"
    assert load_template(tmp_path, version="2026.1").version == "2026.1"
    # Integrating ISO 14001 later only adds its own clauses; every existing item stays as it was.
    existing = covered_pairs(old_items)
    added = missing_items(existing, [Q, E], newest)
    assert added and all((d.standard, d.clause) not in existing for d in added)
    assert all(d.standard == E for d in added)
    assert answered.notes == "answered on site"
    assert next(d for d in instantiate_checklist([Q], newest) if d.clause == "7.2").question_en == \
        "New question: competence?"


def test_bad_pushed_templates_are_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError):
        install_template({"template_id": "x"}, tmp_path)
    broken = pushed_payload("2026.3")
    broken["common"]["4.1"] = {"zh": "only Chinese"}  # type: ignore[index]
    with pytest.raises(TemplateError):
        install_template(broken, tmp_path)
    (tmp_path / "garbage.json").write_text("{not json", encoding="utf-8")
    assert [t.version for t in available_templates(tmp_path)] == ["2026.1"]
    with pytest.raises(TemplateError):
        load_template(tmp_path, version="1999.1")
