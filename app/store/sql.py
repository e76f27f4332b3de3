"""SQL text the store builds for lists of values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Values per IN (...) list: well under SQLite's bound-parameter limit.
IN_LIST_SIZE = 500


def in_lists(values: Sequence[T]) -> Iterator[tuple[Sequence[T], str]]:
    """``values`` in slices of at most :data:`IN_LIST_SIZE`, each with its ``?,?,...`` for ``IN (...)``."""
    for start in range(0, len(values), IN_LIST_SIZE):
        chunk = values[start:start + IN_LIST_SIZE]
        yield chunk, ",".join("?" * len(chunk))
