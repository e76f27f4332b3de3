"""``fieldaudit init`` and ``fieldaudit passwd``: create a profile, change its passphrase."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.context import CliContext
from app.i18n import _
from app.security.unlock import Unlocker
from app.services.session import create_profile
from app.store.profile import ProfilePaths


def register(subparsers: Any) -> None:
    init = subparsers.add_parser("init", help=_("create a new encrypted profile"))
    init.add_argument("--remember", action="store_true",
                      help=_("remember the key in this computer's secure keyring"))
    init.set_defaults(handler=run_init)
    passwd = subparsers.add_parser("passwd", help=_("change the profile passphrase"))
    passwd.set_defaults(handler=run_passwd)


def run_init(args: argparse.Namespace, ctx: CliContext) -> int:
    passphrase = ctx.passphrase(confirm=True)
    with create_profile(ctx.profile_dir, passphrase, remember=args.remember) as session:
        ctx.out(_("Created an encrypted profile in {path} (device {device}).").format(
            path=ctx.profile_dir, device=session.store.device_id))
    return 0


def run_passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    old = ctx.passphrase()
    new = ctx.read_secret("FIELDAUDIT_NEW_PASSPHRASE", _("New passphrase: "),
                          confirm=_("Repeat the new passphrase: "))
    Unlocker(ProfilePaths(ctx.profile_dir)).change_passphrase(old, new)
    ctx.out(_("The passphrase was changed. No data had to be re-encrypted."))
    return 0
