"""Shared set-up for signing tests: an audit with answered findings and a drawn signature."""

from __future__ import annotations

import math
from typing import Any

from app.findings import service
from app.signing.signoff import Representative
from app.signing.strokes import Strokes, parse_strokes
from tests.factories import make_audit, make_finding

REP = Representative(name="陈经理", title="质量经理", id_type="居民身份证", id_number="110101199003071234",
                     account="rep")


def drawn_signature(points: int = 120) -> Strokes:
    """A plausible hand-drawn signature: two strokes, points 8 ms apart."""
    first = [(20 + i * 3, 60 + int(25 * math.sin(i / 6)), i * 8) for i in range(points)]
    start = points * 8 + 150
    second = [(60 + i * 2, 40 + i, start + i * 8) for i in range(points // 3)]
    return parse_strokes({"width": 600, "height": 200, "started_at": "2026-12-03T09:30:00+08:00",
                          "input": "pen", "strokes": [first, second]})


def audit_with_findings(store: Any, count: int = 2, grade: str = "minor_nc") -> tuple[str, list[str]]:
    audit = make_audit(team=[{"user_id": "u-lead", "name": "王审核", "role": "lead"}])
    with store.unit_of_work("u-lead") as uow:
        uow.create(audit)
    ids = []
    for index in range(count):
        finding = service.raise_finding(store, "u-lead", "lead",
                                        make_finding(audit.id, grade=grade, statement=f"第{index + 1}项：量具超期。"))
        action = "dispute" if index == 1 else "acknowledge"
        comment = "有异议" if index == 1 else "已阅"
        service.move(store, "rep", "auditee", finding.id, action, {"auditee_comment": comment})
        ids.append(finding.id)
    return audit.id, ids
