"""``fieldaudit-central``: run the reference platform, fill it with demo data, manage its database."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from central.config import SIGNATURE_SUITE_ENV, ConfigError, Settings, signature_suite_from_env
from central.db.engine import Database, default_url
from central.errors import ApiError
from sync.protocol import SIGNATURE_SUITES

PASSWORD_ENV = "FIELDAUDIT_CENTRAL_PASSWORD"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fieldaudit-central",
                                     description="FieldAudit reference central platform.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API")
    _db_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--signature-suite", choices=SIGNATURE_SUITES, default=None,
                       help="the certification body's signature suite, which devices sign with: international "
                            "(Ed25519, SHA-256) or national (SM2, SM3); default: "
                            f"${SIGNATURE_SUITE_ENV}, else international")
    seed = commands.add_parser("seed-demo", help="create the demo certification body and print its accounts")
    _db_option(seed)
    seed.add_argument("--json", action="store_true", help="print the accounts as JSON")
    user = commands.add_parser("create-user", help="create an account (the first platform admin, say); the "
                                                   f"password is read from ${PASSWORD_ENV} or asked")
    _db_option(user)
    user.add_argument("--username", required=True)
    user.add_argument("--display-name", required=True)
    user.add_argument("--role", required=True, choices=["platform_admin", "lead_auditor", "auditor", "auditee"])
    user.add_argument("--competence", nargs="*", default=[], help="IAF scope codes, e.g. 17 19.01")
    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    _db_option(migrate)
    openapi = commands.add_parser("openapi", help="print the OpenAPI document as YAML")
    openapi.add_argument("--output", help="write to this file instead of stdout")
    args = parser.parse_args(argv)
    try:
        return int(_HANDLERS[args.command](args))
    except ApiError as error:
        print(f"fieldaudit-central: {error.message}", file=sys.stderr)
        return 1
    except ConfigError as error:
        print(f"fieldaudit-central: {error}", file=sys.stderr)
        return 2


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a SQLite file in the user data "
                                                   "folder, or $FIELDAUDIT_CENTRAL_DB); e.g. "
                                                   "postgresql+psycopg://user@host/dbname")


def _serve(args: argparse.Namespace) -> int:
    from central.api.app import create_app, serve

    app = create_app(Settings(db_url=args.db or default_url(),
                              signature_suite=args.signature_suite or signature_suite_from_env()))
    serve(app, args.host, args.port)
    return 0


def _seed(args: argparse.Namespace) -> int:
    from central.services.clock import ServerHlc
    from central.services.seed import seed_demo

    settings = Settings(db_url=args.db or default_url())
    db = Database(settings.db_url)
    try:
        db.migrate()
        hlc = ServerHlc(settings.now)
        with db.read() as conn:
            hlc.load(conn)
        demo = seed_demo(db, hlc, settings.password_cost)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(demo, ensure_ascii=False, indent=2))
        return 0
    print(f"Demo certification body: {demo['certification_body']}")
    for account in demo["accounts"]:
        audits = "; ".join(f"{a['role']} on {a['title']} ({a['audit_id']})" for a in account["audits"])
        print(f"  {account['username']:<14} {account['role']:<15} password: {account['password']}"
              f"  {account['display_name']}" + (f"  [{audits}]" if audits else ""))
    return 0


def _create_user(args: argparse.Namespace) -> int:
    import getpass

    from pydantic import ValidationError

    from central.api.schemas import CreateUserRequest
    from central.services.admin import create_user

    password = os.environ.get(PASSWORD_ENV) or getpass.getpass(f"Password for {args.username}: ")
    try:
        request = CreateUserRequest(username=args.username, display_name=args.display_name, role=args.role,
                                    password=password, competence_codes=args.competence)
    except ValidationError as error:
        problem = error.errors()[0]
        print(f"fieldaudit-central: {'.'.join(map(str, problem['loc']))}: {problem['msg']}", file=sys.stderr)
        return 1
    settings = Settings(db_url=args.db or default_url())
    db = Database(settings.db_url)
    try:
        db.migrate()
        with db.write() as conn:
            user = create_user(conn, request, settings.password_cost)
    finally:
        db.dispose()
    print(f"created {user.username} ({user.role}) id {user.id}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    db = Database(args.db or default_url())
    try:
        db.migrate()
    finally:
        db.dispose()
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from central.openapi import render

    text = render()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


_HANDLERS = {"serve": _serve, "seed-demo": _seed, "create-user": _create_user, "migrate": _migrate,
             "openapi": _openapi}

if __name__ == "__main__":
    raise SystemExit(main())
