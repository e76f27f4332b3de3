"""``fieldaudit audit list|import``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.domain import Audit
from app.domain.audit import AUDIT_STATUS_LABELS, AUDIT_TYPE_LABELS
from app.domain.base import parse
from app.errors import ValidationFailed
from app.i18n import N_, _


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help=_("audits in this profile"))
    commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help=_("list the audits"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(handler=run_list)
    load = commands.add_parser("import", help=_("add an audit from a JSON file (as assigned offline)"))
    load.add_argument("file", type=Path)
    load.set_defaults(handler=run_import)


def audit_summary(audit: Audit) -> dict[str, Any]:
    return {
        "id": audit.id, "title": audit.title, "client": audit.client.name,
        "standards": [str(s) for s in audit.standards], "audit_type": audit.audit_type.value,
        "start_date": audit.start_date.isoformat(), "end_date": audit.end_date.isoformat(),
        "status": audit.status.value,
    }


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    store = ctx.open_store()
    audits = sorted(store.audits.list(), key=lambda a: (a.start_date, a.title))
    if args.json:
        ctx.print_json([audit_summary(a) for a in audits])
        return 0
    if not audits:
        ctx.out(_("No audits in this profile yet."))
        return 0
    for audit in audits:
        ctx.out("  ".join([
            audit.start_date.isoformat(), _(AUDIT_TYPE_LABELS[audit.audit_type]), audit.client.name,
            ", ".join(str(s) for s in audit.standards), _(AUDIT_STATUS_LABELS[audit.status]), audit.id,
        ]))
    return 0


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        raw = json.loads(args.file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(N_("Cannot read {path}: {detail}"), path=str(args.file),
                               detail=type(error).__name__) from None
    audit = parse(Audit, raw)
    store = ctx.open_store()
    with store.unit_of_work(actor=ctx.open_session().actor) as uow:
        uow.create(audit)
    ctx.out(_("Imported audit {ident}.").format(ident=audit.id))
    return 0
