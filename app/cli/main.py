"""Parsing, dispatching and turning errors into one translated line on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from app.cli.context import CliContext
from app.cli.registry import command_modules
from app.errors import FieldAuditError
from app.i18n import _, language_from_environment, set_language


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own wording is English; say in the user's language that the call was wrong.
        self.exit(2, _("Invalid command: {detail}. See: fieldaudit --help").format(detail=message) + "\n")


def build_parser(modules: Sequence[ModuleType]) -> argparse.ArgumentParser:
    parser = _Parser(prog="fieldaudit", description=_("FieldAudit: offline audit work for certification bodies."))
    parser.add_argument("--profile", metavar="DIR", help=_("profile folder (default: per-user data folder)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in modules:
        module.register(commands)
    return parser


def run(argv: Sequence[str], extra_modules: Sequence[ModuleType] = ()) -> int:
    set_language(language_from_environment())
    parser = build_parser([*command_modules(), *extra_modules])
    args = parser.parse_args(list(argv))
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    ctx = CliContext.from_profile_arg(args.profile)
    try:
        return int(handler(args, ctx))
    except FieldAuditError as error:
        sys.stderr.write(_("Error: {message}").format(message=str(error)) + "\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(_("Interrupted.") + "\n")
        return 130
    finally:
        ctx.close()
