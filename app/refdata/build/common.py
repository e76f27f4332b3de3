"""Helpers shared by the data-build scripts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from app.refdata.data import DATA_DIR


def initials(name: str) -> str:
    """Pinyin initials of a Chinese name (``"南山区"`` -> ``"nsq"``), computed at build time.

    Letters and digits in the name are kept (lower-cased); punctuation is dropped.
    """
    from pypinyin import Style, lazy_pinyin

    letters: list[str] = []
    for syllable in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default"):
        for ch in syllable:
            if ch.isascii() and ch.isalnum():
                letters.append(ch.lower())
    return "".join(letters)


def write_json(name: str, payload: Any, folder: Path = DATA_DIR) -> Path:
    """Write compact, stable JSON (temp file then rename, so a reader never sees half a file)."""
    target = folder / name
    tmp = target.with_suffix(target.suffix + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n",
                   encoding="utf-8")
    os.replace(tmp, target)
    return target
