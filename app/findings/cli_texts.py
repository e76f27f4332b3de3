"""Texts of ``fieldaudit finding`` and ``export-trail`` (kept here so they live in the findings catalogue)."""

from __future__ import annotations

from app.i18n import N_

GROUP = N_("findings: lifecycle, deadlines, clause suggestions")
LIST = N_("list an audit's findings with deadlines and signatures")
TODAY = N_("judge deadlines on this date")
MOVE = N_("take a lifecycle action on a finding")
HISTORY = N_("show a finding's transitions from the journal")
SUGGEST = N_("suggest clauses for a nonconformity statement")
METHODS = N_("suggest how to verify a finding's corrective action")
EXPORT = N_("write a verifiable audit-trail package")
SUITE = N_("signature suite (default: the one the certification body chose, international until the platform "
           "has said)")
NONE_YET = N_("No findings in this audit yet.")
CHANGED = N_("changed since it was signed")
MOVED = N_("Finding {ident} is now: {state}")
WROTE = N_("Wrote the trail of audit {audit} to {path} ({parts} parts). Check it with: python -m app.verify {path}")
