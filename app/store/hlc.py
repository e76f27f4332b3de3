"""Hybrid logical clock: orders concurrent edits without trusting wall clocks.

A timestamp is ``{wall_ms:015d}-{counter:05d}-{device}``; the string order is the
causal order.  The clock state is part of the writer state (``writer_state.py``)
and is saved in the same transaction as the write that uses it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:015d}-{self.counter:05d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        wall, counter, device = text.split("-", 2)
        return cls(int(wall), int(counter), device)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def send(wall: int, counter: int, physical: int) -> tuple[int, int]:
    """Clock state after a local event."""
    if physical > wall:
        return physical, 0
    return wall, counter + 1


def receive(wall: int, counter: int, remote: Timestamp, physical: int) -> tuple[int, int]:
    """Clock state after seeing a timestamp from elsewhere."""
    new_wall = max(wall, remote.wall_ms, physical)
    if new_wall == wall == remote.wall_ms:
        return new_wall, max(counter, remote.counter) + 1
    if new_wall == wall:
        return new_wall, counter + 1
    if new_wall == remote.wall_ms:
        return new_wall, remote.counter + 1
    return new_wall, 0
