"""``fieldaudit plan``, ``fieldaudit report`` and ``fieldaudit documents`` (what was produced).

``plan AUDIT --format docx|pdf --out FILE`` and ``report AUDIT --format docx|pdf|ofd [--lang zh|en]
[--template FILE] --out FILE`` are a contract (scripts and the UI's export call them); further
options only add to them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.domain import Audit
from app.domain.audit import COMPLEXITY_CATEGORIES, Standard
from app.errors import FieldAuditError, NotFound, ValidationFailed
from app.i18n import N_, _, current_language
from app.planning.md5_tables import Complexity
from app.planning.plan_builder import ComplexityMissing
from app.reporting.report_check import ReportIncomplete
from app.reporting.report_input import load_report_input
from app.services import documents as service
from app.services.session import Session

LANG_CHOICES = ("zh", "zh_CN", "en")


class AmbiguousAudit(FieldAuditError):
    message = N_("{ident} matches several audits: give more of the id.")


def register(subparsers: Any) -> None:
    plan = subparsers.add_parser("plan", help=_("write the audit plan (docx or PDF)"))
    plan.add_argument("audit", metavar="AUDIT", help=_("audit id (or its unique beginning)"))
    plan.add_argument("--format", required=True, choices=service.PLAN_FORMATS, help=_("output format"))
    plan.add_argument("--out", required=True, type=Path, metavar="FILE", help=_("file to write"))
    _common(plan)
    plan.add_argument("--days", type=float, default=None,
                      help=_("auditor days on site (default: IAF MD 5 for the audit type)"))
    plan.add_argument("--complexity", action="append", default=[], metavar="[STANDARD=]LEVEL",
                      help=_("EMS/OH&S complexity category: high, medium, low or limited (default: the one the "
                             "audit records)"))
    plan.add_argument("--save-complexity", action="store_true",
                      help=_("record the --complexity categories on the audit (lead auditor; synced)"))
    plan.add_argument("--offsite", type=float, default=0.0, metavar="PERCENT",
                      help=_("off-site planning and reporting share of the audit time (at most 20%%)"))
    plan.add_argument("--cb-name", default="", help=_("certification body named on the plan"))
    plan.add_argument("--contact", action="append", default=[], metavar="SITE[/PROCESS]=NAME",
                      help=_("auditee contact for a site, a process or a site's process (default: the "
                             "client's representative)"))
    plan.set_defaults(handler=run_plan)

    report = subparsers.add_parser("report", help=_("write the audit report (docx, PDF or OFD)"))
    report.add_argument("audit", metavar="AUDIT", help=_("audit id (or its unique beginning)"))
    report.add_argument("--format", required=True, choices=service.FORMATS, help=_("output format"))
    report.add_argument("--out", required=True, type=Path, metavar="FILE", help=_("file to write"))
    _common(report)
    report.add_argument("--conclusions", type=Path, default=None, metavar="FILE",
                        help=_("JSON file with the lead auditor's conclusions and recommendation, saved onto "
                               "the audit first"))
    report.add_argument("--draft", action="store_true",
                        help=_("write a marked draft even when data is missing"))
    report.set_defaults(handler=run_report)

    listing = subparsers.add_parser("documents", help=_("plans and reports produced for an audit, with hashes"))
    listing.add_argument("audit", metavar="AUDIT", help=_("audit id (or its unique beginning)"))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(handler=run_documents)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANG_CHOICES, default=None,
                        help=_("language of the document (default: the language in use)"))
    parser.add_argument("--template", type=Path, default=None, metavar="FILE",
                        help=_("Word template to fill instead of the shipped one (docx only)"))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))


def find_audit(ctx: CliContext, ident: str) -> Audit:
    store = ctx.open_store()
    found: Audit | None = store.audits.find(ident)
    if found is not None:
        return found
    matches: list[Audit] = ([audit for audit in store.audits.list() if audit.id.startswith(ident)]
                            if len(ident) >= 4 else [])
    if len(matches) > 1:
        raise AmbiguousAudit(ident=ident)
    if not matches:
        from app.domain import entity_label

        raise NotFound(what=entity_label("audit"), ident=ident)
    return matches[0]


def parse_complexity(values: list[str], audit: Audit) -> dict[Standard, Complexity]:
    """``high`` (every standard of the audit) or ``ISO 14001:2015=high`` (one standard); checked per standard."""
    chosen: dict[Standard, Complexity] = {}
    for value in values:
        name, _sep, level = value.rpartition("=")
        try:
            complexity = Complexity(level.strip().lower())
        except ValueError:
            raise ValidationFailed(N_("Unknown complexity category {value}: use high, medium, low or limited."),
                                   value=level) from None
        if not name:
            # Every standard of the audit; one without categories (QMS) ignores it, as the IAF MD 5 table does.
            chosen.update({standard: complexity for standard in audit.standards})
            targets = [s for s in audit.standards if s in COMPLEXITY_CATEGORIES]
        else:
            match = next((s for s in audit.standards if str(s).replace(" ", "") == name.replace(" ", "")), None)
            if match is None:
                raise ValidationFailed(N_("{standard} is not a standard of this audit."), standard=name)
            targets = [match]
        for standard in targets:
            allowed = COMPLEXITY_CATEGORIES.get(standard, ())
            if not allowed:
                raise ValidationFailed(N_("{standard} has no IAF MD 5 complexity category (only ISO 14001 and ISO "
                                          "45001 have one)."), standard=str(standard))
            if complexity not in allowed:
                raise ValidationFailed(
                    N_("{standard} has no \"{category}\" complexity category in IAF MD 5: use one of {allowed}."),
                    standard=str(standard), category=complexity.value,
                    allowed=", ".join(c.value for c in allowed))
            chosen[standard] = complexity
    return chosen


def save_complexity(session: Session, audit: Audit, chosen: dict[Standard, Complexity]) -> None:
    """Record the categories on the audit through the write path (a synced patch, lead auditor only)."""
    if not any(standard in COMPLEXITY_CATEGORIES for standard in chosen):
        raise ValidationFailed(N_("--save-complexity needs the categories to save: give --complexity."))
    with session.store.unit_of_work(session.actor) as uow:
        current = uow.get(Audit, audit.id)
        service.check_lead(current, session.actor)
        merged = {**current.complexity, **{k: v for k, v in chosen.items() if k in COMPLEXITY_CATEGORIES}}
        uow.update(Audit, audit.id, {"complexity": {str(k): v.value for k, v in merged.items()}})


def parse_contacts(values: list[str]) -> dict[str, str]:
    contacts: dict[str, str] = {}
    for value in values:
        key, sep, name = value.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise ValidationFailed(N_("Give a contact as SITE=NAME, PROCESS=NAME or SITE/PROCESS=NAME, not {value}."),
                                   value=value)
        contacts[key.strip()] = name.strip()
    return contacts


def _language(value: str | None) -> str:
    return service.normalise_language(value or current_language())


def _done(ctx: CliContext, produced: service.Produced, as_json: bool) -> int:
    if as_json:
        ctx.print_json(produced.summary())
        return 0
    result = produced.result
    message = (N_("Report written: {path} ({format}, {size} bytes, SHA-256 {sha256})") if produced.kind == "report"
               else N_("Plan written: {path} ({format}, {size} bytes, SHA-256 {sha256})"))
    ctx.out(_(message).format(path=result.path, format=result.format, size=result.size, sha256=result.sha256))
    if produced.draft:
        ctx.out(_("This is a draft: it lists what is missing and must not be issued."))
    elif not produced.signed_off:
        ctx.out(_("The client's representative has not signed off the findings yet: the report is marked as a "
                  "draft."))
    return 0


def run_plan(args: argparse.Namespace, ctx: CliContext) -> int:
    audit = find_audit(ctx, args.audit)
    complexity = parse_complexity(args.complexity, audit)
    if args.save_complexity:
        save_complexity(ctx.open_session(), audit, complexity)
    try:
        produced = service.produce_plan(
            ctx.open_session(), audit.id, fmt=args.format, out=args.out, language=_language(args.lang),
            template=args.template, days=args.days, complexity=complexity,
            offsite_percent=args.offsite, contacts=parse_contacts(args.contact), cb_name=args.cb_name)
    except ComplexityMissing as error:
        error.hint = N_("Give it with --complexity LEVEL (or --complexity \"STANDARD=LEVEL\"); add --save-complexity "
                        "to record it on the audit, so later plans need no flag.")
        raise
    return _done(ctx, produced, args.json)


def run_report(args: argparse.Namespace, ctx: CliContext) -> int:
    conclusions = load_report_input(args.conclusions) if args.conclusions is not None else None
    audit = find_audit(ctx, args.audit)
    try:
        produced = service.produce_report(
            ctx.open_session(), audit.id, fmt=args.format, out=args.out, language=_language(args.lang),
            template=args.template, conclusions=conclusions, draft=args.draft)
    except ReportIncomplete as error:
        error.keys = True  # name each gap by the KEY that --set takes
        error.hint = N_("Give the missing data (the lead auditor's part with \"fieldaudit conclusions AUDIT --set "
                        "KEY=VALUE\" or --conclusions FILE), or add --draft for a marked draft.")
        raise
    return _done(ctx, produced, args.json)


def run_documents(args: argparse.Namespace, ctx: CliContext) -> int:
    audit = find_audit(ctx, args.audit)
    produced = service.produced_documents(ctx.open_store(), audit.id)
    if args.json:
        ctx.print_json(produced)
        return 0
    if not produced:
        ctx.out(_("Nothing has been produced for this audit yet."))
        return 0
    for entry in produced:
        flags = " " + _("(draft)") if entry.get("draft") else ""
        ctx.out(f"{entry['at'][:19]}  {entry.get('kind')}  {entry.get('format')}  {entry.get('language')}  "
                f"{entry.get('sha256')}  {entry.get('size')}  {entry.get('file_name')}{flags}")
    return 0
