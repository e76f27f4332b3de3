"""``./run.sh``: the embedded default — a local reference platform with demo data, then the app.

The platform runs as a child process on a free loopback port with a SQLite file in the user's
data folder; it is seeded once, its demo accounts are written next to it (``demo-accounts.json``)
and printed, and the app's settings point at it unless the user already chose a platform.
The child stops when the app closes.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import requests

from app import settings as app_settings
from app.i18n import _

DEMO_DIR_NAME = "demo-platform"


def demo_dir() -> Path:
    folder = Path(platformdirs.user_data_dir("FieldAudit", appauthor=False)) / DEMO_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _central(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from central.cli import main; sys.exit(main(sys.argv[1:]))", *args]


def ensure_seeded(folder: Path) -> list[dict[str, object]]:
    accounts_file = folder / "demo-accounts.json"
    url = f"sqlite:///{folder / 'central.sqlite3'}"
    if not accounts_file.exists():
        seeded = subprocess.run(_central("seed-demo", "--db", url, "--json"), capture_output=True, text=True,
                                timeout=300)
        if seeded.returncode != 0:
            raise RuntimeError(seeded.stderr.strip() or "seed-demo failed")
        accounts_file.write_text(seeded.stdout, "utf-8")
        accounts_file.chmod(0o600)
    data = json.loads(accounts_file.read_text("utf-8"))
    return list(data.get("accounts", []))


@contextlib.contextmanager
def local_platform(folder: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("ab")
    child = subprocess.Popen(_central("serve", "--db", f"sqlite:///{folder / 'central.sqlite3'}", "--port", str(port)),
                             stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(url + "/health", timeout=1).ok:
                    break
            if child.poll() is not None:
                raise RuntimeError(_("The local reference platform did not start; see {path}").format(
                    path=folder / "server.log"))
            time.sleep(0.2)
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        log.close()


def main(argv: list[str] | None = None) -> int:
    from ui.app import run_desktop

    arguments = list(sys.argv[1:] if argv is None else argv)
    profile = arguments[1] if len(arguments) == 2 and arguments[0] == "--profile" else None
    folder = demo_dir()
    accounts = ensure_seeded(folder)
    with local_platform(folder) as url:
        current, _problem = app_settings.load_or_default()
        if not current.platform_url or current.platform_url.startswith("http://127.0.0.1:"):
            app_settings.save(current.model_copy(update={"platform_url": url}))
        print(_("Local reference platform with demo data: {url}").format(url=url))
        print(_("Demo accounts (also in {path}):").format(path=folder / "demo-accounts.json"))
        for account in accounts:
            print(f"  {account.get('username')!s:<12} {account.get('password')!s:<14} {account.get('role')}")
        return run_desktop(profile)


if __name__ == "__main__":
    sys.exit(main())
