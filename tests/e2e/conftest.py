"""The seeded demo platform the end-to-end flows run against: a real server process on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ui import demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """The platform's address and the demo accounts by username (seeded once per test module)."""
    folder = tmp_path_factory.mktemp("platform")
    seeded = subprocess.run([sys.executable, "-c", "import sys; from central.cli import main; sys.exit(main())",
                             "seed-demo", "--db", f"sqlite:///{folder / 'central.sqlite3'}", "--json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    (folder / "demo-accounts.json").write_text(seeded.stdout, "utf-8")
    accounts = {a["username"]: a for a in json.loads(seeded.stdout)["accounts"]}
    with demo.local_platform(folder) as url:
        yield url, accounts
