"""``python -m app.verify PACKAGE [--json] [--lang zh|en]``: exit 0 when the trail is intact, 1 if not."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.verify.messages import language, say
from app.verify.package import Outcome, verify_package

SUMMARY = {
    "en": ("INTACT: the trail of audit {audit} checks out: {entries} journal entries, {signatures} signatures "
           "({countersigned} platform countersignatures).",
           "BROKEN: the trail of audit {audit} does not check out ({count} problem(s)).",
           "warning"),
    "zh": ("完好：审核 {audit} 的追溯数据验证通过：日志条目 {entries} 条，"
           "签名 {signatures} 个（其中平台副署 {countersigned} 个）。",
           "已损坏：审核 {audit} 的追溯数据未通过验证（{count} 个问题）。",
           "提示"),
}


def report(outcome: Outcome, lang: str) -> list[str]:
    good, bad, warning = SUMMARY[lang]
    errors = [p for p in outcome.problems if not p.warning]
    params = {"audit": outcome.audit_id or "?", "entries": outcome.journal_entries,
              "signatures": outcome.signatures, "countersigned": outcome.countersigned, "count": len(errors)}
    lines = [(good if outcome.ok else bad).format(**params)]
    lines += [f"  - {say(p.code, p.params, lang)}" for p in errors]
    lines += [f"  ({warning}) {say(p.code, p.params, lang)}" for p in outcome.problems if p.warning]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.verify",
                                     description="Verify a FieldAudit audit-trail package.")
    parser.add_argument("package", type=Path)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--lang", choices=["zh", "en"], default=None)
    args = parser.parse_args(argv)
    lang = args.lang or language()
    outcome = verify_package(args.package)
    if args.json:
        json.dump({"ok": outcome.ok, "audit_id": outcome.audit_id, "journal_entries": outcome.journal_entries,
                   "signatures": outcome.signatures,
                   "problems": [{"code": p.code, "warning": p.warning, "message": say(p.code, p.params, lang)}
                                for p in outcome.problems]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(report(outcome, lang)) + "\n")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
