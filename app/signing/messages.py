"""Signature problems in plain words, translated (the same English ids as ``app.verify.messages``)."""

from __future__ import annotations

from typing import Any

from app.i18n import N_, gettext

SIGNATURE_MESSAGES: dict[str, str] = {
    "unreadable": N_(
        'Signature {signature} cannot be read: it is not in a known format.'),
    "envelope_mismatch": N_(
        'Signature {signature} ({signer}, {time}): the signed content stored with it does not '
        'match its hash — the signature record was altered.'),
    "record_mismatch": N_(
        'Signature {signature} ({signer}, {time}): the signer, role, time or key in the record '
        'differ from what was signed — the record was altered.'),
    "bad_signature": N_(
        'Signature {signature} ({signer}, {time}) is not valid for its key: the signed content or '
        'the signature was altered.'),
    "handwritten_missing": N_(
        'Signature {signature} ({signer}) includes the handwritten signature {handwritten}, which '
        'is missing or was changed.'),
    "handwritten_unbound": N_(
        "The handwritten signature {signature} of {signer} is not covered by any auditor's device "
        'signature.'),
    "strokes_changed": N_(
        'The handwritten signature {signature} of {signer} was altered after it was signed.'),
    "countersign_invalid": N_(
        'The platform countersignature {signature} is not valid: it was altered or not made by the '
        'platform.'),
    "platform_key_unknown": N_(
        "Countersignature {signature} was made with the key {key}, which is not the platform's "
        'known key.'),
    "countersign_orphan": N_(
        'A platform countersignature refers to signature {target}, which is missing or has '
        'different content.'),
    "key_copied": N_(
        'The signing key {key} was used on more than one device ({devices}): the key was copied to '
        'another device, so its signatures cannot be attributed to one signer.'),
    "clock_ahead": N_(
        'Signature {signature} ({signer}) claims the time {time}, but the platform countersigned '
        "it earlier, at {platform_time}: the signing device's clock was wrong."),
    "clock_skewed": N_(
        "Signature {signature} ({signer}) was made while the device's clock differed from the "
        "platform's by {minutes} minutes."),
    "finding_changed": N_(
        'Finding {finding} was changed after {signer} signed it at {time}: the signature no longer '
        'covers its current content.'),
    "finding_missing": N_(
        'Finding {finding}, signed by {signer} at {time}, is missing.'),
    "report_changed": N_(
        'The report file {path} no longer has the content {signer} signed at {time}.'),
    "timestamp_invalid": N_(
        "The time-stamping authority's token kept with countersignature {signature} is not valid "
        '({detail}): it was altered, dates other content or was not made by that authority.'),
    "timestamp_time": N_(
        'The time-stamping authority dated countersignature {signature} at {tsa_time}, too far from '
        "the platform's time {platform_time}, or without the request's nonce."),
    "timestamp_pending": N_(
        "Signature {signature} ({signer}, {time}) has no time-stamp from the certification body's "
        'time-stamping authority yet: the authority did not answer; the next sync asks again.'),
    "not_countersigned": N_(
        'Signature {signature} ({signer}, {time}) has no platform countersignature yet: the device '
        'has not synced it.'),
}


def describe(code: str, params: dict[str, Any]) -> str:
    text = gettext(SIGNATURE_MESSAGES.get(code, code))
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
