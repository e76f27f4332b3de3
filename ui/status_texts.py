"""The main window's status-bar texts: where the platform is, who is signed in, what waits to sync."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from app.i18n import _, ngettext
from ui.dates import when

if TYPE_CHECKING:
    from ui.sync_status import SyncStatus


def connection(status: SyncStatus | None, platform_url: str, offline: bool) -> str:
    """``platform_url`` is the settings' address, shown until a login names the server; ``offline``: the
    last round failed."""
    url = status.server if status is not None and status.logged_in else platform_url
    host = urlparse(url).netloc if url else ""
    if not host:
        return _("No platform set up")
    if status is None or not status.logged_in:
        return _("Platform: {host} · not logged in").format(host=host)
    if offline:
        return _("Platform: {host} · offline, work is kept").format(host=host)
    if status.last_synced_at:
        return _("Platform: {host} · last sync {when}").format(host=host, when=when(status.last_synced_at))
    return _("Platform: {host} · not synced yet").format(host=host)


def user(status: SyncStatus | None, user_id: str) -> str:
    name = status.username if status is not None and status.logged_in else user_id
    return _("User: {user}").format(user=name) if name else _("User not set")


def pending(count: int) -> str:
    if count:
        return ngettext("{count} change waiting to sync", "{count} changes waiting to sync",
                        count).format(count=count)
    return _("No changes waiting")
