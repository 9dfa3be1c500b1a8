"""A generated factory with known base load and per-line run power (for the production tests).

Every figure of a test is built from these few numbers, so the expectations can be worked out
by hand next to the assertions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.iotools.frame import make_frame

TZ = "Asia/Shanghai"


def grid(start: str, days: int, minutes: int = 15) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=days * 24 * 60 // minutes, freq=f"{minutes}min", tz=TZ)


def factory(
    runs: list[tuple[str, str, str]],
    *,
    start: str = "2025-03-03",
    days: int,
    base_kw: float,
    line_kw: dict[str, float],
    kwh_per_unit: dict[str, float],
    minutes: int = 15,
    noise: float = 0.0,
    seed: int = 0,
) -> tuple[pd.DataFrame, bytes]:
    """Load frame and runs CSV: base_kw always, plus line_kw[line] while a run of it is on.

    ``runs`` are ``(line, start, end)`` local times; a run's units are
    line_kw × hours / kwh_per_unit. ``noise`` is a relative normal noise on each interval.
    """
    idx = grid(start, days, minutes)
    kw = np.full(len(idx), float(base_kw))
    lines = []
    for line, s, e in runs:
        s_ts, e_ts = pd.Timestamp(s, tz=TZ), pd.Timestamp(e, tz=TZ)
        on = (idx >= s_ts) & (idx < e_ts)
        kw[on] += line_kw[line]
        hours = (e_ts - s_ts) / pd.Timedelta(hours=1)
        units = line_kw[line] * hours / kwh_per_unit[line]
        lines.append(f"{line},{s},{e},{units:g},P-{line},False")
    if noise:
        kw = kw * (1 + np.random.default_rng(seed).normal(0, noise, len(kw)))
    frame = make_frame(pd.Series(kw * minutes / 60, index=idx), minutes)
    csv = "line,start,end,units,product,movable\n" + "\n".join(lines) + "\n"
    return frame, csv.encode()
