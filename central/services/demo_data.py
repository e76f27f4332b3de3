"""Content of the demo platform: one certification body, three clients, their audits and teams."""

from __future__ import annotations

from typing import Any

from central.services.demo_codes import uscc

CERTIFICATION_BODY = "华信认证中心有限公司"

# username, display name, platform role, IAF competence codes, organisation
PEOPLE: list[tuple[str, str, str, list[str], str]] = [
    ("admin", "平台管理员", "platform_admin", [], CERTIFICATION_BODY),
    ("wangfang", "王芳", "lead_auditor", ["19", "14", "17"], CERTIFICATION_BODY),
    ("liqiang", "李强", "lead_auditor", ["28", "34"], CERTIFICATION_BODY),
    ("zhangwei", "张伟", "auditor", ["19", "28"], CERTIFICATION_BODY),
    ("liuyang", "刘洋", "auditor", ["14", "19"], CERTIFICATION_BODY),
    ("rep-shenlian", "陈静（申联电缆）", "auditee", [], "上海申联电缆有限公司"),
    ("rep-nanshan", "黄海（南山塑胶）", "auditee", [], "深圳市南山塑胶制品有限公司"),
    ("rep-wuzhong", "周敏（吴中建设）", "auditee", [], "苏州吴中建设工程有限公司"),
]

CLIENTS: list[dict[str, Any]] = [
    {"name": "上海申联电缆有限公司", "uscc": uscc("9", "1", "310115", "67123456"),
     "address": "上海市浦东新区川沙路 1888 号", "region_code": "310115", "industry_code": "C3831",
     "representative": "陈静"},
    {"name": "深圳市南山塑胶制品有限公司", "uscc": uscc("9", "1", "440305", "71834502"),
     "address": "深圳市南山区西丽街道留仙大道 3370 号", "region_code": "440305", "industry_code": "C2927",
     "representative": "黄海"},
    {"name": "苏州吴中建设工程有限公司", "uscc": uscc("9", "1", "320506", "13925870"),
     "address": "苏州市吴中区东吴北路 98 号", "region_code": "320506", "industry_code": "E4710",
     "representative": "周敏"},
]

# The lead auditors' conclusions (the report's lead-auditor part), so every demo audit's report can be
# produced; tests clear some of them to show the list of what a report still lacks.
CONCLUSIONS_SHENLIAN: dict[str, Any] = {
    "cb_name": CERTIFICATION_BODY, "objectives_fulfilled": True, "deviations": "无偏离审核计划的情况。",
    "conformity": "质量管理体系总体符合 ISO 9001:2015 的要求，文件化信息完整。",
    "effectiveness": "质量管理体系得到有效实施，产品一次交验合格率等质量目标均已实现。",
    "internal_audit": "2026 年 9 月完成覆盖全部过程的内部审核，10 月完成管理评审，输出已跟踪落实。",
    "scope_appropriate": True, "recommendation": "recommend_after_actions",
    "recommendation_note": "一般不符合项的纠正措施计划须在 30 天内提交并经审核组认可。",
}
CONCLUSIONS_NANSHAN: dict[str, Any] = {
    "cb_name": CERTIFICATION_BODY, "objectives_fulfilled": True, "deviations": "无偏离审核计划的情况。",
    "changes": "自上次审核以来新增一条注塑生产线，组织结构无重大变更。",
    "marks_use": "认证证书和标志的使用符合认证机构的规定。",
    "conformity": "质量和环境管理体系总体符合审核准则的要求，危险废物管理除外（见严重不符合项）。",
    "effectiveness": "管理体系基本有效；合规义务的评价未能识别危险废物转移联单缺失，有效性有待加强。",
    "internal_audit": "结合体系内部审核和管理评审已按策划实施，内审方案覆盖面需完善。",
    "scope_appropriate": True, "recommendation": "recommend_after_actions",
    "recommendation_note": "严重不符合项须在 90 天内完成纠正并经现场验证。",
    "previous_actions": "第二阶段审核的 2 项一般不符合的纠正措施已验证有效。",
}
CONCLUSIONS_WUZHONG: dict[str, Any] = {
    "cb_name": CERTIFICATION_BODY, "objectives_fulfilled": True,
    "deviations": "因项目部塔吊检修，起重吊装过程的现场审核由第 3 天上午调整至第 4 天上午。",
    "changes": "自上次审核以来新增吴中区人才公寓项目部，公司总部组织结构无重大变更。",
    "marks_use": "认证证书和标志的使用符合认证机构的规定，未发现在施工现场标牌上误用认证标志的情况。",
    "conformity": "职业健康安全管理体系总体符合 ISO 45001:2018 的要求。",
    "effectiveness": "认证周期内未发生一般及以上生产安全事故，危险源辨识和风险控制措施在项目部得到有效实施。",
    "internal_audit": "2026 年 8 月完成内部审核，9 月完成管理评审，输出的改进措施已纳入项目安全策划。",
    "scope_appropriate": True, "recommendation": "recommend_after_actions",
    "recommendation_note": "一般不符合项的纠正措施计划须在 30 天内提交并经审核组认可。",
    "previous_actions": "上次监督审核的 1 项一般不符合的纠正措施已验证有效。",
}

# client index, title, standards, IAF codes, type, dates, personnel, lead, auditors, representative, sites;
# the dates give the team enough days for the IAF MD 5 audit time (the EMS and OH&S audits record their
# complexity category, medium): 6.5, 5 and 10.5 auditor days for two auditors each.
AUDITS: list[dict[str, Any]] = [
    {"client": 0, "title": "申联电缆 ISO 9001 第二阶段审核", "standards": ["ISO 9001:2015"],
     "scope_codes": ["19"], "audit_type": "stage2", "start_date": "2026-11-02", "end_date": "2026-11-05",
     "effective_personnel": 180, "lead": "wangfang", "auditors": ["zhangwei"], "rep": "rep-shenlian",
     "scope": "电线电缆（额定电压 0.6/1 kV 及以下电力电缆）的设计和生产",
     "sites": [{"name": "川沙生产基地", "address": "上海市浦东新区川沙路 1888 号", "region_code": "310115",
                "personnel": 160, "processes": ["拉丝", "绞线", "挤塑", "成缆", "检验"]}],
     "conclusions": CONCLUSIONS_SHENLIAN},
    {"client": 1, "title": "南山塑胶 ISO 9001 + ISO 14001 结合审核（第一次监督）",
     "standards": ["ISO 9001:2015", "ISO 14001:2015"], "scope_codes": ["14"], "audit_type": "surveillance",
     "complexity": {"ISO 14001:2015": "medium"},
     "start_date": "2026-11-09", "end_date": "2026-11-11", "effective_personnel": 95, "lead": "wangfang",
     "auditors": ["liuyang"], "rep": "rep-nanshan",
     "scope": "日用塑料制品（注塑成型收纳盒、餐具）的生产及相关环境管理活动",
     "sites": [{"name": "西丽厂区", "address": "深圳市南山区西丽街道留仙大道 3370 号",
                "region_code": "440305", "personnel": 95, "processes": ["注塑", "装配", "包装", "危废暂存"]}],
     "conclusions": CONCLUSIONS_NANSHAN},
    {"client": 2, "title": "吴中建设 ISO 45001 再认证审核", "standards": ["ISO 45001:2018"],
     "scope_codes": ["28"], "complexity": {"ISO 45001:2018": "medium"}, "audit_type": "recertification",
     "start_date": "2026-11-16",
     "end_date": "2026-11-21", "effective_personnel": 320, "lead": "liqiang", "auditors": ["zhangwei"],
     "rep": "rep-wuzhong", "scope": "房屋建筑工程施工总承包（资质范围内）及相关职业健康安全管理活动",
     "sites": [{"name": "公司总部", "address": "苏州市吴中区东吴北路 98 号", "region_code": "320506",
                "personnel": 60, "processes": ["项目策划", "采购", "安全管理"]},
               {"name": "吴中区人才公寓项目部", "address": "苏州市吴中区越溪街道", "region_code": "320506",
                "personnel": 260, "processes": ["土建施工", "脚手架", "起重吊装"]}],
     "conclusions": CONCLUSIONS_WUZHONG},
]

CLAUSES: dict[str, list[tuple[str, str]]] = {
    "ISO 9001:2015": [
        ("4.1", "组织是否确定了与其宗旨和战略方向相关的内外部因素，并对其进行监视和评审？"),
        ("5.2", "质量方针是否适合组织的宗旨和环境，并在组织内得到沟通和理解？"),
        ("6.1", "是否确定了需要应对的风险和机遇，并策划了应对措施？"),
        ("7.1.5", "监视和测量设备是否按规定的时间间隔校准或检定，并保留校准状态标识？"),
        ("7.2", "是否确定了人员所需能力，并保留能力证据？"),
        ("8.4", "是否确定并实施了对外部供方的评价、选择、绩效监视和再评价准则？"),
        ("8.5.1", "生产和服务提供是否在受控条件下进行（作业指导书、过程参数、放行）？"),
        ("9.2", "是否按策划的时间间隔实施内部审核，并保留审核方案和结果？"),
        ("9.3", "最高管理者是否按策划的时间间隔评审质量管理体系？"),
        ("10.2", "出现不合格时是否采取了纠正措施，并评审其有效性？"),
    ],
    "ISO 14001:2015": [
        ("6.1.2", "是否确定了活动、产品和服务中能控制和能施加影响的环境因素及重要环境因素？"),
        ("6.1.3", "是否确定并获取了与环境因素有关的合规义务（排污许可、危废管理等）？"),
        ("8.1", "是否对与重要环境因素有关的运行实施了策划和控制？"),
        ("8.2", "是否建立了应急准备和响应过程并定期演练？"),
        ("9.1.2", "是否按策划评价合规义务的履行情况并保留结果？"),
    ],
    "ISO 45001:2018": [
        ("5.4", "是否建立了非管理类工作人员协商和参与的过程？"),
        ("6.1.2", "是否持续、主动地进行危险源辨识（包括高处作业、起重吊装）？"),
        ("8.1.2", "是否按控制层级消除危险源并降低职业健康安全风险？"),
        ("8.2", "是否针对潜在紧急情况策划响应，并定期演练和评审？"),
        ("9.1.2", "是否评价了法律法规要求和其他要求的合规性？"),
        ("10.2", "事件调查是否及时，纠正措施是否有效？"),
    ],
}

# audit index, clause refs, grade, requirement, objective evidence, statement, raised by, state, extra fields
FINDINGS: list[dict[str, Any]] = [
    {"audit": 0, "clause_refs": [("ISO 9001:2015", "7.1.5")], "grade": "minor_nc",
     "requirement": "ISO 9001:2015 7.1.5.2：测量设备应按规定的时间间隔进行校准或检定。",
     "objective_evidence": "挤塑车间外径测量仪（编号 SL-JC-017）校准有效期至 2026-10-31，已过期仍在使用。",
     "statement": "部分监视和测量设备未按规定周期校准。", "raised_by": "zhangwei", "state": "raised"},
    {"audit": 1, "clause_refs": [("ISO 14001:2015", "6.1.3"), ("ISO 14001:2015", "9.1.2")],
     "grade": "major_nc", "requirement": "组织应确定并获取与其环境因素有关的合规义务，并评价其履行情况。",
     "objective_evidence": "危险废物（废机油、废活性炭）转移未执行转移联单制度，2026 年 9—10 月无联单记录。",
     "statement": "危险废物转移未执行联单管理，合规性评价未识别该问题。", "raised_by": "liuyang",
     "state": "raised"},
    {"audit": 1, "clause_refs": [("ISO 9001:2015", "9.2"), ("ISO 14001:2015", "9.2")], "grade": "observation",
     "requirement": "内部审核应覆盖质量和环境管理体系的全部过程。",
     "objective_evidence": "2026 年内审方案未覆盖包装过程的环境因素控制。",
     "statement": "结合体系内审方案的覆盖面可进一步完善。", "raised_by": "wangfang", "state": "raised"},
    {"audit": 2, "clause_refs": [("ISO 45001:2018", "8.2")], "grade": "minor_nc",
     "requirement": "组织应定期测试和演练所策划的应急响应能力。",
     "objective_evidence": "人才公寓项目部 2026 年未开展起重伤害专项应急演练。",
     "statement": "项目部未按应急预案开展专项演练。", "raised_by": "zhangwei", "state": "acknowledged",
     "auditee_comment": "情况属实，已安排 12 月底前完成演练。"},
]

# audit index, file name, media type, caption, sensitive, gps, the finding it supports (index in FINDINGS),
# so the report cites it (E1, E2 ...) under that finding and in its evidence index
EVIDENCE: list[dict[str, Any]] = [
    {"audit": 0, "file_name": "SL-JC-017-calibration-label.jpg", "media_type": "image/jpeg",
     "caption": "外径测量仪校准标签（有效期 2026-10-31）", "sensitive": False,
     "gps": {"latitude": 31.1896, "longitude": 121.7031}, "finding": 0},
    {"audit": 1, "file_name": "hazardous-waste-ledger-2026Q3.pdf", "media_type": "application/pdf",
     "caption": "危险废物台账（含客户信息，敏感）", "sensitive": True, "gps": None, "finding": 1},
    {"audit": 1, "file_name": "waste-storage-area.jpg", "media_type": "image/jpeg",
     "caption": "危废暂存间标识", "sensitive": False, "gps": {"latitude": 22.5865, "longitude": 113.9633},
     "finding": 1},
    {"audit": 2, "file_name": "emergency-plan-2026.pdf", "media_type": "application/pdf",
     "caption": "项目部应急预案（2026 版）", "sensitive": False, "gps": None, "finding": 3},
]
