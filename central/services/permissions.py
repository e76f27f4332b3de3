"""Who may send which mutation: checked before any rule looks at the data.

``authorise`` looks at the role and the mutation alone.  ``authorise_finding_move`` then looks at the
finding the platform holds, because who may move a finding depends on where it is now:

* the audited organisation's own account (role ``auditee``) may take only its own steps —
  acknowledge or dispute an open finding, submit the corrective-action plan, submit evidence of
  implementation — and write only the corrective-action fields;
* an audit team's device may carry the organisation's acknowledgement or dispute (and its comment)
  only when the representative signed it on that device: a handwritten sign-off record from the same
  device, already held here or sent in the same push, whose envelope names this finding with exactly
  this state and the hash of this comment, together with the auditor's device-key record over that
  sign-off.  Anything else is refused, so an auditor cannot slip an acknowledgement in unsigned; the
  platform also keeps who pushed every mutation (user and device) in its mutation log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from sqlalchemy.engine import Connection

from central.db.tables import records
from central.services import recordstore
from central.services.membership import AUDITEE, WRITERS
from central.services.outcome import MutationContext, Refused
from sync.protocol import Mutation, policy_for
from sync.protocol.records import CORRECTIVE_ACTION_FIELDS

OPEN_STATES = frozenset({"raised", "reopened"})
# After verification the organisation's part is settled (the lead may reopen the finding).
FINAL_STATES = frozenset({"verified", "closed"})
SIGNED_OFF_STATES = frozenset({"acknowledged", "disputed"})
# (from, to) steps that belong to the audited organisation (app.findings.lifecycle has the same table).
AUDITEE_MOVES = frozenset({
    *((source, target) for source in OPEN_STATES for target in SIGNED_OFF_STATES),
    ("acknowledged", "action_submitted"), ("disputed", "action_submitted"),
    ("action_accepted", "implementation_submitted"),
})
AUDITEE_TARGETS = frozenset(target for _source, target in AUDITEE_MOVES)


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
    if m.entity == "finding" and m.op == "patch" and set(m.fields) <= CORRECTIVE_ACTION_FIELDS | {"state"}:
        return  # the state move itself is checked against the stored finding (authorise_finding_move)
    raise Refused("forbidden", "An audited organisation's representative may only write the "
                               "corrective-action fields of findings, take its own steps and sign.")


def _touches_corrective_action(fields: dict[str, Any], op: str) -> bool:
    names = CORRECTIVE_ACTION_FIELDS.intersection(fields)
    if op == "create":
        # A new finding carries these fields empty; only the representative fills them in later.
        return any(fields[name] not in ("", None) for name in names)
    # The organisation's answer given at the sign-off travels from the team's device: checked below.
    return bool(names - {"auditee_comment"})


def authorise_finding_move(conn: Connection, ctx: MutationContext, m: Mutation,
                           batch: Iterable[Mutation] = ()) -> None:
    """The state and comment rules that need the stored finding (after ``authorise``)."""
    answers = bool({"state", "auditee_comment"} & set(m.fields))
    if m.entity != "finding" or m.op != "patch" or not (answers or ctx.role == AUDITEE):
        return
    stored = recordstore.load(conn, "finding", m.entity_id)
    if stored is None or stored.deleted or stored.audit_id != m.audit_id or stored.data is None:
        return  # the merge answers "not found" / "deleted" with the record
    current = str(stored.data.get("state", "raised"))
    target = str(m.fields.get("state", current))
    moved = target != current
    if ctx.role == AUDITEE:
        if current in FINAL_STATES:
            raise Refused("finding_final", f"The finding is {current}: its corrective action can no longer change.")
        if moved and (current, target) not in AUDITEE_MOVES:
            raise Refused("forbidden_transition", f"The audited organisation may not move a finding from "
                                                  f"{current} to {target}.")
        return
    signed_off = "auditee_comment" in m.fields or (moved and current in OPEN_STATES and target in SIGNED_OFF_STATES)
    if signed_off:
        comment = str(m.fields.get("auditee_comment", stored.data.get("auditee_comment", "")))
        if not _signed_on_device(conn, ctx, m, target, comment, batch):
            raise Refused("signature_required", "The organisation's acknowledgement or dispute must be signed by "
                                                "its representative on this device (sign-off) before it syncs.")
    elif moved and target in AUDITEE_TARGETS - SIGNED_OFF_STATES:
        raise Refused("forbidden_transition", f"Only the audited organisation may move a finding to {target}.")


# -- the sign-off evidence ---------------------------------------------------------------------------
def _signed_on_device(conn: Connection, ctx: MutationContext, m: Mutation, state: str, comment: str,
                      batch: Iterable[Mutation]) -> bool:
    candidates = _signatures(conn, m.audit_id, batch, ctx.device_id)
    device_refs = {ref for data in candidates if data.get("method") == "device_key"
                   for ref in _handwritten_refs(data)}
    for data in candidates:
        if data.get("method") != "handwritten" or (data.get("id"), data.get("signed_hash")) not in device_refs:
            continue
        envelope = _envelope(data)
        if envelope is None or envelope.get("audit_id") != m.audit_id or envelope.get("device_id") != ctx.device_id:
            continue
        answer = (envelope.get("responses") or {}).get(m.entity_id)
        hash_name = str(envelope.get("hash", ""))
        if (isinstance(answer, dict) and answer.get("state") == state
                and answer.get("comment") == _digest(hash_name, comment.encode("utf-8"))
                and _digest(hash_name, _canonical(envelope)) == data.get("signed_hash")):
            return True
    return False


def _signatures(conn: Connection, audit_id: str, batch: Iterable[Mutation], device_id: str) -> list[dict[str, Any]]:
    """Sign-off records of this device: those the platform holds and those arriving in the same push."""
    found: list[dict[str, Any]] = []
    rows = conn.execute(sa.select(records.c.data).where(records.c.entity == "signature",
                                                         records.c.audit_id == audit_id,
                                                         records.c.deleted.is_(False)))
    found.extend(dict(row.data) for row in rows if isinstance(row.data, dict))
    for later in batch:
        if later.entity == "signature" and later.op in ("create", "sign") and later.audit_id == audit_id \
                and later.device_id == device_id and later.fields.get("id") == later.entity_id:
            found.append(dict(later.fields))
    return [data for data in found if (_envelope(data) or {}).get("device_id") == device_id]


def _handwritten_refs(data: dict[str, Any]) -> set[tuple[object, object]]:
    envelope = _envelope(data) or {}
    refs = envelope.get("handwritten") or []
    return {(ref.get("id"), ref.get("signed_hash")) for ref in refs if isinstance(ref, dict)}


def _envelope(data: dict[str, Any]) -> dict[str, Any] | None:
    try:
        packed = json.loads(str(data.get("signature", "")))
    except ValueError:
        return None
    envelope = packed.get("env") if isinstance(packed, dict) and packed.get("v") == 1 else None
    return envelope if isinstance(envelope, dict) else None


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _digest(name: str, data: bytes) -> str | None:
    if name == "sha256":
        return hashlib.sha256(data).hexdigest()
    if name == "sm3":
        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize().hex()
    return None
