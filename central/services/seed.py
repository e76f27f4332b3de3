"""``seed-demo``: fill an empty platform with the demo certification body (see demo_data)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.api.schemas import CreateUserRequest, NewAudit
from central.db.engine import Database
from central.db.tables import users
from central.errors import ApiError
from central.services import admin
from central.services import recordstore as store
from central.services.clock import ServerHlc
from central.services.demo_data import AUDITS, CLAUSES, CLIENTS, EVIDENCE, FINDINGS, PEOPLE
from sync.protocol.auth import PlatformRole
from sync.protocol.records import CORRECTIVE_ACTION_FIELDS


def seed_demo(db: Database, hlc: ServerHlc, cost: tuple[int, int, int]) -> dict[str, Any]:
    """Create the demo accounts and audits; returns them (with the generated passwords)."""
    with db.write() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.username == "admin")).scalar() is not None:
            raise ApiError(409, "already_seeded", "This platform already holds the demo data.")
        accounts: dict[str, dict[str, Any]] = {}
        for username, name, role, codes, organisation in PEOPLE:
            password = secrets.token_urlsafe(9)
            user = admin.create_user(conn, CreateUserRequest(
                username=username, display_name=name, role=cast(PlatformRole, role),
                password=password, competence_codes=codes, organisation=organisation), cost)
            accounts[username] = {"user_id": user.id, "username": username, "display_name": name,
                                  "role": role, "password": password, "competence_codes": codes,
                                  "organisation": organisation, "audits": []}
        for index, plan in enumerate(AUDITS):
            audit_id = _audit(conn, hlc, plan, accounts)
            _checklist(conn, hlc, audit_id, plan, accounts, index)
            finding_ids = _findings(conn, hlc, audit_id, index, accounts)
            _evidence(conn, hlc, audit_id, index, accounts, plan, finding_ids)
        hlc.save(conn)
    return {"certification_body": PEOPLE[0][4], "accounts": list(accounts.values())}


def _audit(conn: Connection, hlc: ServerHlc, plan: dict[str, Any], accounts: dict[str, dict[str, Any]]) -> str:
    fields = {key: plan[key] for key in ("title", "standards", "scope_codes", "audit_type", "start_date",
                                         "end_date", "effective_personnel", "scope", "sites", "conclusions",
                                         "complexity")
              if key in plan}
    created = admin.create_audit(conn, hlc, NewAudit.model_validate(
        {**fields, "client": CLIENTS[plan["client"]], "status": "planned"}))
    members = [(plan["lead"], "lead"), *((name, "auditor") for name in plan["auditors"]), (plan["rep"], "auditee")]
    for username, role in members:
        admin.assign(conn, hlc, created.audit_id, accounts[username]["user_id"], role)
        accounts[username]["audits"].append({"audit_id": created.audit_id, "title": plan["title"], "role": role})
    return created.audit_id


def _put(conn: Connection, hlc: ServerHlc, entity: str, audit_id: str, data: dict[str, Any]) -> None:
    record = store.StoredRecord(entity=entity, entity_id=data["id"], audit_id=audit_id, rev=1, data=data,
                                deleted=False, field_meta=store.meta_for(data, 1, hlc.tick(), None))
    store.save(conn, record, device=None, mutation_id=None, created=True)


def _checklist(conn: Connection, hlc: ServerHlc, audit_id: str, plan: dict[str, Any],
               accounts: dict[str, dict[str, Any]], index: int) -> None:
    auditors = [plan["lead"], *plan["auditors"]]
    answered_at = _on_day(plan, 0, 10, 30)
    # A clause a finding is raised on is answered with that finding's grade, never "conforming".
    graded = {(standard, clause): f["grade"] for f in FINDINGS if f["audit"] == index
              for standard, clause in f["clause_refs"]}
    for standard in plan["standards"]:
        for number, (clause, question) in enumerate(CLAUSES[standard]):
            owner = accounts[auditors[number % len(auditors)]]["user_id"]
            item: dict[str, Any] = {
                "id": store.new_id(), "audit_id": audit_id, "standard": standard, "clause": clause,
                "also_covers": [], "question": question, "question_en": "", "guidance": "",
                "guidance_en": "", "template_version": None, "answer": None, "notes": "", "evidence_ids": [],
                "answered_by": None, "answered_at": None, "assigned_to": owner}
            # The demo audits' site days are over, so every item has its answer (the report needs them all);
            # a newcomer can still change any of them.
            item.update(answer="conforming", answered_by=owner, notes="查阅文件并访谈相关人员，符合要求。",
                        answered_at=_iso(answered_at + timedelta(minutes=20 * number)))
            if (standard, clause) in graded:
                item.update(answer=graded[(standard, clause)], answered_by=owner, notes="",
                            answered_at=_iso(answered_at + timedelta(hours=1, minutes=20 * number)))
            _put(conn, hlc, "checklist_item", audit_id, item)


def _findings(conn: Connection, hlc: ServerHlc, audit_id: str, index: int,
              accounts: dict[str, dict[str, Any]]) -> dict[int, str]:
    """Seeds the audit's findings; returns their ids by position in FINDINGS."""
    ids: dict[int, str] = {}
    for position, plan in ((p, f) for p, f in enumerate(FINDINGS) if f["audit"] == index):
        finding: dict[str, Any] = {
            "id": store.new_id(), "audit_id": audit_id,
            "clause_refs": [{"standard": s, "clause": c} for s, c in plan["clause_refs"]],
            "grade": plan["grade"], "requirement": plan["requirement"],
            "objective_evidence": plan["objective_evidence"], "statement": plan["statement"],
            "evidence_ids": [], "checklist_item_id": None, "state": plan["state"],
            "raised_by": accounts[plan["raised_by"]]["user_id"], "action_due": None, "verification_note": ""}
        finding.update({name: plan.get(name, "") for name in CORRECTIVE_ACTION_FIELDS - {"action_due"}})
        _put(conn, hlc, "finding", audit_id, finding)
        ids[position] = finding["id"]
    return ids


def _evidence(conn: Connection, hlc: ServerHlc, audit_id: str, index: int, accounts: dict[str, dict[str, Any]],
              audit: dict[str, Any], finding_ids: dict[int, str]) -> None:
    for number, plan in enumerate(e for e in EVIDENCE if e["audit"] == index):
        content = f"demo evidence {index}-{number} {plan['file_name']}".encode()
        author = next(a for a in accounts.values() if a["role"] == "auditor")["user_id"]
        evidence = {
            "id": store.new_id(), "audit_id": audit_id, "sha256": hashlib.sha256(content).hexdigest(),
            "media_type": plan["media_type"], "size": len(content), "file_name": plan["file_name"],
            "captured_at": _iso(_on_day(audit, 1, 11, 5)), "author": author,
            "caption": plan["caption"], "gps": plan["gps"] and {**plan["gps"], "altitude": None}, "camera": "",
            "orientation": None,
            "checklist_item_id": None, "finding_id": finding_ids.get(plan["finding"]), "derived_from": None,
            "annotation": None,
            "sensitive": plan["sensitive"]}
        _put(conn, hlc, "evidence", audit_id, evidence)


def _on_day(audit: dict[str, Any], day: int, hour: int, minute: int) -> datetime:
    """A time on the ``day``-th day of the audit (UTC), so records fall within the audit's dates."""
    start = date.fromisoformat(audit["start_date"]) + timedelta(days=day)
    return datetime(start.year, start.month, start.day, hour, minute, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    """The client's own rendering of a UTC time (pydantic's JSON mode writes ``Z``)."""
    return moment.isoformat().replace("+00:00", "Z")
