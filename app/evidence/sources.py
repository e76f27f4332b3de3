"""Checking a file the user picked before anything is read or written."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from app.evidence.errors import BadEvidencePath, BadFileName, EmptyFile, FileTooLarge, NotAFile
from app.evidence.media import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class Source:
    path: Path
    name: str  # the file name as stored in the record (valid UTF-8)
    size: int
    shown: str = ""  # the path as the user gave it, for messages

    @property
    def label(self) -> str:
        return self.shown or self.name


def display_path(path: Path | str) -> str:
    """A printable form of any path, even one whose bytes are not UTF-8."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def check_path(path: Path | str) -> Path:
    """Refuse ``..`` components and names that are not valid text (they cannot be stored or shown)."""
    candidate = Path(path)
    shown = display_path(candidate)
    if ".." in candidate.parts:
        raise BadEvidencePath(path=shown)
    try:
        os.fsencode(candidate).decode("utf-8")
        # On Windows a lone surrogate in a name cannot be encoded either.
        str(candidate).encode("utf-8")
    except UnicodeError:
        raise BadFileName(path=shown) from None
    return candidate


def check_source(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Source:
    candidate = check_path(path)
    shown = display_path(candidate)
    try:
        info = candidate.stat()
    except OSError:
        raise NotAFile(path=shown) from None
    if not stat.S_ISREG(info.st_mode) or not os.access(candidate, os.R_OK):
        raise NotAFile(path=shown)
    if info.st_size == 0:
        raise EmptyFile(path=shown)
    if info.st_size > limits.max_file_bytes:
        raise FileTooLarge(path=shown, size=info.st_size // 1_000_000, limit=limits.max_file_bytes // 1_000_000)
    return Source(candidate, candidate.name[:255], info.st_size, shown)
