"""``fieldaudit evidence add|list|export|annotate``."""

from __future__ import annotations

import argparse
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.domain import Evidence
from app.errors import ValidationFailed
from app.evidence import EvidenceService, EvidenceState, StripMode
from app.evidence import cli_texts as T
from app.evidence.state import STATE_LABELS
from app.i18n import N_, _


def register(subparsers: Any) -> None:
    evidence = subparsers.add_parser("evidence", help=_(T.GROUP))
    commands = evidence.add_subparsers(dest="evidence_command", required=True, metavar="COMMAND")

    add = commands.add_parser("add", help=_(T.ADD))
    add.add_argument("audit", metavar="AUDIT", help=_(T.AUDIT_ID))
    add.add_argument("files", metavar="FILE", nargs="+", type=Path)
    link = add.add_mutually_exclusive_group()
    link.add_argument("--item", metavar="ID", help=_(T.ITEM))
    link.add_argument("--finding", metavar="ID", help=_(T.FINDING))
    add.add_argument("--caption", default="", help=_(T.CAPTION))
    add.add_argument("--sensitive", action="store_true", help=_(T.SENSITIVE))
    add.add_argument("--json", action="store_true", help=_("machine-readable output"))
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", help=_(T.LIST))
    listing.add_argument("audit", metavar="AUDIT", help=_(T.AUDIT_ID))
    listing.add_argument("--json", action="store_true", help=_("machine-readable output"))
    listing.set_defaults(handler=run_list)

    export = commands.add_parser("export", help=_(T.EXPORT))
    export.add_argument("ident", metavar="SHA256", help=_(T.IDENT))
    export.add_argument("--out", metavar="FILE", required=True, type=Path, help=_(T.OUT))
    export.add_argument("--strip", choices=[mode.value for mode in StripMode], default=StripMode.NONE.value,
                        help=_(T.STRIP))
    export.add_argument("--force", action="store_true", help=_(T.FORCE))
    export.set_defaults(handler=run_export)

    annotate = commands.add_parser("annotate", help=_(T.ANNOTATE))
    annotate.add_argument("ident", metavar="EVIDENCE", help=_(T.PHOTO))
    annotate.add_argument("annotation", metavar="JSON", type=Path, help=_(T.SHAPES))
    annotate.add_argument("--caption", default=None, help=_(T.ANNOTATED_CAPTION))
    annotate.set_defaults(handler=run_annotate)


def summary(evidence: Evidence, state: EvidenceState | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": evidence.id, "sha256": evidence.sha256, "media_type": evidence.media_type,
        "size": evidence.size, "file_name": evidence.file_name, "caption": evidence.caption,
        "captured_at": evidence.captured_at.isoformat() if evidence.captured_at else None,
        "checklist_item_id": evidence.checklist_item_id, "finding_id": evidence.finding_id,
        "derived_from": evidence.derived_from, "sensitive": evidence.sensitive,
    }
    if state is not None:
        data["state"] = state.value
    return data


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


class _InterruptProgress:
    """Ctrl-C asks the import to stop cleanly (finished files stay, the others leave no trace)."""

    def __init__(self) -> None:
        self.stop = False

    def update(self, done: int, total: int, label: str = "") -> None:
        return None

    def cancelled(self) -> bool:
        return self.stop


@contextmanager
def _cancel_on_interrupt(progress: _InterruptProgress) -> Iterator[None]:
    def handler(_signum: int, _frame: object) -> None:
        progress.stop = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _service(ctx: CliContext) -> EvidenceService:
    return EvidenceService.for_session(ctx.open_session())


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    service = _service(ctx)
    progress = _InterruptProgress()
    with _cancel_on_interrupt(progress):
        report = service.import_files(args.audit, args.files, checklist_item_id=args.item,
                                      finding_id=args.finding, caption=args.caption,
                                      sensitive=args.sensitive, progress=progress)
    if args.json:
        ctx.print_json({"imported": [summary(e) for e in report.imported],
                        "failed": [{"path": f.path, "problem": f.message()} for f in report.failures],
                        "cancelled": report.cancelled})
    else:
        for evidence in report.imported:
            ctx.out("  ".join([evidence.sha256, evidence.media_type, human_size(evidence.size),
                               evidence.file_name]))
        ctx.out(_(T.IMPORTED).format(
            count=len(report.imported), total=len(args.files)))
    for failure in report.failures:
        ctx.stderr.write(_("Error: {message}").format(message=failure.message()) + "\n")
    if report.cancelled:
        ctx.stderr.write(_(T.CANCELLED) + "\n")
        return 130
    return 1 if report.failures else 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = _service(ctx).list(args.audit)
    if args.json:
        ctx.print_json([summary(evidence, state) for evidence, state in rows])
        return 0
    if not rows:
        ctx.out(_(T.NONE_YET))
        return 0
    for evidence, state in rows:
        ctx.out("  ".join([evidence.sha256, evidence.media_type, human_size(evidence.size),
                           _(STATE_LABELS[state]), evidence.file_name, evidence.caption]).rstrip())
    return 0


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    _evidence, written = _service(ctx).export(args.ident, args.out, strip=StripMode(args.strip),
                                              overwrite=args.force)
    ctx.out(_(T.WROTE).format(
        path=str(args.out), size=human_size(written)))
    return 0


def run_annotate(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        shapes = json.loads(args.annotation.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValidationFailed(N_("Cannot read {path}: {detail}"), path=str(args.annotation),
                               detail=type(error).__name__) from None
    created = _service(ctx).annotate(args.ident, shapes, caption=args.caption)
    ctx.out(_(T.CREATED).format(ident=created.id, sha256=created.sha256))
    return 0
