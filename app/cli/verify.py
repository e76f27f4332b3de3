"""``fieldaudit verify``: exit 0 when every check holds, 1 naming the first broken item."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.context import CliContext
from app.i18n import _
from app.services.verification import verify_profile


def register(subparsers: Any) -> None:
    verify = subparsers.add_parser("verify", help=_("check the database, the journal chain and evidence files"))
    verify.add_argument("--json", action="store_true", help=_("machine-readable output"))
    verify.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    results = verify_profile(ctx.open_session())
    ok = all(result.ok for result in results)
    if args.json:
        ctx.print_json({"ok": ok, "checks": [result.to_json() for result in results]})
    else:
        for result in results:
            status = _("OK") if result.ok else _("BROKEN")
            line = f"{status}  {result.name} ({result.checked})"
            ctx.out(line if result.ok else f"{line}: {result.message()}")
    if not ok:
        first = next(result for result in results if not result.ok)
        ctx.stderr.write(first.message() + "\n")
    return 0 if ok else 1
