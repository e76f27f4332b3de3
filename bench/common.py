"""Helpers for benchmarks: timing, and printing ratios against a baseline from the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` wall-clock timings (noise on shared machines only adds time)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(name: str, measured: float, baseline: float, goal: float, unit: str = "s") -> bool:
    ratio = measured / baseline if baseline else float("inf")
    ok = ratio <= goal
    print(f"{name:<48} {measured:10.4f}{unit}  baseline {baseline:10.4f}{unit}  "
          f"ratio {ratio:6.2f}x  goal <= {goal:.2f}x  {'OK' if ok else 'MISSED'}")
    return ok


def report_absolute(name: str, measured: float, goal: float, unit: str = "s") -> bool:
    ok = measured <= goal
    print(f"{name:<48} {measured:10.4f}{unit}  goal <= {goal}{unit}  {'OK' if ok else 'MISSED'}")
    return ok


def median(values: list[float]) -> float:
    return statistics.median(values)
