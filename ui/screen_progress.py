"""The Portfolio page's screen with a progress bar and the estimated time left.

:func:`screen_with_progress` runs :func:`analytics.portfolio.screen` with a ``progress``
callback that updates ``st.progress`` (text through ``t()``: done/total and the time left of
:class:`analytics.portfolio.ProgressClock`). Finished tables are kept per (workspace key,
target share) for every session of this server (the last :data:`KEEP`), as ``st.cache_data``
would; the cache is not used because a cached function may not draw on an element created
outside it, which is what a live bar needs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
import streamlit as st

from analytics.portfolio import ProgressClock, clock_text, screen
from ui.cached import WorkspaceKey
from ui.state import t

KEEP = 8
_TABLES: OrderedDict[tuple[WorkspaceKey, float], pd.DataFrame] = OrderedDict()
_LOCK = threading.Lock()


def screen_with_progress(key: WorkspaceKey, target_share: float) -> pd.DataFrame:
    """The screen table of the workspace (local engine; raises ``InputError``)."""
    k = (key, float(target_share))
    with _LOCK:
        if k in _TABLES:
            _TABLES.move_to_end(k)
            return _TABLES[k]
    bar = st.progress(0.0, text=t("screen.progress.start"))
    clock = ProgressClock()

    def report(done: int, total: int) -> None:
        est = clock(done, total)
        bar.progress(
            est.share,
            text=t(
                "screen.progress", done=f"{done:,}", total=f"{total:,}", eta=clock_text(est.eta_s)
            ),
        )

    try:
        table = screen(key[0], target_share=target_share, progress=report)
    finally:
        bar.empty()
    with _LOCK:
        _TABLES[k] = table
        while len(_TABLES) > KEEP:
            _TABLES.popitem(last=False)
    return table
