"""Security errors a user can meet when unlocking a profile."""

from __future__ import annotations

from app.errors import SecurityError
from app.i18n import N_


class WrongPassphrase(SecurityError):
    message = N_("The passphrase is wrong. Nothing was changed; try again.")
    exit_code = 3


class UnlockDelayed(SecurityError):
    message = N_("Too many wrong passphrases. Wait {seconds} seconds before the next try.")
    exit_code = 3


class WeakPassphrase(SecurityError):
    message = N_("The passphrase must have at least {minimum} characters.")


class PassphraseMismatch(SecurityError):
    message = N_("The two passphrases do not match.")


class PassphraseRequired(SecurityError):
    message = N_("A passphrase is needed: type it, or set FIELDAUDIT_PASSPHRASE for scripts.")


class KeyFileDamaged(SecurityError):
    message = N_("The key file {path} is damaged or not a FieldAudit key file.")


class KeyringUnavailable(SecurityError):
    message = N_("No secure system keyring is available on this computer, so the key cannot be remembered. "
                 "Enter the passphrase each time.")
