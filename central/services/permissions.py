"""Who may send which mutation: checked before any rule looks at the data."""

from __future__ import annotations

from typing import Any

from central.services.membership import AUDITEE, WRITERS
from central.services.outcome import Refused
from sync.protocol import Mutation, policy_for
from sync.protocol.records import CORRECTIVE_ACTION_FIELDS


def authorise(role: str, m: Mutation) -> None:
    policy = policy_for(m.entity)
    if m.op == "resolve":
        if role != "lead":
            raise Refused("not_lead", "Only the lead auditor of this audit may resolve conflicts.")
        return
    if role == AUDITEE:
        _authorise_auditee(m)
    elif role not in WRITERS:
        raise Refused("read_only", f"The {role} role may not change audit records.")
    elif m.entity == "audit" and role != "lead":
        raise Refused("not_lead", "Only the lead auditor may change the audit itself.")
    elif m.entity == "finding" and _touches_corrective_action(m.fields, m.op):
        raise Refused("forbidden_field", "Only the audited organisation's representative may write the "
                                         "corrective-action fields of a finding.")
    server_managed = policy.server_managed.intersection(m.fields)
    if server_managed:
        raise Refused("forbidden_field", f"{', '.join(sorted(server_managed))} is managed on the platform.")
    if m.op in ("create", "sign"):
        if m.op not in policy.create_ops:
            raise Refused("invalid_op", f"The {m.op} operation does not apply to {m.entity} records.")
        if not policy.client_creatable:
            raise Refused("forbidden", f"{m.entity} records are created on the platform.")
    elif m.op == "patch" and policy.append_only:
        raise Refused("append_only", "Signatures cannot be changed once made.")
    elif m.op == "delete" and not policy.deletable:
        code = "append_only" if policy.append_only else "forbidden"
        raise Refused(code, f"{m.entity} records cannot be deleted from a device.")
    elif m.op == "sign":
        raise Refused("invalid_op", "The sign operation only creates signatures.")


def _authorise_auditee(m: Mutation) -> None:
    if m.entity == "signature" and m.op in ("create", "sign"):
        return
    if m.entity == "finding" and m.op == "patch" and set(m.fields) <= CORRECTIVE_ACTION_FIELDS:
        return
    raise Refused("forbidden", "An audited organisation's representative may only write the "
                               "corrective-action fields of findings and sign.")


def _touches_corrective_action(fields: dict[str, Any], op: str) -> bool:
    names = CORRECTIVE_ACTION_FIELDS.intersection(fields)
    if op == "create":
        # A new finding carries these fields empty; only the representative fills them in later.
        return any(fields[name] not in ("", None) for name in names)
    return bool(names)
