"""Atomic file replacement: temp file, fsync, rename, fsync the folder.

The one implementation of the sequence for the whole app: small files (key file, settings,
reports) go through :func:`atomic_write_bytes`, streamed ones through :func:`atomic_output`, and
the evidence vault, which learns a file's name only after hashing it, uses the steps
(:func:`new_temp`, :func:`sync_and_close`, :func:`place`) on their own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    # Windows cannot open a directory for fsync; the rename is durable there anyway.
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_temp(folder: Path, stem: str = "") -> tuple[Path, BinaryIO]:
    """A new, exclusively created temp file in ``folder`` and its open handle."""
    path = folder / f"{stem}.{os.urandom(8).hex()}.tmp"
    return path, open(path, "xb")


def sync_and_close(handle: BinaryIO, *, durable: bool = True) -> None:
    """Flush and (unless ``durable`` is False) fsync before closing: the bytes are on disk."""
    try:
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    finally:
        handle.close()


def place(tmp: Path, target: Path, *, durable: bool = True) -> None:
    """Rename a complete temp file over ``target`` and make the rename itself durable."""
    folder_new = not target.parent.is_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    if durable:
        fsync_dir(target.parent)
        if folder_new:
            fsync_dir(target.parent.parent)


@contextlib.contextmanager
def atomic_output(path: Path, *, temp_folder: Path | None = None, durable: bool = True) -> Iterator[BinaryIO]:
    """Write ``path`` through the returned handle; it appears complete when the block ends, and
    not at all (the old content stays) when the block raises."""
    tmp, handle = new_temp(temp_folder or path.parent, f".{path.name}" if temp_folder is None else "")
    try:
        try:
            yield handle
        except BaseException:
            handle.close()
            raise
        sync_and_close(handle, durable=durable)
        place(tmp, path, durable=durable)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)
