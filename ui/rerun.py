"""Cheap reruns: chart specs that Streamlit serialises fast (issue 15, the rerun budget).

A plotly trace whose x is a tz-aware DatetimeIndex holds an object array of Timestamps:
``st.plotly_chart`` deep-copies and JSON-encodes it element by element on every rerun
(≈ 0.9 s for the 35,040 points of a 15-min year on this machine, plus ≈ 1 s to build the
figure). :func:`wall_time_x` replaces such x values with local wall-time text
(``2025-03-01 08:15``): plotly.js draws a date axis from it exactly as before (it shows
the wall time of an ISO string and ignores its UTC offset), and the same chart is encoded in
≈ 0.05 s. The Data page keeps the finished figure in ``st.cache_resource``
(:func:`ui.cached.cached_preview`), so a rerun only sends it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

WALL_TIME = "%Y-%m-%d %H:%M"


def wall_time_x(fig: go.Figure) -> go.Figure:
    """``fig`` with every date-valued x of its traces as wall-time text (in place)."""
    for tr in fig.data:
        x = getattr(tr, "x", None)
        if x is None or len(x) == 0:
            continue
        arr = np.asarray(x)
        if arr.dtype.kind == "M" or isinstance(arr[0], pd.Timestamp):
            idx = pd.DatetimeIndex(arr if arr.dtype.kind == "M" else list(arr))
            tr.x = idx.strftime(WALL_TIME).tolist()
    return fig
