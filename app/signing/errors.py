"""Errors a user can meet while signing or checking signatures."""

from __future__ import annotations

from app.errors import SecurityError
from app.i18n import N_


class SigningError(SecurityError):
    message = N_("The signature could not be made.")


class UnknownSuite(SigningError):
    message = N_("{suite} is not a signature suite. Use “international” (Ed25519, SHA-256) or "
                 "“national” (SM2, SM3).")


class KeyFromAnotherDevice(SigningError):
    message = N_("The signing key {key} was created on another device ({owner}) and cannot be used on this "
                 "device ({device}). A copied key is never used; sign with this device's own key.")


class KeyUnreadable(SigningError):
    message = N_("The signing key {key} of this device cannot be unlocked (it was damaged or copied from "
                 "another profile).")


class NothingToSign(SigningError):
    message = N_("There are no findings to sign in audit {audit}.")


class FindingNotInAudit(SigningError):
    message = N_("Finding {finding} does not belong to audit {audit}.")


class NotAnswered(SigningError):
    message = N_("Finding {finding} has not been accepted or disputed by the organisation yet; it cannot be "
                 "signed off.")


class BadStrokes(SigningError):
    message = N_("The handwritten signature cannot be used: {detail}")


class IdentityMissing(SigningError):
    message = N_("The representative's name is required to sign.")


class ReportMissing(SigningError):
    message = N_("The report file {path} cannot be read.")


class CountersignInvalid(SigningError):
    message = N_("The platform's countersignature for signature {signature} is not valid ({detail}); it was "
                 "not stored.")


class PlatformKeyChanged(SigningError):
    message = N_("The platform signed with a different key ({found}) than the one this device knows "
                 "({known}). The countersignature was not stored; ask your certification body.")


class TimestampMissing(SigningError):
    message = N_("The certification body's time-stamping authority did not time-stamp signature {signature} "
                 "({detail}). The platform's countersignature is kept without it; the next sync asks again.")


class ClockSkewed(SigningError):
    message = N_("This computer's clock differs from the platform's by {minutes} minutes. Correct the clock "
                 "before signing: a signature carries its time.")


class TooManyFindings(SigningError):
    message = N_("{count} findings are too many for one signature; sign them in smaller groups.")
