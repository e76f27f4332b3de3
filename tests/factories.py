"""Valid domain objects for tests (real codes, real validation)."""

from __future__ import annotations

from typing import Any

from app.domain import Audit, ChecklistItem, Finding
from app.domain.base import parse

VALID_USCC = "91350100M000100Y43"


def audit_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "某制造有限公司 ISO 9001 第二阶段审核",
        "client": {"name": "某制造有限公司", "uscc": VALID_USCC, "address": "福建省福州市鼓楼区",
                   "region_code": "350102", "industry_code": "C3311"},
        "sites": [{"name": "总部", "address": "福州", "personnel": 120, "processes": ["生产", "采购"]}],
        "scope": "金属结构件的生产",
        "standards": ["ISO 9001:2015"],
        "scope_codes": ["17.06"],
        "audit_type": "stage2",
        "start_date": "2026-12-01",
        "end_date": "2026-12-03",
        "effective_personnel": 120,
        "team": [{"user_id": "u-lead", "name": "王审核", "role": "lead", "competence_codes": ["17.06"]}],
    }
    data.update(overrides)
    return data


def make_audit(**overrides: Any) -> Audit:
    return parse(Audit, audit_data(**overrides))


def make_item(audit_id: str, clause: str = "7.1.5", **overrides: Any) -> ChecklistItem:
    return parse(ChecklistItem, {"audit_id": audit_id, "standard": "ISO 9001:2015", "clause": clause,
                                 "question": "监视和测量资源是否得到校准？", **overrides})


def make_finding(audit_id: str, **overrides: Any) -> Finding:
    return parse(Finding, {"audit_id": audit_id, "clause_refs": [{"standard": "ISO 9001:2015", "clause": "7.1.5"}],
                           "grade": "minor_nc", "statement": "两台游标卡尺超过校准有效期。", **overrides})
