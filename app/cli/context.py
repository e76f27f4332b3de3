"""What every command gets: output helpers, the profile location and unlocking."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from app.errors import FieldAuditError
from app.security.errors import PassphraseMismatch, PassphraseRequired
from app.services.session import Session, open_profile
from app.store.profile import default_profile_dir

PASSPHRASE_ENV = "FIELDAUDIT_PASSPHRASE"


@dataclass
class CliContext:
    profile_dir: Path
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    _session: Session | None = None

    @classmethod
    def from_profile_arg(cls, profile: str | None) -> CliContext:
        return cls(Path(profile).expanduser() if profile else default_profile_dir())

    def out(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def print_json(self, value: Any) -> None:
        json.dump(value, self.stdout, ensure_ascii=False, indent=2, default=str)
        self.stdout.write("\n")

    def _interactive(self) -> bool:
        return bool(getattr(self.stdin, "isatty", lambda: False)())

    def read_secret(self, env_name: str, prompt: str, *, confirm: str | None = None,
                    missing: type[FieldAuditError] = PassphraseRequired) -> str:
        """A secret from the environment (scripts) or typed on the terminal (never echoed)."""
        value = self.environ.get(env_name)
        if value:
            return value
        if not self._interactive():
            raise missing()
        first = getpass.getpass(prompt)
        if confirm is not None and getpass.getpass(confirm) != first:
            raise PassphraseMismatch()
        return first

    def passphrase(self, *, confirm: bool = False) -> str:
        from app.i18n import _

        return self.read_secret(PASSPHRASE_ENV, _("Passphrase: "),
                                confirm=_("Repeat the passphrase: ") if confirm else None)

    def open_session(self) -> Session:
        if self._session is None:
            remembered: Session | None = None
            if not self.environ.get(PASSPHRASE_ENV):
                try:
                    remembered = open_profile(self.profile_dir)
                except PassphraseRequired:
                    remembered = None
            self._session = remembered or open_profile(self.profile_dir, passphrase=self.passphrase())
        return self._session

    def open_store(self) -> Any:
        return self.open_session().store

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None
