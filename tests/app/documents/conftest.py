"""Demo-like audits in a real profile: checklist from the catalogue, findings, photos, signatures."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image as PILImage

from app.domain import Answer, Audit, ChecklistItem, Finding, Signature, SignatureMethod
from app.domain.base import parse
from app.evidence import EvidenceService
from app.refdata import instantiate_checklist
from app.reporting.report_input import ReportInput
from app.services.session import Session
from tests.factories import make_audit

LEAD = {"user_id": "u-wangfang", "name": "王芳", "role": "lead", "competence_codes": ["19", "14", "17"]}
AUDITOR = {"user_id": "u-zhangwei", "name": "张伟", "role": "auditor", "competence_codes": ["19", "28"]}
AUDITOR2 = {"user_id": "u-liuyang", "name": "刘洋", "role": "auditor", "competence_codes": ["14", "19"]}
LEAD2 = {"user_id": "u-liqiang", "name": "李强", "role": "lead", "competence_codes": ["28", "34"]}

# Modelled on the demo platform's three audits (central/services/demo_data.py).
DEMO_AUDITS: dict[str, dict[str, Any]] = {
    "qms": {
        "title": "申联电缆 ISO 9001 第二阶段审核", "standards": ["ISO 9001:2015"], "scope_codes": ["19"],
        "audit_type": "stage2", "start_date": "2026-12-07", "end_date": "2026-12-09", "effective_personnel": 180,
        "scope": "电线电缆（额定电压 0.6/1 kV 及以下电力电缆）的设计和生产", "team": [LEAD, AUDITOR],
        "client": {"name": "上海申联电缆有限公司", "uscc": "91350100M000100Y43",
                   "address": "上海市浦东新区川沙路 1888 号", "region_code": "310115", "industry_code": "C3831",
                   "representative": "陈静"},
        "sites": [{"name": "川沙生产基地", "address": "上海市浦东新区川沙路 1888 号", "personnel": 160,
                   "processes": ["拉丝", "绞线", "挤塑", "成缆", "检验"]}],
    },
    "integrated": {
        "title": "南山塑胶 ISO 9001 + ISO 14001 结合审核（第一次监督）",
        "standards": ["ISO 9001:2015", "ISO 14001:2015"], "scope_codes": ["14"], "audit_type": "surveillance",
        "start_date": "2026-12-14", "end_date": "2026-12-15", "effective_personnel": 95, "team": [LEAD, AUDITOR2],
        "scope": "日用塑料制品（注塑成型收纳盒、餐具）的生产及相关环境管理活动",
        "client": {"name": "深圳市南山塑胶制品有限公司", "uscc": "91350100M000100Y43",
                   "address": "深圳市南山区西丽街道留仙大道 3370 号", "region_code": "440305",
                   "industry_code": "C2927", "representative": "黄海"},
        "sites": [{"name": "西丽厂区", "address": "深圳市南山区留仙大道 3370 号", "personnel": 95,
                   "processes": ["注塑", "装配", "包装", "危废暂存"]}],
    },
    "ohs": {
        "title": "吴中建设 ISO 45001 再认证审核", "standards": ["ISO 45001:2018"], "scope_codes": ["28"],
        "audit_type": "recertification", "start_date": "2026-12-21", "end_date": "2026-12-23",
        "effective_personnel": 320, "team": [LEAD2, AUDITOR],
        "scope": "房屋建筑工程施工总承包（资质范围内）及相关职业健康安全管理活动",
        "client": {"name": "苏州吴中建设工程有限公司", "uscc": "91350100M000100Y43",
                   "address": "苏州市吴中区东吴北路 98 号", "region_code": "320506", "industry_code": "E4710",
                   "representative": "周敏"},
        "sites": [{"name": "公司总部", "address": "苏州市吴中区东吴北路 98 号", "personnel": 60,
                   "processes": ["项目策划", "采购", "安全管理"]},
                  {"name": "吴中区人才公寓项目部", "address": "苏州市吴中区越溪街道", "personnel": 260,
                   "processes": ["土建施工", "脚手架", "起重吊装"]}],
    },
}

FINDINGS: dict[str, list[dict[str, Any]]] = {
    "qms": [{"clause_refs": [{"standard": "ISO 9001:2015", "clause": "7.1.5.2"}], "grade": "minor_nc",
             "requirement": "测量设备应按规定的时间间隔进行校准或检定。",
             "objective_evidence": "挤塑车间外径测量仪（编号 SL-JC-017）校准有效期至 2026-10-31，已过期仍在使用。",
             "statement": "部分监视和测量设备未按规定周期校准。"},
            {"clause_refs": [{"standard": "ISO 9001:2015", "clause": "9.2"}], "grade": "opportunity",
             "statement": "内审检查表可按过程细化。"}],
    "integrated": [{"clause_refs": [{"standard": "ISO 14001:2015", "clause": "6.1.3"},
                                    {"standard": "ISO 14001:2015", "clause": "9.1.2"}], "grade": "major_nc",
                    "objective_evidence": "危险废物转移未执行转移联单制度，2026 年 9—11 月无联单记录。",
                    "statement": "危险废物转移未执行联单管理，合规性评价未识别该问题。"},
                   {"clause_refs": [{"standard": "ISO 9001:2015", "clause": "9.2"}], "grade": "observation",
                    "statement": "结合体系内审方案的覆盖面可进一步完善。"}],
    "ohs": [{"clause_refs": [{"standard": "ISO 45001:2018", "clause": "8.2"}], "grade": "minor_nc",
             "statement": "项目部未按应急预案开展专项演练。", "state": "acknowledged",
             "auditee_comment": "情况属实，已安排 12 月底前完成演练。"}],
}

CONCLUSIONS = {
    "cb_name": "华信认证中心有限公司",
    "objectives_fulfilled": True,
    "deviations": "无偏离审核计划的情况。",
    "changes": "自上次审核以来组织结构和生产工艺无重大变更。",
    "marks_use": "认证证书和标志的使用符合认证机构的规定。",
    "conformity": "管理体系总体符合审核准则的要求。",
    "effectiveness": "管理体系得到有效实施，能够实现预期结果。",
    "internal_audit": "内部审核和管理评审已按策划实施，输出得到跟踪。",
    "scope_appropriate": True,
    "recommendation": "recommend_after_actions",
    "previous_actions": "上次审核的 2 项轻微不符合的纠正措施已验证有效。",
}


def photo(color: tuple[int, int, int], size: tuple[int, int] = (800, 600)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class Demo:
    session: Session
    audit: Audit
    findings: list[Finding]

    @property
    def conclusions(self) -> ReportInput:
        return parse(ReportInput, CONCLUSIONS)


def populate(session: Session, key: str, *, answer_all: bool = True) -> Demo:
    audit = make_audit(**DEMO_AUDITS[key])
    drafts = instantiate_checklist([str(s) for s in audit.standards])
    items = [ChecklistItem(audit_id=audit.id, **draft.item_fields("zh_CN"), question_en=draft.question_en,
                           template_version=draft.template_version,
                           answer=Answer.CONFORMING if answer_all else None) for draft in drafts]
    findings = [parse(Finding, {"audit_id": audit.id, "raised_by": "u-zhangwei", **data}) for data in FINDINGS[key]]
    with session.store.unit_of_work("test") as uow:
        uow.create(audit)
        for item in items:
            uow.create(item)
        for finding in findings:
            uow.create(finding)
    service = EvidenceService.for_session(session)
    first = findings[0]
    service.import_bytes(audit.id, photo((200, 40, 40)), "gauge-label.jpg", finding_id=first.id,
                         caption="外径测量仪校准标签")
    service.import_bytes(audit.id, photo((40, 120, 200)), "workshop.jpg", finding_id=first.id, caption="挤塑车间")
    service.import_bytes(audit.id, photo((10, 10, 10)), "ledger.jpg", finding_id=first.id, caption="客户台账",
                         sensitive=True)
    signed = Signature(audit_id=audit.id, signer=str(audit.client.representative), role="auditee",
                       method=SignatureMethod.HANDWRITTEN, subject="findings", signed_hash="ab" * 32,
                       signed_at=datetime(2026, 12, 9, 10, 0, tzinfo=UTC))
    with session.store.unit_of_work("test") as uow:
        uow.create(signed)
    return Demo(session, audit, findings)


@pytest.fixture
def demo(session: Session) -> Iterator[Demo]:
    yield populate(session, "qms")
