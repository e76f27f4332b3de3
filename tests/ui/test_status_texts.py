"""The status bar's texts for each state of the connection (no widgets needed)."""

from __future__ import annotations

from app.i18n import set_language
from ui import status_texts
from ui.sync_status import SyncStatus

SIGNED_IN = SyncStatus(logged_in=True, server="https://cb.example.cn", username="zhang.wei")


def test_each_connection_state_says_what_it_is() -> None:
    set_language("en")
    assert status_texts.connection(None, "", offline=False) == "No platform set up"
    assert status_texts.connection(None, "https://cb.example.cn/api", offline=False) == \
        "Platform: cb.example.cn · not logged in"
    assert status_texts.connection(SIGNED_IN, "", offline=False) == "Platform: cb.example.cn · not synced yet"
    assert status_texts.connection(SIGNED_IN, "", offline=True) == \
        "Platform: cb.example.cn · offline, work is kept"
    synced = SyncStatus(logged_in=True, server="https://cb.example.cn", last_synced_at="2026-11-27T08:00:00+00:00")
    assert status_texts.connection(synced, "https://other.example", offline=False).startswith(
        "Platform: cb.example.cn · last sync ")


def test_user_and_pending_texts_in_both_languages() -> None:
    set_language("en")
    assert status_texts.user(SIGNED_IN, "u-local") == "User: zhang.wei"
    assert status_texts.user(None, "u-local") == "User: u-local"
    assert status_texts.user(None, "") == "User not set"
    assert status_texts.pending(0) == "No changes waiting"
    assert status_texts.pending(1) == "1 change waiting to sync"
    assert status_texts.pending(3) == "3 changes waiting to sync"
    set_language("zh_CN")
    assert status_texts.pending(3) != "3 changes waiting to sync" and "3" in status_texts.pending(3)
    assert status_texts.connection(None, "", offline=False) != "No platform set up"
