"""The finding lifecycle as an explicit state machine: actions, who may take them, who owns which field.

::

    raised ─acknowledge/dispute (auditee, comment)─▶ acknowledged | disputed
      ─submit_action (auditee: root cause, correction, corrective action, owner, due date)─▶ action_submitted
      ─accept_action (auditor)─▶ action_accepted ─submit_implementation (auditee)─▶ implementation_submitted
      ─verify (auditor)─▶ verified ─close (lead)─▶ closed          any state ─reopen (lead, reason)─▶ reopened

An auditor may send a plan or implementation evidence back with a reason (``return_action``,
``return_implementation``).  Observations and opportunities need no corrective action: the lead
closes them once acknowledged.  ``reopened`` behaves like ``raised``.

The table is data, so the UI, the CLI and the tests read the same rules.  Every transition is a
``uow.update`` (one journal entry naming the actor and the time, one outbox mutation that syncs).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import FindingState, Grade
from app.i18n import N_

S = FindingState


class Role(StrEnum):
    AUDITOR = "auditor"
    LEAD = "lead"
    AUDITEE = "auditee"


ROLE_LABELS = {
    Role.AUDITOR: N_("auditor"),
    Role.LEAD: N_("lead auditor"),
    Role.AUDITEE: N_("audited organisation's representative"),
}


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    DISPUTE = "dispute"
    SUBMIT_ACTION = "submit_action"
    RETURN_ACTION = "return_action"
    ACCEPT_ACTION = "accept_action"
    SUBMIT_IMPLEMENTATION = "submit_implementation"
    RETURN_IMPLEMENTATION = "return_implementation"
    VERIFY = "verify"
    CLOSE = "close"
    REOPEN = "reopen"


ACTION_LABELS = {
    Action.ACKNOWLEDGE: N_("acknowledge"),
    Action.DISPUTE: N_("dispute"),
    Action.SUBMIT_ACTION: N_("submit the corrective-action plan"),
    Action.RETURN_ACTION: N_("send the corrective-action plan back"),
    Action.ACCEPT_ACTION: N_("accept the corrective-action plan"),
    Action.SUBMIT_IMPLEMENTATION: N_("submit evidence of implementation"),
    Action.RETURN_IMPLEMENTATION: N_("send the implementation evidence back"),
    Action.VERIFY: N_("verify as effective"),
    Action.CLOSE: N_("close"),
    Action.REOPEN: N_("reopen"),
}

# Fields written by the audited organisation (the platform enforces the same split on sync).
AUDITEE_FIELDS = frozenset({"auditee_comment", "root_cause", "correction", "corrective_action",
                            "action_owner", "action_due"})
# Fields written by the audit team; ``state`` is written only by transitions.
AUDITOR_FIELDS = frozenset({"clause_refs", "grade", "requirement", "objective_evidence", "statement",
                            "evidence_ids", "checklist_item_id", "raised_by", "verification_note"})
# The finding as stated by the team: it may change only while the finding is open to revision.
CONTENT_FIELDS = frozenset({"clause_refs", "grade", "requirement", "objective_evidence", "statement",
                            "evidence_ids", "checklist_item_id"})
REVISABLE_STATES = frozenset({S.RAISED, S.REOPENED, S.DISPUTED})
NC_GRADES = frozenset({Grade.MAJOR_NC, Grade.MINOR_NC})

FIELD_LABELS = {
    "auditee_comment": N_("comment of the audited organisation"),
    "root_cause": N_("root cause"),
    "correction": N_("correction"),
    "corrective_action": N_("corrective action"),
    "action_owner": N_("person responsible"),
    "action_due": N_("due date"),
    "verification_note": N_("note of the auditor"),
    "state": N_("state"),
    "statement": N_("statement of nonconformity"),
    "grade": N_("grade"),
    "clause_refs": N_("clause references"),
    "requirement": N_("requirement"),
    "objective_evidence": N_("objective evidence"),
    "evidence_ids": N_("linked evidence"),
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[FindingState]
    target: FindingState
    roles: frozenset[Role]
    required: tuple[str, ...] = ()
    # Fields the action may write besides ``state`` (each must be owned by the acting role).
    writes: frozenset[str] = frozenset()
    grades: frozenset[Grade] = frozenset(Grade)
    # Required fields that must be written by this very action (a reason is never inherited).
    fresh: tuple[str, ...] = ()


AUDITORS = frozenset({Role.AUDITOR, Role.LEAD})
_OPEN = frozenset({S.RAISED, S.REOPENED})
_PLAN = ("root_cause", "correction", "corrective_action", "action_owner", "action_due")

TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    Transition(Action.ACKNOWLEDGE, _OPEN, S.ACKNOWLEDGED, frozenset({Role.AUDITEE}),
               writes=frozenset({"auditee_comment"})),
    Transition(Action.DISPUTE, _OPEN, S.DISPUTED, frozenset({Role.AUDITEE}), required=("auditee_comment",),
               writes=frozenset({"auditee_comment"}), fresh=("auditee_comment",)),
    Transition(Action.SUBMIT_ACTION, frozenset({S.ACKNOWLEDGED, S.DISPUTED}), S.ACTION_SUBMITTED,
               frozenset({Role.AUDITEE}), required=_PLAN, writes=frozenset({*_PLAN, "auditee_comment"}),
               grades=NC_GRADES),
    Transition(Action.RETURN_ACTION, frozenset({S.ACTION_SUBMITTED}), S.ACKNOWLEDGED, AUDITORS,
               required=("verification_note",), writes=frozenset({"verification_note"}), grades=NC_GRADES,
               fresh=("verification_note",)),
    Transition(Action.ACCEPT_ACTION, frozenset({S.ACTION_SUBMITTED}), S.ACTION_ACCEPTED, AUDITORS,
               writes=frozenset({"verification_note"}), grades=NC_GRADES),
    Transition(Action.SUBMIT_IMPLEMENTATION, frozenset({S.ACTION_ACCEPTED}), S.IMPLEMENTATION_SUBMITTED,
               frozenset({Role.AUDITEE}), required=("auditee_comment",), writes=frozenset({"auditee_comment"}),
               grades=NC_GRADES, fresh=("auditee_comment",)),
    Transition(Action.RETURN_IMPLEMENTATION, frozenset({S.IMPLEMENTATION_SUBMITTED}), S.ACTION_ACCEPTED,
               AUDITORS, required=("verification_note",), writes=frozenset({"verification_note"}),
               grades=NC_GRADES, fresh=("verification_note",)),
    Transition(Action.VERIFY, frozenset({S.IMPLEMENTATION_SUBMITTED}), S.VERIFIED, AUDITORS,
               required=("verification_note",), writes=frozenset({"verification_note"}), grades=NC_GRADES,
               fresh=("verification_note",)),
    Transition(Action.CLOSE, frozenset({S.VERIFIED}), S.CLOSED, frozenset({Role.LEAD}),
               writes=frozenset({"verification_note"}), grades=NC_GRADES),
    Transition(Action.REOPEN, frozenset(set(S) - _OPEN), S.REOPENED, frozenset({Role.LEAD}),
               required=("verification_note",), writes=frozenset({"verification_note"}),
               fresh=("verification_note",)),
)}
# An observation or an opportunity for improvement is closed once the organisation has seen it.
CLOSE_WITHOUT_ACTION = Transition(Action.CLOSE, frozenset({S.ACKNOWLEDGED, S.DISPUTED}), S.CLOSED,
                                  frozenset({Role.LEAD}), writes=frozenset({"verification_note"}),
                                  grades=frozenset({Grade.OBSERVATION, Grade.OPPORTUNITY}))


def transition_for(action: Action, grade: Grade) -> Transition:
    rule = TRANSITIONS[action]
    if grade not in rule.grades and action is Action.CLOSE:
        return CLOSE_WITHOUT_ACTION
    return rule


def available_actions(state: FindingState, grade: Grade, role: Role) -> list[Action]:
    """What ``role`` may do next with a finding in ``state`` (the UI shows these as buttons)."""
    found: list[Action] = []
    for action in Action:
        rule = transition_for(action, grade)
        if state in rule.sources and role in rule.roles and grade in rule.grades:
            found.append(action)
    return found


def field_owner(name: str) -> Role | None:
    """The role that owns a finding field (None for fields nobody edits directly)."""
    if name in AUDITEE_FIELDS:
        return Role.AUDITEE
    if name in AUDITOR_FIELDS:
        return Role.AUDITOR
    return None


def may_write(role: Role, name: str) -> bool:
    owner = field_owner(name)
    if owner is Role.AUDITEE:
        return role is Role.AUDITEE
    return owner is Role.AUDITOR and role in AUDITORS
