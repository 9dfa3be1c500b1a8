"""Shared by the bench scripts: median and max wall time of repeated calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_max(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Run ``fn`` ``repeats`` times; return (median, max) seconds."""
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), max(runs)
