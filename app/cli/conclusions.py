"""``fieldaudit conclusions AUDIT [--set KEY=VALUE ...] [--from FILE] [--json]``: the lead auditor's part.

Without ``--set``/``--from`` it shows the audit's conclusions and what the report still needs from
the lead auditor; with them it writes through the store's write path (a synced patch of the audit)
and then shows the result.  ``--from`` reads the same JSON as ``report --conclusions FILE``;
``--set`` values are applied after it.  ``--set KEY=`` clears a field.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.cli.documents import find_audit
from app.domain.audit import AuditConclusion, Recommendation
from app.domain.base import field_label
from app.errors import ValidationFailed
from app.i18n import N_, _
from app.reporting.report_check import lead_auditor_missing
from app.reporting.report_data import ReportData
from app.reporting.report_input import load_report_input
from app.services.documents import save_conclusions

FIELDS = tuple(AuditConclusion.model_fields)
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不"})


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("conclusions", help=_("show or edit the lead auditor's conclusions of an audit"))
    parser.add_argument("audit", metavar="AUDIT", help=_("audit id (or its unique beginning)"))
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="values",
                        help=_("set one field (repeatable); KEY= clears it"))
    parser.add_argument("--from", type=Path, default=None, metavar="FILE", dest="source",
                        help=_("JSON file with conclusions to merge in"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.set_defaults(handler=run)


def _value(key: str, text: str) -> Any:
    """The typed value of ``--set KEY=TEXT``; empty text clears the field."""
    annotation = AuditConclusion.model_fields[key].annotation
    stripped = text.strip()
    if annotation == (bool | None):
        if not stripped:
            return None
        lowered = stripped.lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise ValidationFailed(N_("{key} takes yes or no, not {value}."), key=key, value=stripped[:40])
    if annotation == (Recommendation | None):
        if not stripped:
            return None
        if stripped not in {r.value for r in Recommendation}:
            raise ValidationFailed(N_("{key} must be one of {expected}, not {value}."), key=key,
                                   expected=", ".join(r.value for r in Recommendation), value=stripped[:40])
        return stripped
    return text


def parse_assignments(values: list[str]) -> dict[str, Any]:
    """``["recommendation=recommend", "scope_appropriate=yes"]`` -> typed field values."""
    changes: dict[str, Any] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValidationFailed(N_("Give a field as KEY=VALUE, not {value}."), value=value[:60])
        if key not in FIELDS:
            raise ValidationFailed(N_("{key} is not a field of the conclusions; the fields are: {fields}."),
                                   key=key[:40], fields=", ".join(FIELDS))
        changes[key] = _value(key, text)
    return changes


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    audit = find_audit(ctx, args.audit)
    changes: dict[str, Any] = {}
    if args.source is not None:
        changes.update(load_report_input(args.source).model_dump(mode="json", exclude_unset=True))
    changes.update(parse_assignments(args.values))
    if changes:
        session = ctx.open_session()
        audit = save_conclusions(session.store, session.actor, audit.id, changes)
    given = audit.conclusions or AuditConclusion()
    missing = [item.message(keys=True) for item in lead_auditor_missing(ReportData(audit=audit))]
    if args.json:
        ctx.print_json({"audit_id": audit.id, "conclusions": given.model_dump(mode="json"), "missing": missing})
        return 0
    if changes:
        ctx.out(_("Conclusions saved ({count} fields).").format(count=len(changes)))
    for key in FIELDS:
        ctx.out(f"{field_label((key,))} ({key}): {_shown(getattr(given, key))}")
    if missing:
        ctx.out(_("Still needed for the report:"))
        for line in missing:
            ctx.out(f"- {line}")
    return 0
