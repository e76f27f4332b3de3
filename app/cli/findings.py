"""``fieldaudit finding list|move|history|suggest|methods`` and ``fieldaudit export-trail``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.domain.finding import FINDING_STATE_LABELS, GRADE_LABELS
from app.evidence.vault import Vault
from app.findings import cli_texts as T
from app.findings import service
from app.findings.deadlines import FLAG_LABELS, audit_deadlines
from app.findings.history import history
from app.findings.lifecycle import Action, Role
from app.findings.methods import methods_for_finding
from app.findings.suggest import suggester_for
from app.i18n import _
from app.signing.status import finding_states
from app.signing.trail import export_trail
from app.verify import suites

_VALUES = (("comment", "auditee_comment"), ("note", "verification_note"), ("root_cause", "root_cause"),
           ("correction", "correction"), ("corrective_action", "corrective_action"), ("owner", "action_owner"),
           ("due", "action_due"))


def register(subparsers: Any) -> None:
    finding = subparsers.add_parser("finding", help=_(T.GROUP))
    commands = finding.add_subparsers(dest="finding_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_(T.LIST))
    listing.add_argument("audit", metavar="AUDIT")
    listing.add_argument("--today", type=date.fromisoformat, default=None, help=_(T.TODAY))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(handler=run_list)

    move = commands.add_parser("move", help=_(T.MOVE))
    move.add_argument("finding", metavar="FINDING")
    move.add_argument("action", choices=[a.value for a in Action])
    move.add_argument("--role", required=True, choices=[r.value for r in Role])
    for option, _field in _VALUES:
        move.add_argument(f"--{option.replace('_', '-')}", dest=option, default=None)
    move.set_defaults(handler=run_move)

    past = commands.add_parser("history", help=_(T.HISTORY))
    past.add_argument("finding", metavar="FINDING")
    past.set_defaults(handler=run_history)

    hint = commands.add_parser("suggest", help=_(T.SUGGEST))
    hint.add_argument("text", metavar="TEXT")
    hint.add_argument("--standard", action="append", default=None)
    hint.add_argument("--limit", type=int, default=5)
    hint.add_argument("--json", action="store_true", help=_("machine-readable output"))
    hint.set_defaults(handler=run_suggest)

    ways = commands.add_parser("methods", help=_(T.METHODS))
    ways.add_argument("finding", metavar="FINDING")
    ways.set_defaults(handler=run_methods)

    trail = subparsers.add_parser("export-trail", help=_(T.EXPORT))
    trail.add_argument("audit", metavar="AUDIT")
    trail.add_argument("--out", metavar="FILE", required=True, type=Path)
    trail.add_argument("--suite", choices=list(suites.SUITES), default=None, help=_(T.SUITE))
    trail.set_defaults(handler=run_export_trail)


def _actor(ctx: CliContext) -> str:
    return ctx.open_session().actor


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.open_store()
    findings = {f.id: f for f in store.findings.list(args.audit)}
    deadlines = {d.finding_id: d for d in audit_deadlines(store, args.audit, args.today or date.today())}
    signed = finding_states(store, args.audit)
    rows = []
    for finding_id, finding in findings.items():
        status, sign = deadlines[finding_id], signed[finding_id]
        rows.append({"id": finding_id, "grade": finding.grade.value, "state": finding.state.value,
                     "clauses": [f"{r.standard} {r.clause}" for r in finding.clause_refs],
                     "plan_due": status.plan_due.isoformat() if status.plan_due else None,
                     "verify_due": status.verify_due.isoformat() if status.verify_due else None,
                     "overdue": status.flags, "signed": sign.signed, "signature_current": sign.covers_current})
    if args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        ctx.out(_(T.NONE_YET))
    for row in rows:
        finding = findings[row["id"]]
        flags = [_(FLAG_LABELS[flag]) for flag in row["overdue"]]
        if row["signed"] and not row["signature_current"]:
            flags.append(_(T.CHANGED))
        ctx.out("  ".join([row["id"], _(GRADE_LABELS[finding.grade]), _(FINDING_STATE_LABELS[finding.state]),
                           ", ".join(row["clauses"]), *flags]))
    return 0


def run_move(args: argparse.Namespace, ctx: CliContext) -> int:
    values = {name: getattr(args, option) for option, name in _VALUES if getattr(args, option) is not None}
    moved = service.move(ctx.open_store(), _actor(ctx), args.role, args.finding, args.action, values)
    ctx.out(_(T.MOVED).format(ident=moved.id, state=_(FINDING_STATE_LABELS[moved.state])))
    return 0


def run_history(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.open_store()
    store.findings.get(args.finding)
    for entry in history(store, args.finding):
        ctx.out("  ".join([entry.at, entry.actor, entry.from_state or "-", "->", entry.to_state,
                           *(f"{k}={v}" for k, v in entry.notes.items())]))
    return 0


def run_suggest(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.open_store() if ctx.profile_dir.exists() else None
    found = suggester_for(store).suggest(args.text, args.standard, args.limit)
    if args.json:
        ctx.print_json([{"standard": s.standard, "clause": s.clause, "title_zh": s.title_zh, "title_en": s.title_en,
                         "score": s.score} for s in found])
        return 0
    from app.i18n import current_language

    for suggestion in found:
        ctx.out(f"{suggestion.score:.3f}  {suggestion.standard} {suggestion.clause}  "
                f"{suggestion.title(current_language())}")
    return 0 if found else 1


def run_methods(args: argparse.Namespace, ctx: CliContext) -> int:
    finding = ctx.open_store().findings.get(args.finding)
    for method in methods_for_finding(finding):
        ctx.out(f"[{_(method.kind_label)}] {_(method.method)}")
    return 0


def run_export_trail(args: argparse.Namespace, ctx: CliContext) -> int:
    session = ctx.open_session()
    manifest = export_trail(session.store, session.data_key, actor=session.actor, audit_id=args.audit,
                            out=args.out, suite=args.suite or session.signing_suite,
                            vault=Vault(session.paths.vault, session.data_key))
    ctx.out(_(T.WROTE).format(audit=args.audit, path=str(args.out),
                                                    parts=len(manifest["parts"])))
    return 0
