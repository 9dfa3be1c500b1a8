"""Chart specs that rerun cheaply (ui/rerun.py) and the Data page's lazy tabs."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analytics.iotools.load import ImportOptions, read_load
from tests.conftest import ROOT, SAMPLE
from ui.rerun import wall_time_x


def test_wall_time_x_keeps_the_local_wall_time() -> None:
    idx = pd.date_range("2025-03-01 07:45", periods=3, freq="15min", tz="Asia/Shanghai")
    fig = go.Figure([go.Scatter(x=idx, y=[1, 2, 3]), go.Bar(x=["a", "b"], y=[1, 2])])
    out = wall_time_x(fig)
    # 07:45, 08:00, 08:15 local (UTC+8) stay 07:45, 08:00, 08:15: the offset is dropped
    assert list(out.data[0].x) == ["2025-03-01 07:45", "2025-03-01 08:00", "2025-03-01 08:15"]
    assert list(out.data[1].x) == ["a", "b"]  # categories untouched
    assert list(out.data[0].y) == [1, 2, 3]


@pytest.mark.slow
def test_data_page_preview_and_the_closed_tab() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, at.exception
    assert len(at.file_uploader) == 2  # both uploaders, only the open tab imported and drawn
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, _ = read_load(load, file_name=load.name, options=ImportOptions())
    # 35,040 15-min intervals ≤ 60,000 points: not resampled; x = the local interval starts
    assert len(spec["data"][0]["x"]) == len(frame) == 35_040
    assert spec["data"][0]["x"][:2] == ["2025-01-01 00:00", "2025-01-01 00:15"]
    at.session_state["data.tab"] = at.tabs[1].label  # open the PV tab
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1  # now the PV preview
    assert at.table[0].value.iloc[0, 0] == "sunan_pv_2025_15min.csv"
