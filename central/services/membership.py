"""Team membership, checked against the database on every request (never cached in a token)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.db.tables import changes, horizons, memberships, records
from central.errors import forbidden
from central.services.auth import Principal
from central.services.recordstore import open_conflict_counts
from sync.protocol import ScopeInfo

AUDITEE = "auditee"
WRITERS = frozenset({"lead", "auditor", "technical_expert"})
# What an audited organisation's representative may see of its own audit.
AUDITEE_ENTITIES = frozenset({"audit", "finding", "evidence", "signature"})


def role_in(conn: Connection, audit_id: str, user_id: str) -> str | None:
    return conn.execute(sa.select(memberships.c.role).where(
        memberships.c.audit_id == audit_id, memberships.c.user_id == user_id)).scalar()


def require_role(conn: Connection, principal: Principal, audit_id: str) -> str:
    """The user's role on ``audit_id``; 403 when not on it (also when it does not exist: no probing)."""
    role = role_in(conn, audit_id, principal.user_id)
    if role is None:
        raise forbidden("out_of_scope", f"You are not on the team of audit {audit_id}.")
    return role


# Per audit, so each is one index probe on (audit_id, seq) rather than a scan of the audit's feed.
_NEWEST = (sa.select(sa.func.max(changes.c.seq)).where(changes.c.audit_id == memberships.c.audit_id)
           .scalar_subquery().label("newest"))
_HORIZON = (sa.select(horizons.c.seq).where(horizons.c.audit_id == memberships.c.audit_id)
            .scalar_subquery().label("horizon"))


def scopes(conn: Connection, principal: Principal, *, heads: bool = False) -> list[ScopeInfo]:
    """The caller's audits; with ``heads`` also each feed's newest sequence number (``ScopeInfo.head``)."""
    columns = [memberships.c.audit_id, memberships.c.role, records.c.rev, records.c.data]
    rows = conn.execute(
        sa.select(*columns, *((_NEWEST, _HORIZON) if heads else ()))
        .join(records, sa.and_(records.c.entity == "audit", records.c.entity_id == memberships.c.audit_id))
        .where(memberships.c.user_id == principal.user_id, records.c.deleted.is_(False))
        .order_by(memberships.c.audit_id)).mappings().all()
    counts = open_conflict_counts(conn, [str(row["audit_id"]) for row in rows])
    found = []
    for row in rows:
        data = row["data"] or {}
        extra = {"head": max(int(row["newest"] or 0), int(row["horizon"] or 0))} if heads else {}
        # Without ``heads`` the field stays unset, so the reply is byte-for-byte what older clients parse.
        found.append(ScopeInfo(audit_id=str(row["audit_id"]), title=str(data.get("title", "")), role=row["role"],
                               status=str(data.get("status", "")), rev=int(row["rev"]),
                               open_conflicts=counts.get(str(row["audit_id"]), 0), **extra))
    return found


def sees_entity(role: str, entity: str) -> bool:
    return role != AUDITEE or entity in AUDITEE_ENTITIES


def visible(role: str, entity: str, data: dict[str, object] | None,
            deleted: bool) -> tuple[dict[str, object] | None, bool] | None:
    """What ``role`` may see of a record: ``None`` hides it, sensitive evidence reads as deleted."""
    if not sees_entity(role, entity):
        return None
    if role == AUDITEE and entity == "evidence" and data is not None and data.get("sensitive"):
        return None, True
    return (None if deleted else data), deleted
