"""Audit planning: IAF MD 5 audit time and the audit plan schedule (no Qt, no store)."""
