"""Signatures: per-device keys, the auditee's handwritten sign-off, coverage, countersignatures, trails."""
