"""Progress with an estimate: what a long ingest or screen reports while it runs.

:func:`analytics.portfolio.ingest` and :func:`analytics.portfolio.screen` call
``progress(done, total)`` after each file / batch; :class:`ProgressClock` turns those calls
into an :class:`Estimate` (elapsed time, rate, time left). The CLI draws it on stderr, the
Portfolio page in ``st.progress`` (the text through ``t()``); nothing here is user-visible text.

Estimate: rate = done / elapsed [items/s]; time left = (total − done) / rate [s] (unknown
until one item is done); the rate is the mean since the start, so a pool's start-up cost is
spread over the run rather than extrapolated from the first item alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    """Where a run stands: ``done``/``total`` items, ``elapsed_s`` [s], ``rate_per_s``
    [items/s] and ``eta_s`` [s] (``None`` while nothing is done), ``share`` [0–1]."""

    done: int
    total: int
    elapsed_s: float
    rate_per_s: float | None
    eta_s: float | None

    @property
    def share(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 1.0


class ProgressClock:
    """Call with ``(done, total)``; returns the :class:`Estimate` (``clock`` in seconds)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.t0 = clock()

    def __call__(self, done: int, total: int) -> Estimate:
        elapsed = max(self.clock() - self.t0, 0.0)
        if done <= 0 or elapsed <= 0:
            return Estimate(done, total, elapsed, None, None)
        rate = done / elapsed
        return Estimate(done, total, elapsed, rate, max(total - done, 0) / rate)


def clock_text(seconds: float | None) -> str:
    """``h:mm:ss`` or ``m:ss`` of a duration [s]; ``–:––`` when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "–:––"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
