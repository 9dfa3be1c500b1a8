"""Property: one random series written in five export shapes imports to one canonical frame."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.iotools.frame import make_frame
from analytics.iotools.load import ImportOptions, read_load
from tests.importer_fixtures import clock_labels, wide_lines, write_text

SH = "Asia/Shanghai"


@st.composite
def series(draw) -> tuple[pd.Timestamp, np.ndarray]:
    days = draw(st.integers(1, 3))
    first = draw(
        st.dates(
            min_value=pd.Timestamp("2016-01-01").date(), max_value=pd.Timestamp("2030-12-31").date()
        )
    )
    # energy per 15 min [kWh] in whole Wh, so every shape is written exactly
    wh = draw(st.lists(st.integers(0, 2_000_000), min_size=96 * days, max_size=96 * days))
    return pd.Timestamp(first), np.asarray(wh, dtype="float64") / 1000.0


def _label(t: pd.Timestamp, *, end24: bool) -> str:
    if end24 and t.hour == 0 and t.minute == 0:
        return (t - pd.Timedelta(days=1)).strftime("%Y-%m-%d") + " 24:00"
    return t.strftime("%Y-%m-%d %H:%M")


def _shapes(day0: pd.Timestamp, kwh: np.ndarray, folder: Path) -> dict[str, Path]:
    n = len(kwh)
    starts = pd.date_range(day0, periods=n, freq="15min")
    ends = starts + pd.Timedelta(minutes=15)
    kw = kwh * 4.0  # kWh per 0.25 h → average kW (exact: a power of two)
    out = {}
    out["energy"] = write_text(
        folder / "energy.csv",
        ["timestamp,energy (kWh)"]
        + [f"{t:%Y-%m-%d %H:%M},{v!r}" for t, v in zip(starts, kwh.tolist(), strict=True)],
    )
    out["power"] = write_text(
        folder / "power.csv",
        ["time;power [kW]"]  # day-first dates, decimal comma
        + [
            f"{t:%d.%m.%Y %H:%M};" + repr(v).replace(".", ",")
            for t, v in zip(starts, kw.tolist(), strict=True)
        ],
    )
    readings = 123_456.0 + np.concatenate([[0.0], np.cumsum(kwh)])
    reading_times = pd.date_range(day0, periods=n + 1, freq="15min")
    out["register"] = write_text(
        folder / "register.csv",
        ["采集时间,正向有功总示数(kWh)"]
        + [
            f"{t:%Y/%m/%d %H:%M:%S},{v!r}"
            for t, v in zip(reading_times, readings.tolist(), strict=True)
        ],
    )
    days = {
        f"{d:%Y-%m-%d}": kw[i * 96 : (i + 1) * 96].tolist()
        for i, d in enumerate(pd.date_range(day0, periods=n // 96))
    }
    out["wide"] = write_text(
        folder / "wide.csv", wide_lines(clock_labels(96, end=True), days, title="负荷曲线")
    )
    out["gbk"] = write_text(
        folder / "gbk.csv",
        ["某某公司用电量报表", "数据时间,正向有功总电量(kWh)"]
        + [f"{_label(t, end24=True)},{v!r}" for t, v in zip(ends, kwh.tolist(), strict=True)],
        encoding="gbk",
    )
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(series())
def test_every_shape_imports_to_the_same_frame(data):
    day0, kwh = data
    index = pd.date_range(day0, periods=len(kwh), freq="15min", tz=SH).as_unit("ns")  # SCHEMA: ns
    expected = make_frame(pd.Series(kwh, index=index), 15)
    with tempfile.TemporaryDirectory() as tmp:
        for shape, path in _shapes(day0, kwh, Path(tmp)).items():
            frame, rep = read_load(path, options=ImportOptions())
            assert rep.interval_minutes == 15, shape
            assert rep.missing_intervals == 0, shape
            pd.testing.assert_frame_equal(
                frame, expected, check_exact=False, rtol=1e-9, atol=1e-7, obj=shape
            )
            assert frame.index.freq == expected.index.freq, shape
