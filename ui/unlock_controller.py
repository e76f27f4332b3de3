"""Unlocking (or creating) the profile: key derivation runs on the database thread.

The session is opened on the database thread on purpose: its SQLCipher
connection and profile lock belong to that thread, where all later store work runs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import FieldAuditError
from app.i18n import _
from app.progress import Progress
from app.security.errors import (
    KeyringUnavailable,
    PassphraseMismatch,
    PassphraseRequired,
    UnlockDelayed,
    WeakPassphrase,
)
from app.store import ProfilePaths
from ui.language import Language
from ui.runner import Runner
from ui.signals import emit
from ui.unlock_view import UnlockView
from ui.widgets import after_first_paint

if TYPE_CHECKING:
    from app.services.session import Session

# The session, key derivation and keyring modules are imported on the database thread, where they are
# used: probing the system keyring alone takes ~0.1 s (plugin discovery), too long for the first paint.


def _seconds_to_wait(paths: ProfilePaths) -> float:
    from app.security.unlock import Unlocker

    return Unlocker(paths).seconds_to_wait() if paths.exists() else 0.0


def _probe(paths: ProfilePaths) -> tuple[bool, float]:
    """(is a secure keyring there, seconds of back-off still to wait) — on the database thread."""
    from app.security import keyring_cache

    return keyring_cache.available(), _seconds_to_wait(paths)


class UnlockController(QObject):
    unlocked = Signal(object)  # Session
    # The unlock job is queued: the GUI thread is free while the key is derived (the KDF lets the
    # interpreter go), a moment to load the next screen's modules.
    unlocking = Signal()

    def __init__(self, view: UnlockView, runner: Runner, profile_dir: Path, language: Language,
                 create_cost: dict[str, int] | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.runner = runner
        self.paths = ProfilePaths(profile_dir)
        self.language = language
        self._cost = create_cost
        self._busy = False
        self._wait_until = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._remaining = 0
        self._showing_wait = False
        self._keyring_ok = False  # until the probe says otherwise
        self._keyring_known = False
        self._probes = 0
        self._probe_waiting = False
        view.submit.clicked.connect(self.submit)
        view.passphrase.returnPressed.connect(self._enter_pressed)
        view.confirm.returnPressed.connect(self.submit)
        view.language.currentIndexChanged.connect(
            lambda _i: language.apply(str(view.language.currentData())))
        language.changed.connect(self.retranslate)
        self.reset()

    # -- state ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to an empty form (on start and every time the profile is locked)."""
        self.view.set_creating(not self.paths.exists())
        self.view.passphrase.clear()
        self.view.confirm.clear()
        self.view.message.clear_error()
        self.view.passphrase_error.clear_error()
        self.view.confirm_error.clear_error()
        self._set_busy(False)
        self.retranslate()
        self.view.passphrase.setFocus()
        self._probes += 1
        self._probe_waiting = False
        # After the first paint, and on the pool, not the database thread: an unlock typed at once must
        # not wait behind it.
        after_first_paint(self.view, self._probe_keyring)

    @property
    def busy(self) -> bool:
        """An unlock (or profile creation) is running on the database thread."""
        return self._busy

    def _probe_keyring(self) -> None:
        if self._busy:
            # An unlock typed at once needs the interpreter more (keyring plugin discovery takes ~0.1 s);
            # the probe only matters if the form comes back (wrong passphrase, no remembered key).
            self._probe_waiting = True
            return
        paths, probe = self.paths, self._probes
        job = self.runner.network(lambda _progress: _probe(paths))
        job.succeeded.connect(lambda found: self._probed(probe, found))

    def _probe_if_waiting(self) -> None:
        if self._probe_waiting:
            self._probe_waiting = False
            self._probe_keyring()

    def _probed(self, probe: int, found: tuple[bool, float]) -> None:
        if probe != self._probes:  # an older probe answering late
            return
        self._keyring_ok, wait = found
        self._keyring_known = True
        if not self._busy:
            self.view.remember.setEnabled(self._keyring_ok)
        self.retranslate()
        if wait > 0 and self._remaining <= 0:
            self._start_countdown(math.ceil(wait))

    def retranslate(self) -> None:
        self.view.show_language(self.language.code)
        self.view.retranslate()
        keyring_ok = self._keyring_ok
        self.view.remember.setEnabled(keyring_ok and not self._busy)
        if not keyring_ok:
            self.view.remember.setChecked(False)
        self.view.remember_note.setText(
            _("The key is kept in the system's secure keyring; you will not be asked for the passphrase "
              "when FieldAudit starts.") if keyring_ok or not self._keyring_known else str(KeyringUnavailable()))
        self.view.profile_path.setText(_("Profile: {path}").format(path=self.paths.root))
        if self._remaining > 0:
            self._show_wait()

    def try_remembered_key(self) -> None:
        """At start only: open with the key in the keyring, if there is one (never after a lock)."""
        if not self.paths.exists():
            return
        root = self.paths.root

        def work(_progress: Progress) -> Session | None:
            from app.security import keyring_cache
            from app.services.session import open_profile

            return open_profile(root) if keyring_cache.available() else None

        self._set_busy(True)
        job = self.runner.database(work, _("Unlocking"))
        job.succeeded.connect(self._done)
        job.failed.connect(lambda error: self._remembered_failed(error))
        QTimer.singleShot(0, lambda: emit(self.unlocking))

    def _remembered_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._probe_if_waiting()
        if not isinstance(error, PassphraseRequired):
            self.view.message.show_error(str(error))

    # -- actions -------------------------------------------------------------------------
    def _enter_pressed(self) -> None:
        if self.view.creating:
            self.view.confirm.setFocus()
        else:
            self.submit()

    def submit(self) -> None:
        if self._busy or self._remaining > 0:
            return
        view = self.view
        view.message.clear_error()
        view.passphrase_error.clear_error()
        view.confirm_error.clear_error()
        passphrase = view.passphrase.text()
        remember = view.remember.isChecked() and view.remember.isEnabled()
        root = self.paths.root
        if view.creating:
            if passphrase != view.confirm.text():
                view.confirm_error.show_error(str(PassphraseMismatch()))
                view.confirm.setFocus()
                return
            cost = self._cost

            def work(_progress: Progress) -> Session:
                from app.services.session import create_profile

                return create_profile(root, passphrase, remember=remember, cost=cost)
            title = _("Creating the encrypted profile")
        else:
            if not passphrase:
                view.passphrase_error.show_error(_("Enter the passphrase."))
                return

            def work(_progress: Progress) -> Session:
                from app.services.session import open_profile

                return open_profile(root, passphrase=passphrase, remember=remember)
            title = _("Unlocking")
        self._set_busy(True)
        job = self.runner.database(work, title)
        job.succeeded.connect(self._done)
        job.failed.connect(self._failed)
        QTimer.singleShot(0, lambda: emit(self.unlocking))

    def _done(self, session: Session | None) -> None:
        self._set_busy(False)
        if session is None:  # no secure keyring: the passphrase is needed
            self._probe_if_waiting()
            return
        self.view.passphrase.clear()
        self.view.confirm.clear()
        emit(self.unlocked, session)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._probe_if_waiting()
        view = self.view
        view.passphrase.selectAll()
        view.passphrase.setFocus()
        if isinstance(error, UnlockDelayed):
            self._start_countdown(int(error.params.get("seconds", 1)))
            return
        if isinstance(error, WeakPassphrase):
            view.passphrase_error.show_error(str(error))
            return
        view.message.show_error(str(error) if isinstance(error, FieldAuditError) else str(FieldAuditError()))
        if self.paths.exists():
            self._start_countdown(math.ceil(_seconds_to_wait(self.paths)))

    # -- back-off countdown ----------------------------------------------------------------
    def _start_countdown(self, seconds: int) -> None:
        self._remaining = max(0, seconds)
        if self._remaining > 0:
            self._countdown.start()
        self._show_wait()

    def _tick(self) -> None:
        self._remaining -= 1
        if self._remaining <= 0:
            self._countdown.stop()
            self._remaining = 0
        self._show_wait()

    def _show_wait(self) -> None:
        waiting = self._remaining > 0
        self.view.submit.setEnabled(not waiting and not self._busy)
        if waiting:
            self.view.message.show_error(str(UnlockDelayed(seconds=self._remaining)))
            self._showing_wait = True
        elif self._showing_wait:
            self.view.message.clear_error()
            self._showing_wait = False

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        view = self.view
        for widget in (view.passphrase, view.confirm, view.remember, view.language):
            widget.setEnabled(not busy)
        if not busy:
            view.remember.setEnabled(self._keyring_ok)
        view.submit.setEnabled(not busy and self._remaining <= 0)
        if busy:
            view.submit.setText(_("Creating…") if view.creating else _("Unlocking…"))
        else:
            view.retranslate()

