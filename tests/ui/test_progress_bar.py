"""The progress estimate of jobs that cannot report progress (ui/progress_bar.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.progress_bar import (
    HOLD_SHARE,
    IMPORT_S_PER_MB,
    SHIFT_ENERGY_S_PER_RUN_DAY2,
    SHIFT_MONTH_S,
    import_size,
    shift_size,
    step,
)
from ui.render.i18n import translate


def test_step_is_elapsed_over_estimate_and_holds_below_100_percent() -> None:
    s = step(4.0, 16.0)  # 4 / 16 = 0.25; 16 − 4 = 12 s left
    assert s.share == pytest.approx(0.25)
    assert s.left_s == pytest.approx(12.0)
    late = step(20.0, 16.0)  # past the estimate: held, no negative time
    assert late.share == HOLD_SHARE
    assert late.left_s is None
    assert step(1.0, 0.0).left_s is None  # no estimate: held, "nearly done"


def _runs() -> pd.DataFrame:
    tz = "Asia/Shanghai"
    start = pd.to_datetime(
        ["2025-03-03 08:00", "2025-03-04 08:00", "2025-03-05 08:00", "2025-04-01 08:00"]
    ).tz_localize(tz)
    return pd.DataFrame(
        {
            "line": ["A", "A", "B", "A"],
            "start": start,
            "end": start + pd.Timedelta(hours=2),
            "movable": [True, False, False, True],
        }
    )


def test_shift_size_counts_movable_runs_per_month() -> None:
    runs = _runs()
    # flag only, all months, window 0: March 1 run, April 1 run, no demand:
    # 2 × (0.3 + 1 × 1² × 0.0042) = 0.6084 s
    size = shift_size(
        runs, use_flag=True, movable_lines=(), months=None, window_days=0,
        include_demand=False, time_limit_s=10.0,
    )  # fmt: skip
    assert size == pytest.approx(2 * (SHIFT_MONTH_S + SHIFT_ENERGY_S_PER_RUN_DAY2))
    assert size == pytest.approx(0.6084)
    # line B movable too, March only, window ±1 (3 days → 9), with the demand attempt (10 s):
    # 0.3 + 2 runs × 9 × 0.0042 + 10 = 10.3756 s
    size = shift_size(
        runs, use_flag=True, movable_lines=("B",), months=("2025-03",), window_days=1,
        include_demand=True, time_limit_s=10.0,
    )  # fmt: skip
    assert size == pytest.approx(10.3756)
    # the energy attempt is bounded by the time limit: 100 runs × 25 × 0.0042 = 10.5 → 2 s
    many = pd.concat([runs.iloc[[0]]] * 100, ignore_index=True)
    size = shift_size(
        many, use_flag=True, movable_lines=(), months=None, window_days=2,
        include_demand=False, time_limit_s=2.0,
    )  # fmt: skip
    assert size == pytest.approx(0.3 + 2.0)
    assert shift_size(runs.iloc[:0], use_flag=True, movable_lines=(), months=None,
                      window_days=0, include_demand=True, time_limit_s=10.0) == 0.0  # fmt: skip


def test_import_size_by_format() -> None:
    assert import_size("a.csv", 2_500_000) == (2.5, IMPORT_S_PER_MB["csv"])
    assert import_size("B.XLSX", 1_000_000) == (1.0, IMPORT_S_PER_MB["xlsx"])


def test_the_texts_in_both_languages() -> None:
    assert translate("zh-CN", "speed.shift") + " " + translate("zh-CN", "speed.left.sec", n=12) == (
        "正在优化生产排程… 约剩 12 秒"
    )
    assert translate("en", "speed.shift") + " " + translate("en", "speed.left.sec", n=12) == (
        "Optimising the schedule… about 12 s left"
    )


def test_run_with_estimate_returns_the_result_and_raises_the_error() -> None:
    import time

    import streamlit as st

    from analytics.findings import InputError
    from ui.progress_bar import GRACE_S, run_with_estimate

    st.session_state.clear()  # bare mode: a plain session state, the bar a no-op
    fast = run_with_estimate(lambda: 6 * 7, kind="t", size=1.0, default_rate=1.0, label="x")
    assert fast == 42
    assert not st.session_state["speed.last.t"].bar  # done within the grace time: no bar

    def slow() -> str:
        time.sleep(GRACE_S + 0.3)
        return "done"

    assert run_with_estimate(slow, kind="t", size=2.0, default_rate=1.5, label="x") == "done"
    job = st.session_state["speed.last.t"]
    assert job.bar and job.estimate_s == pytest.approx(3.0)  # size 2 × 1.5 s per unit
    assert st.session_state["speed.rate.t"] > 0  # the measured rate replaces the default

    def bad() -> None:
        raise InputError("import.empty", file="x.csv")

    with pytest.raises(InputError):
        run_with_estimate(bad, kind="t", size=1.0, default_rate=1.0, label="x")
