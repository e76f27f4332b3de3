"""``fieldaudit check-code {uscc|region|industry|iaf} VALUE [--json]``: exit 0 valid, 1 not valid.

Needs no profile: the dictionaries ship with the application.  The user-facing
texts live in ``app.refdata.render`` so the UI shows the very same wording.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.context import CliContext
from app.i18n import _
from app.refdata import CHECKS
from app.refdata.render import CHECK_CODE_HELP, KIND_HELP, VALUE_HELP, verdict_lines


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("check-code", help=_(CHECK_CODE_HELP))
    parser.add_argument("kind", choices=sorted(CHECKS), help=_(KIND_HELP))
    parser.add_argument("value", help=_(VALUE_HELP))
    parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    verdict = CHECKS[args.kind](args.value)
    if args.json:
        ctx.print_json(verdict.to_json())
    else:
        for line in verdict_lines(verdict):
            ctx.out(line)
    return 0 if verdict.valid else 1
