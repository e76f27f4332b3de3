"""What only the lead auditor can say in a report: conclusions, recommendation, deviations, sampling.

ISO/IEC 17021-1 clause 9.4.8 asks for these in every audit report.  They are structured data on the
audit (``Audit.conclusions``, an :class:`app.domain.audit.AuditConclusion`, written by the lead
auditor and synced); this module holds their standard wording and reads the JSON form that
``fieldaudit conclusions --from FILE`` and ``report --conclusions FILE`` import through the write
path.  Empty text means "not given yet": :mod:`app.reporting.report_check` lists it as missing
instead of letting the report go out with a gap.  Objectives and the sampling statement have
standard wording (per audit type, in the document's language) used when the lead gives none.

JSON keys (all optional; unknown keys are refused so a typo is not silently ignored)::

    {"cb_name": "...", "objectives": "...", "objectives_fulfilled": true, "deviations": "...",
     "sampling": "...", "programme_issues": "...", "unresolved_issues": "...", "changes": "...",
     "conformity": "...", "effectiveness": "...", "internal_audit": "...", "marks_use": "...",
     "scope_appropriate": true, "scope_note": "...", "recommendation": "recommend",
     "recommendation_note": "...", "previous_actions": "..."}

``recommendation`` is one of ``recommend``, ``recommend_after_actions``, ``not_recommended``.
``changes`` (significant changes since the last audit), ``marks_use`` (the client's use of
certification documents and marks) and ``previous_actions`` are needed for audits that follow
an earlier one (surveillance, recertification, special).
"""

from __future__ import annotations

import json
from pathlib import Path

from app.domain.audit import AuditConclusion, AuditType, Recommendation
from app.domain.base import parse
from app.errors import ValidationFailed
from app.i18n import N_

# The wording depends on what the audit decides: stage 2, continuing, renewing certification ...
RECOMMENDATION_LABELS: dict[tuple[Recommendation, str], str] = {
    (Recommendation.RECOMMEND, "stage1"): N_("Proceed to the stage 2 audit."),
    (Recommendation.AFTER_ACTIONS, "stage1"): N_("Proceed to the stage 2 audit once the issues found in stage 1 "
                                                 "are resolved."),
    (Recommendation.NOT_RECOMMENDED, "stage1"): N_("The organisation is not ready for the stage 2 audit."),
    (Recommendation.RECOMMEND, "grant"): N_("Recommend granting certification."),
    (Recommendation.AFTER_ACTIONS, "grant"): N_("Recommend granting certification once the corrections and "
                                                "corrective actions for the nonconformities are accepted."),
    (Recommendation.NOT_RECOMMENDED, "grant"): N_("Certification is not recommended."),
    (Recommendation.RECOMMEND, "maintain"): N_("Recommend maintaining certification."),
    (Recommendation.AFTER_ACTIONS, "maintain"): N_("Recommend maintaining certification once the corrections and "
                                                   "corrective actions for the nonconformities are accepted."),
    (Recommendation.NOT_RECOMMENDED, "maintain"): N_("Maintaining certification is not recommended."),
    (Recommendation.RECOMMEND, "renew"): N_("Recommend renewing certification."),
    (Recommendation.AFTER_ACTIONS, "renew"): N_("Recommend renewing certification once the corrections and "
                                                "corrective actions for the nonconformities are accepted."),
    (Recommendation.NOT_RECOMMENDED, "renew"): N_("Renewing certification is not recommended."),
}
_DECISION = {AuditType.STAGE1: "stage1", AuditType.STAGE2: "grant", AuditType.SURVEILLANCE: "maintain",
             AuditType.RECERTIFICATION: "renew", AuditType.SPECIAL: "maintain"}

DEFAULT_OBJECTIVES = {
    AuditType.STAGE1: N_("To audit the client's management system documentation, evaluate the site-specific "
                         "conditions, the client's understanding of the standard's requirements and its readiness "
                         "for the stage 2 audit, and to plan the stage 2 audit."),
    AuditType.STAGE2: N_("To evaluate the implementation, including effectiveness, of the client's management "
                         "system, to determine its conformity with the audit criteria and its ability to meet "
                         "applicable requirements and intended results, and to decide on recommending "
                         "certification."),
    AuditType.SURVEILLANCE: N_("To confirm that the certified management system continues to fulfil the audit "
                               "criteria and is effectively implemented, including the follow-up of earlier "
                               "nonconformities, so that certification can be maintained."),
    AuditType.RECERTIFICATION: N_("To confirm the continued conformity and effectiveness of the management system "
                                  "as a whole and its continued relevance to the scope of certification, so that "
                                  "certification can be renewed."),
    AuditType.SPECIAL: N_("To investigate the specific matter that led to this special audit and its effect on "
                          "the certified management system."),
}
DEFAULT_SAMPLING = N_("The audit was based on sampling of the available information (records, interviews and "
                      "observation of activities); nonconformities may exist that were not found in the sample. "
                      "The findings relate only to the samples examined.")
# Audits that follow earlier ones must report on the corrective actions for the earlier findings.
FOLLOW_UP_TYPES = frozenset({AuditType.SURVEILLANCE, AuditType.RECERTIFICATION, AuditType.SPECIAL})


# The lead auditor's part lives on the audit now (``Audit.conclusions``); the old name stays for callers.
ReportInput = AuditConclusion


def recommendation_label(recommendation: Recommendation, audit_type: AuditType) -> str:
    """The message id (translate it in the document's language) for this kind of audit."""
    return RECOMMENDATION_LABELS[(recommendation, _DECISION[audit_type])]


def load_report_input(path: Path) -> AuditConclusion:
    """Read ``--conclusions FILE``; a file that cannot be read or is not valid is one clear error."""
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(N_("Cannot read the conclusions file {path}: {detail}"), path=str(path),
                               detail=type(error).__name__) from None
    if not isinstance(raw, dict):
        raise ValidationFailed(N_("The conclusions file {path} must hold one JSON object."), path=str(path))
    return parse(AuditConclusion, raw)
