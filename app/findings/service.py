"""Lifecycle services: every change to a finding goes through these and the store's single write path."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.domain import Audit, Finding, FindingState, TeamRole
from app.domain.audit import TEAM_ROLE_LABELS
from app.domain.finding import FINDING_STATE_LABELS
from app.findings.errors import (
    BadDueDate,
    ContentLocked,
    FieldNotOwned,
    FieldRequired,
    NotOnTeam,
    StateFieldProtected,
    TransitionNotAllowed,
    UnknownAction,
    UnknownRole,
    WrongRole,
)
from app.findings.lifecycle import (
    ACTION_LABELS,
    AUDITORS,
    CONTENT_FIELDS,
    FIELD_LABELS,
    REVISABLE_STATES,
    ROLE_LABELS,
    Action,
    Role,
    field_owner,
    may_write,
    transition_for,
)
from app.i18n import N_
from app.store import Store

N_RAISE = N_("raise")

# The team roles allowed to act in each lifecycle role (a technical expert or observer may not).
_TEAM_ALLOWS = {Role.LEAD: {TeamRole.LEAD}, Role.AUDITOR: {TeamRole.LEAD, TeamRole.AUDITOR}}


def parse_role(value: str | Role) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise UnknownRole(role=str(value)[:40], known=", ".join(r.value for r in Role)) from None


def parse_action(value: str | Action) -> Action:
    try:
        return Action(value)
    except ValueError:
        raise UnknownAction(action=str(value)[:40], known=", ".join(a.value for a in Action)) from None


def check_team(audit: Audit | None, actor: str, role: Role) -> None:
    """A team member may not claim more than the audit gives them.

    An actor who is not listed (a device not yet logged in to the platform) is not refused here: the
    platform checks membership again when the change syncs.
    """
    if audit is None or role is Role.AUDITEE:
        return
    member = next((m for m in audit.team if m.user_id == actor), None)
    if member is not None and member.role not in _TEAM_ALLOWS[role]:
        raise NotOnTeam(actor=actor, team_label=TEAM_ROLE_LABELS[member.role], role_label=ROLE_LABELS[role])


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}
    due = cleaned.get("action_due")
    if due not in (None, ""):
        try:
            cleaned["action_due"] = date.fromisoformat(str(due)).isoformat()
        except ValueError:
            raise BadDueDate(value=str(due)[:20]) from None
    return cleaned


def move(store: Store, actor: str, role: Role | str, finding_id: str, action: Action | str,
         values: dict[str, Any] | None = None) -> Finding:
    """Take one lifecycle action; raises a translated error when the rules do not allow it."""
    who, what = parse_role(role), parse_action(action)
    given = _clean(values or {})
    with store.unit_of_work(actor) as uow:
        finding = uow.get(Finding, finding_id)
        check_team(store.audits.find(finding.audit_id), actor, who)
        rule = transition_for(what, finding.grade)
        if finding.state not in rule.sources or finding.grade not in rule.grades:
            raise TransitionNotAllowed(state_label=FINDING_STATE_LABELS[finding.state],
                                       action_label=ACTION_LABELS[what])
        if who not in rule.roles:
            allowed = Role.LEAD if rule.roles == {Role.LEAD} else min(rule.roles)
            raise WrongRole(allowed_label=ROLE_LABELS[allowed], action_label=ACTION_LABELS[what])
        for name in given:
            if name not in rule.writes:
                raise _not_owned(name, who) if not may_write(who, name) else TransitionNotAllowed(
                    state_label=FINDING_STATE_LABELS[finding.state], action_label=ACTION_LABELS[what])
        merged = {**finding.model_dump(mode="json"), **given}
        for name in rule.required:
            missing = given.get(name) in (None, "") if name in rule.fresh else merged.get(name) in (None, "")
            if missing or (name in given and given[name] in (None, "")):
                raise FieldRequired(action_label=ACTION_LABELS[what], field_label=FIELD_LABELS[name])
        return uow.update(Finding, finding_id, {**given, "state": rule.target.value})


def edit(store: Store, actor: str, role: Role | str, finding_id: str, changes: dict[str, Any]) -> Finding:
    """Change fields without a transition: each role only its own, the statement only while revisable."""
    who = parse_role(role)
    given = _clean(changes)
    with store.unit_of_work(actor) as uow:
        finding = uow.get(Finding, finding_id)
        check_team(store.audits.find(finding.audit_id), actor, who)
        for name in given:
            if name == "state":
                raise StateFieldProtected()
            if not may_write(who, name):
                raise _not_owned(name, who)
        if CONTENT_FIELDS.intersection(given) and finding.state not in REVISABLE_STATES:
            raise ContentLocked(state_label=FINDING_STATE_LABELS[finding.state])
        if who is Role.AUDITEE and finding.state in (FindingState.VERIFIED, FindingState.CLOSED):
            raise ContentLocked(state_label=FINDING_STATE_LABELS[finding.state])
        return uow.update(Finding, finding_id, given)


def raise_finding(store: Store, actor: str, role: Role | str, finding: Finding) -> Finding:
    """Record a new finding (auditors only; it starts raised, with no answer from the organisation)."""
    who = parse_role(role)
    if who not in AUDITORS:
        raise WrongRole(allowed_label=ROLE_LABELS[Role.AUDITOR], action_label=N_RAISE)
    for name in ("auditee_comment", "root_cause", "correction", "corrective_action", "action_owner"):
        if getattr(finding, name):
            raise _not_owned(name, who)
    if finding.action_due is not None:
        raise _not_owned("action_due", who)
    check_team(store.audits.find(finding.audit_id), actor, who)
    created = finding.model_copy(update={"state": FindingState.RAISED, "raised_by": finding.raised_by or actor})
    with store.unit_of_work(actor) as uow:
        return uow.create(created)


def _not_owned(name: str, role: Role) -> FieldNotOwned:
    owner = field_owner(name)
    return FieldNotOwned(field_label=FIELD_LABELS.get(name, name),
                         owner_label=ROLE_LABELS[owner] if owner else FIELD_LABELS["state"],
                         role_label=ROLE_LABELS[role])

