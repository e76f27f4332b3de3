"""Realistic audits written through the real write path, for UI tests and screenshots."""

from __future__ import annotations

from typing import Any

from app.domain import Audit, ChecklistItem, Finding
from app.domain.base import parse
from app.store import Store
from tests.factories import audit_data

ME = "u-zhang"

# (standard, clause, question) — a small but realistic integrated QMS/EMS checklist.
QUESTIONS: list[tuple[str, str, str]] = [
    ("ISO 9001:2015", "4.1", "是否确定了与组织宗旨和战略方向相关的内外部因素？"),
    ("ISO 9001:2015", "4.2", "是否确定了相关方及其要求，并对其进行监视和评审？"),
    ("ISO 9001:2015", "4.4", "质量管理体系所需的过程及其相互作用是否已确定？"),
    ("ISO 9001:2015", "5.1.1", "最高管理者是否证实其对质量管理体系的领导作用和承诺？"),
    ("ISO 9001:2015", "5.2", "质量方针是否已制定、沟通并得到理解？"),
    ("ISO 9001:2015", "6.1", "是否策划了应对风险和机遇的措施？"),
    ("ISO 9001:2015", "6.2", "质量目标是否可测量，并已策划如何实现？"),
    ("ISO 9001:2015", "7.1.5", "监视和测量资源是否得到校准或检定，并保持有效标识？"),
    ("ISO 9001:2015", "7.2", "从事影响质量工作的人员是否具备能力，是否保留了证据？"),
    ("ISO 9001:2015", "7.5.3", "成文信息是否得到控制（发放、访问、保存和处置）？"),
    ("ISO 9001:2015", "8.4", "是否对外部提供的过程、产品和服务进行了控制？"),
    ("ISO 9001:2015", "8.5.1", "生产和服务提供是否在受控条件下进行？"),
    ("ISO 9001:2015", "8.7", "不合格输出是否得到识别和控制？"),
    ("ISO 9001:2015", "9.2", "是否按策划的时间间隔实施了内部审核？"),
    ("ISO 9001:2015", "9.3", "管理评审的输入和输出是否完整？"),
    ("ISO 9001:2015", "10.2", "对不合格是否采取了纠正措施并评价其有效性？"),
    ("ISO 14001:2015", "6.1.2", "是否识别了活动、产品和服务中的环境因素并确定重要环境因素？"),
    ("ISO 14001:2015", "6.1.3", "是否确定并获取了适用的合规义务？"),
    ("ISO 14001:2015", "8.2", "是否建立了应急准备和响应过程并定期演练？"),
    ("ISO 14001:2015", "9.1.2", "是否评价了合规义务的履行情况？"),
]


def integrated_audit(**overrides: Any) -> Audit:
    team = [
        {"user_id": "u-wang", "name": "王审核", "role": "lead", "competence_codes": ["17.06"]},
        {"user_id": ME, "name": "张敏", "role": "auditor", "competence_codes": ["17.06", "19"]},
        {"user_id": "u-li", "name": "李工", "role": "technical_expert", "competence_codes": ["19"]},
    ]
    data = audit_data(title="福州闽江精密机械有限公司 QMS/EMS 第二阶段审核",
                      standards=["ISO 9001:2015", "ISO 14001:2015"], team=team,
                      sites=[{"name": "鼓楼总部", "address": "福建省福州市鼓楼区工业路 88 号", "personnel": 120,
                              "processes": ["设计开发", "采购", "销售"]},
                             {"name": "马尾生产基地", "address": "福州市马尾区快安大道 16 号", "personnel": 260,
                              "processes": ["机加工", "装配", "检验"]}],
                      scope="金属结构件和精密机械零部件的设计、生产和销售", status="in_progress")
    data["client"]["name"] = "福州闽江精密机械有限公司"
    data["client"]["representative"] = "陈经理"
    data.update(overrides)
    return parse(Audit, data)


def seed(store: Store, extra_audits: int = 4, actor: str = ME) -> Audit:
    """One integrated audit with a checklist and a finding, plus a few more audits."""
    audit = integrated_audit()
    with store.unit_of_work(actor=actor) as uow:
        uow.create(audit)
        for n, (standard, clause, question) in enumerate(QUESTIONS):
            item = parse(ChecklistItem, {
                "audit_id": audit.id, "standard": standard, "clause": clause, "question": question,
                "assigned_to": ME if clause.startswith(("7", "8")) else "u-wang",
                "answer": ["conforming", None, "conforming", "observation", None][n % 5] if n < 8 else None,
            })
            uow.create(item)
        uow.create(parse(Finding, {
            "audit_id": audit.id, "clause_refs": [{"standard": "ISO 9001:2015", "clause": "7.1.5"}],
            "grade": "minor_nc", "requirement": "应对测量设备进行校准并保持有效状态标识。",
            "objective_evidence": "机加工车间 2 把游标卡尺（编号 JG-015、JG-021）校准有效期至 2026-09-30。",
            "statement": "两台游标卡尺超过校准有效期仍在使用。", "raised_by": ME}))
        clients = [("厦门海湾食品有限公司", "stage1", "ISO 9001:2015", "2026-12-10"),
                   ("泉州南安石材股份有限公司", "surveillance", "ISO 14001:2015", "2026-11-18"),
                   ("莆田鞋业制造有限公司", "recertification", "ISO 45001:2018", "2027-01-06"),
                   ("宁德新能源电池有限公司", "special", "ISO 9001:2015", "2026-10-22")]
        for name, kind, standard, start in clients[:extra_audits]:
            other = parse(Audit, audit_data(title=f"{name} 审核", audit_type=kind, standards=[standard],
                                            start_date=start, end_date=start,
                                            client={**audit_data()["client"], "name": name}))
            uow.create(other)
    return audit
