"""Network commands: ``fieldaudit login``, ``fieldaudit sync``, ``fieldaudit quarantine export``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli.context import CliContext
from app.i18n import _
from app.store.atomic import atomic_write_bytes
from sync import state
from sync.engine import SyncEngine
from sync.errors import PasswordRequired

PASSWORD_ENV = "FIELDAUDIT_PASSWORD"


def register(subparsers: Any) -> None:
    login = subparsers.add_parser("login", help=_("connect this profile to the certification body's platform"))
    login.add_argument("--server", required=True, metavar="URL", help=_("platform address, e.g. https://..."))
    login.add_argument("--user", required=True, metavar="NAME", help=_("your platform user name"))
    login.add_argument("--json", action="store_true", help=_("machine-readable output"))
    login.set_defaults(handler=run_login)
    sync = subparsers.add_parser("sync", help=_("send your changes and receive the team's (one round)"))
    sync.add_argument("--json", action="store_true", help=_("machine-readable output"))
    sync.set_defaults(handler=run_sync)
    quarantine = subparsers.add_parser("quarantine", help=_("unsent changes of audits you were removed from"))
    commands = quarantine.add_subparsers(dest="quarantine_command", required=True, metavar="COMMAND")
    export = commands.add_parser("export", help=_("write them to a JSON file"))
    export.add_argument("--out", required=True, type=Path)
    export.set_defaults(handler=run_quarantine_export)


def run_login(args: argparse.Namespace, ctx: CliContext) -> int:
    password = ctx.read_secret(PASSWORD_ENV, _("Platform password: "), missing=PasswordRequired)
    engine = SyncEngine(ctx.open_session())
    tokens = engine.login(args.server, args.user, password)
    if args.json:
        ctx.print_json({"server": args.server, "user_id": tokens.user_id, "username": tokens.username,
                        "role": tokens.role, "device_id": tokens.device_id})
    else:
        ctx.out(_("Logged in to {server} as {name} ({role}). This computer is registered as device {device}.").format(
            server=args.server, name=tokens.display_name, role=tokens.role, device=tokens.device_id))
    return 0


def run_sync(args: argparse.Namespace, ctx: CliContext) -> int:
    report = SyncEngine(ctx.open_session()).run_once()
    if args.json:
        ctx.print_json(report.to_json())
    else:
        for line in report.lines():
            ctx.out(line)
    return 0


def run_quarantine_export(args: argparse.Namespace, ctx: CliContext) -> int:
    entries = state.quarantined(ctx.open_store())
    atomic_write_bytes(args.out, json.dumps(entries, ensure_ascii=False, indent=2).encode("utf-8"))
    ctx.out(_("Wrote {count} quarantined change sets to {path}.").format(count=len(entries), path=args.out))
    return 0
