"""Verification methods that match the kind of corrective action the organisation proposed.

The action text (root cause, correction, corrective action) is matched against the vocabulary of
each kind of action (zh and en); every kind that matches contributes its methods, strongest match
first.  An action of no recognisable kind gets the general methods.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from app.domain import Finding
from app.i18n import N_

GENERAL = "general"


@dataclass(frozen=True)
class ActionKind:
    name: str
    label: str
    words: tuple[str, ...]
    methods: tuple[str, ...]


KINDS: tuple[ActionKind, ...] = (
    ActionKind("training", N_("training and competence"),
               ("培训", "考核", "资格", "上岗证", "持证", "能力", "宣贯", "training", "trained", "retrain",
                "competence", "qualification", "certificate", "awareness", "briefing"),
               (N_("Review the training records, attendance lists and test results of the people concerned."),
                N_("Interview two or three of the trained people about what the training covered."),
                N_("Observe the task being done by a trained person."))),
    ActionKind("document", N_("documents and procedures"),
               ("程序", "文件", "作业指导书", "修订", "制度", "规程", "表单", "换版", "procedure", "instruction",
                "document", "revise", "revised", "revision", "form", "manual", "sop"),
               (N_("Check that the revised document is approved, issued and the old version withdrawn."),
                N_("Check at the point of use that the current version is available and applied."))),
    ActionKind("calibration", N_("measuring equipment"),
               ("校准", "检定", "计量", "量具", "仪表", "送检", "calibrat", "gauge", "caliper", "measuring",
                "instrument", "meter"),
               (N_("Check the calibration certificates and labels of the equipment concerned."),
                N_("Check the updated calibration schedule covers all equipment in use."),
                N_("Check what was done about results measured with the out-of-date equipment."))),
    ActionKind("supplier", N_("external providers"),
               ("供应商", "供方", "外协", "外包", "采购", "来料", "进货", "supplier", "vendor", "purchas",
                "incoming", "outsourc", "subcontract"),
               (N_("Review the supplier evaluation and the updated approved supplier list."),
                N_("Sample recent incoming inspection or supplier verification records."))),
    ActionKind("equipment", N_("equipment and infrastructure"),
               ("设备", "维修", "保养", "点检", "防护罩", "改造", "安装", "设施", "equipment", "maintenance",
                "machine", "repair", "install", "guard", "facility", "infrastructure"),
               (N_("Inspect the equipment or installation on site."),
                N_("Review the maintenance plan and the records since the change."))),
    ActionKind("process", N_("process and operational control"),
               ("工艺", "参数", "流程", "检验", "首件", "隔离", "标识", "防错", "作业许可", "process", "parameter",
                "inspection", "first article", "segregat", "label", "poka", "permit", "control"),
               (N_("Observe the changed process in operation and compare it with the procedure."),
                N_("Sample records produced since the change (inspection, release, permits)."),
                N_("Check the results over a period: defect, complaint or incident data."))),
    ActionKind("records", N_("records and monitoring"),
               ("记录", "台账", "统计", "监测", "报表", "record", "register", "log", "monitoring", "statistic"),
               (N_("Sample the records kept since the correction for completeness and signatures."),)),
    ActionKind("safety", N_("health, safety and emergencies"),
               ("安全", "防护", "劳保", "演练", "应急", "危险源", "消防", "safety", "ppe", "drill", "emergency",
                "hazard", "fire", "evacuation"),
               (N_("Observe the workplace for the safety measure being used."),
                N_("Review the drill or emergency exercise report and its evaluation."))),
    ActionKind("environment", N_("environmental controls"),
               ("废水", "废气", "固废", "危废", "排放", "泄漏", "化学品", "环保", "wastewater", "emission", "waste",
                "spill", "chemical", "containment"),
               (N_("Inspect the storage or treatment facility on site."),
                N_("Review monitoring results or waste transfer documents since the change."))),
)

GENERAL_METHODS = (
    N_("Review the evidence the organisation submitted against each step of its plan."),
    N_("Check on site that the correction was made and the cause removed."),
    N_("Check that the nonconformity has not recurred since the action was taken."),
)


@dataclass(frozen=True)
class MethodSuggestion:
    kind: str
    kind_label: str
    method: str


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def action_kinds(text: str) -> list[tuple[ActionKind, int]]:
    """Kinds whose vocabulary appears in ``text``, with how many of their words did (most first)."""
    folded = _normalise(text)
    found = [(kind, sum(1 for word in kind.words if word in folded)) for kind in KINDS]
    return sorted(((k, n) for k, n in found if n), key=lambda pair: -pair[1])


def suggest_methods(action_text: str, limit: int = 6) -> list[MethodSuggestion]:
    """Verification methods (message ids: translate with ``_()`` when shown), best first."""
    result: list[MethodSuggestion] = []
    for kind, _count in action_kinds(action_text or ""):
        result += [MethodSuggestion(kind.name, kind.label, method) for method in kind.methods]
    if not result:
        result = [MethodSuggestion(GENERAL, N_("general"), method) for method in GENERAL_METHODS]
    return result[:limit]


def methods_for_finding(finding: Finding, limit: int = 6) -> list[MethodSuggestion]:
    text = "\n".join([finding.root_cause, finding.correction, finding.corrective_action])
    return suggest_methods(text, limit)
