"""A progress bar with an honest estimate for work that cannot report its own progress.

The load-shift optimiser (HiGHS inside scipy's ``milp``) and the file importer give no
progress callback. :func:`run_with_estimate` runs such a job in a worker thread and polls
its future from the script thread (Streamlit elements may only be updated there): if the
job is done within :data:`GRACE_S` (a cache hit, a small file) no bar is drawn at all;
otherwise ``st.progress`` shows ``elapsed / estimate`` with the time left, and jumps to
100 % when the job ends (early or late). Past the estimate the bar holds at
:data:`HOLD_SHARE` and says "nearly done" instead of a negative time.

The estimate is ``size × seconds per unit of size``. The rate starts at a constant
calibrated on the development machine (2 shared cores, documented at each constant) and is
replaced by the rate this session measured on its previous job of the same kind
(``st.session_state["speed.rate.<kind>"]``), so a slower or faster machine corrects itself
after one run. :func:`shift_size` and :func:`import_size` give the sizes; both are cheap
functions of the inputs (no solving, no reading).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from ui.render.format import md_escape
from ui.state import t

T = TypeVar("T")

#: A job done within this many seconds draws no bar (cache hits take milliseconds).
GRACE_S = 0.3
#: Poll interval of the script thread [s].
POLL_S = 0.2
#: Where the bar waits once the estimate has run out (never 100 % before the end).
HOLD_SHARE = 0.99

#: Seconds per unit of :func:`shift_size`, which is already in calibrated seconds.
SHIFT_S_PER_UNIT = 1.0
#: Seconds per movable run × (window days)² of the energy-only MILP. Calibrated 2026-12 on
#: this machine with the sample enterprise (energy cost only, one month): 89 runs, window 0
#: → 0.63 s; 99 runs, window ±1 → 4.2 s; ±2 → 9.5 s (the candidates grow with the window,
#: the branch and bound faster: ~ runs × days²). The demand attempt ran into HiGHS' time
#: limit (10 s) in every measured month (10.7 s and 11.7 s in total), so it is counted as
#: ``time_limit_s``.
SHIFT_ENERGY_S_PER_RUN_DAY2 = 0.0042
#: Fixed cost per solved month (candidates, matrices, bills) [s].
SHIFT_MONTH_S = 0.3
#: Seconds per MB of the importer (measured on this machine: the sample's 0.97 MB CSV in
#: 0.07–0.10 s; the same year as a 0.58 MB XLSX in 1.0 s).
IMPORT_S_PER_MB = {"csv": 0.12, "xlsx": 1.8}
#: Seconds per MB the load analysis adds to its import (classification, bill, stats: the
#: sample's year in 0.02–0.09 s, i.e. ≤ 0.1 s per MB of its CSV).
ANALYSIS_S_PER_MB = 0.1

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="greentemp-job")


@dataclass(frozen=True)
class Step:
    """One poll of a running job: ``share`` of the bar [0–1] and ``left_s`` [s] (None =
    the estimate has run out)."""

    share: float
    left_s: float | None


@dataclass(frozen=True)
class Job:
    """The last job of a kind (``st.session_state["speed.last.<kind>"]``): whether it drew
    a bar, and its estimate [s] (None without a bar)."""

    bar: bool
    estimate_s: float | None


def step(elapsed_s: float, estimate_s: float) -> Step:
    """Where the bar stands after ``elapsed_s`` of a job estimated at ``estimate_s`` [s].

    share = elapsed / estimate, held at :data:`HOLD_SHARE`; time left = estimate − elapsed
    (None once that is ≤ 0)."""
    if estimate_s <= 0 or not math.isfinite(estimate_s):
        return Step(HOLD_SHARE, None)
    left = estimate_s - elapsed_s
    share = min(HOLD_SHARE, max(0.0, elapsed_s / estimate_s))
    return Step(share, left if left > 0 else None)


def left_text(left_s: float) -> str:
    """The time left as words: ``约剩 12 秒`` / ``about 12 s left`` (minutes from 120 s)."""
    s = max(1, int(math.ceil(left_s)))
    if s >= 120:
        return t("speed.left.min", n=int(round(s / 60)))
    return t("speed.left.sec", n=s)


def rate(kind: str, default: float) -> float:
    """Seconds per unit of size for ``kind``: this session's last measured rate, else
    ``default``."""
    measured = st.session_state.get(f"speed.rate.{kind}")
    return float(measured) if measured and measured > 0 else default


def remember_rate(kind: str, elapsed_s: float, size: float) -> None:
    """Keep the measured seconds per unit of size for the next estimate of ``kind``."""
    if size > 0 and elapsed_s > 0:
        st.session_state[f"speed.rate.{kind}"] = elapsed_s / size


def _with_ctx(fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` run in a worker with this script run's context (for ``st.cache_data``)."""
    ctx = get_script_run_ctx()

    def run() -> T:
        import threading

        if ctx is not None:
            add_script_run_ctx(threading.current_thread(), ctx)
        return fn()

    return run


def run_with_estimate(
    fn: Callable[[], T], *, kind: str, size: float, default_rate: float, label: str
) -> T:
    """``fn()`` with a progress bar estimated at ``size × rate(kind)`` seconds.

    ``label`` is the translated "what" (``正在优化生产排程…``). No bar when ``fn`` returns
    within :data:`GRACE_S` (a cached result); exceptions of ``fn`` are raised here. A job
    that drew a bar updates the session's rate for ``kind`` (cache hits do not); either way
    ``st.session_state["speed.last.<kind>"]`` holds its :class:`Job`."""
    t0 = time.monotonic()
    future: Future[T] = _POOL.submit(_with_ctx(fn))
    try:
        result = future.result(timeout=GRACE_S)
    except TimeoutError:
        pass
    else:
        st.session_state[f"speed.last.{kind}"] = Job(bar=False, estimate_s=None)
        return result
    estimate = max(size * rate(kind, default_rate), GRACE_S)
    st.session_state[f"speed.last.{kind}"] = Job(bar=True, estimate_s=estimate)
    bar = st.progress(0.0, text=label)
    try:
        while not future.done():
            s = step(time.monotonic() - t0, estimate)
            tail = left_text(s.left_s) if s.left_s is not None else t("speed.nearly_done")
            bar.progress(s.share, text=f"{label} {tail}")
            time.sleep(POLL_S)
        result = future.result()  # raises the job's exception
        remember_rate(kind, time.monotonic() - t0, size)
        bar.progress(1.0, text=f"{label} {t('speed.done')}")
    finally:
        bar.empty()
    return result


# ------------------------------------------------------------------------ sizes


def shift_size(
    segments, *, use_flag: bool, movable_lines, months, window_days: int, include_demand: bool,
    time_limit_s: float,
) -> float:  # fmt: skip
    """The optimiser's expected seconds at the calibrated rate (unit: "calibrated seconds").

    Per month with movable runs: :data:`SHIFT_MONTH_S` + the energy attempt
    (:data:`SHIFT_ENERGY_S_PER_RUN_DAY2` × runs × (2·window + 1)², at most ``time_limit_s``)
    + the demand attempt (``time_limit_s``, when the demand charge is included). A run is
    movable as the optimiser counts it: flagged (when the flag is used) or on a chosen line,
    starting in a chosen month. Runs the optimiser later finds immovable (no power) are
    still counted, so the estimate errs long."""
    if segments is None or not len(segments):
        return 0.0
    lines = segments["line"].to_numpy(dtype=object)
    movable = (segments["movable"].to_numpy(dtype=bool) & bool(use_flag)) | np.isin(
        lines, list(movable_lines or ())
    )
    ym = segments["start"].dt.strftime("%Y-%m").to_numpy()
    if months:
        movable &= np.isin(ym, list(months))
    runs_per_month = np.unique(ym[movable], return_counts=True)[1]
    days = 2 * max(0, int(window_days)) + 1
    energy = np.minimum(runs_per_month * days**2 * SHIFT_ENERGY_S_PER_RUN_DAY2, time_limit_s)
    demand = time_limit_s if include_demand else 0.0
    return float(np.sum(SHIFT_MONTH_S + energy + demand))


def import_size(file_name: str, n_bytes: int) -> tuple[float, float]:
    """(size [MB], default rate [s/MB]) of an import: XLSX files are read ~15× slower."""
    kind = "xlsx" if file_name.lower().endswith(".xlsx") else "csv"
    return n_bytes / 1e6, IMPORT_S_PER_MB[kind]


# ------------------------------------------------------------------------ the two jobs


def shift_with_progress(segments, options, solve: Callable[[], T]) -> T:
    """``solve()`` (the cached optimiser for ``options``, a
    :class:`analytics.production.ShiftOptions`) with a bar estimated by :func:`shift_size`
    from the runs ``segments``."""
    size = shift_size(
        segments,
        use_flag=options.use_flag,
        movable_lines=options.movable_lines,
        months=options.months,
        window_days=options.window_days,
        include_demand=options.include_demand,
        time_limit_s=options.time_limit_s,
    )
    return run_with_estimate(
        solve, kind="shift", size=size, default_rate=SHIFT_S_PER_UNIT, label=t("speed.shift")
    )


def import_with_progress(
    file_name: str, n_bytes: int, read: Callable[[], T], *, with_analysis: bool = False
) -> T:
    """``read()`` (the cached importer of one file, or with ``with_analysis`` its cached
    import + load analysis) with a bar estimated from the file's size."""
    size_mb, default = import_size(file_name, n_bytes)
    kind = "import.xlsx" if default == IMPORT_S_PER_MB["xlsx"] else "import.csv"
    if with_analysis:
        kind, default = f"{kind}.analysis", default + ANALYSIS_S_PER_MB
    return run_with_estimate(
        read,
        kind=kind,
        size=size_mb,
        default_rate=default,
        label=t("speed.import", name=md_escape(file_name)),
    )
