"""What can go wrong talking to the platform, in words a user can act on."""

from __future__ import annotations

from app.errors import SyncError
from app.i18n import N_


class PlatformUnreachable(SyncError):
    message = N_("Cannot reach the platform at {url} ({detail}). Your work is kept on this computer and will be "
                 "sent at the next sync.")


class PlatformTimeout(SyncError):
    message = N_("The platform at {url} did not answer in time. Your work is kept and will be sent later.")


class PlatformGarbage(SyncError):
    message = N_("The platform sent a reply that is not valid ({detail}). Nothing was changed on this computer.")


class PlatformFailure(SyncError):
    message = N_("The platform had an internal error (HTTP {status}). FieldAudit will try again later.")


class NotLoggedIn(SyncError):
    message = N_("This profile is not connected to a platform. Run: fieldaudit login --server URL --user NAME")


class LoginFailed(SyncError):
    message = N_("Login failed: {detail}")


class SessionExpired(SyncError):
    message = N_("Your platform login has expired or was revoked. Log in again.")


class UpgradeRequired(SyncError):
    message = N_("The platform needs a newer version of FieldAudit: {detail}")


class AccessDenied(SyncError):
    message = N_("The platform refused the request: {detail}")


class RequestRejected(SyncError):
    message = N_("The platform rejected the request (HTTP {status}, {code}): {detail}")


class PasswordRequired(SyncError):
    message = N_("A password is needed: type it, or set FIELDAUDIT_PASSWORD for scripts.")
