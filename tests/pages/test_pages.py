"""AppTest page tests: the sample on the home page, uploads, overrides, bad files."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.iotools.load import ImportOptions, read_load
from analytics.tou.stats import load_stats
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_energy, fmt_kw, fmt_share

LOAD = SAMPLE / "sunan_load_2025_15min.csv"


def _app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def _metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_home_shows_the_sample_without_upload_and_matches_the_library() -> None:
    at = _app()
    frame, _ = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    stats = load_stats(frame)
    values = _metric_values(at)
    assert values["Energy"] == fmt_energy(stats.energy_kwh)
    assert values["Peak demand"] == fmt_kw(stats.peak_kw)
    assert values["Load factor"] == fmt_share(stats.load_factor)
    assert values["Base load"] == fmt_kw(stats.base_load_kw)
    assert len(at.get("plotly_chart")) >= 1


def _data_page(lang: str = "en") -> AppTest:
    at = _app(lang)
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _detected(at: AppTest) -> dict[str, str]:
    df = at.table[0].value
    return dict(zip(df.index, df.iloc[:, 0], strict=True))


def test_data_page_shows_the_sample_detection() -> None:
    at = _data_page()
    det = _detected(at)
    assert det["File"] == LOAD.name
    assert det["Interval"] == "15 minutes"
    assert det["Timestamps mark"].startswith("interval start")


def test_upload_then_override_labels() -> None:
    at = _data_page()
    # one day of 15-min energy, END-labelled: 00:15 … and a midnight row dated with the next day
    stamps = pd.date_range("2025-03-03 00:15", "2025-03-04 00:00", freq="15min")
    body = "".join(f"{ts:%Y-%m-%d %H:%M},{10 + i % 7}\n" for i, ts in enumerate(stamps))
    csv = ("时间,用电量(kWh)\n" + body).encode("gbk")
    at.file_uploader[0].set_value(("meter.csv", csv, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["source"] == "upload"
    det = _detected(at)
    assert det["File"] == "meter.csv"
    assert det["Encoding"].startswith("gb")
    assert det["Timestamps mark"] == "interval end (detected)"
    # the 00:15 label closes 00:00–00:15, so the first interval starts at 00:00
    assert det["Span (interval starts)"].startswith("2025-03-03 00:00")
    assert "2025-03-03 23:45" in det["Span (interval starts)"]

    at.selectbox(key="ov.load.labels").set_value("start")
    at.run()
    assert not at.exception, at.exception
    det = _detected(at)
    assert det["Timestamps mark"] == "interval start (set by you)"
    assert det["Span (interval starts)"].startswith("2025-03-03 00:15")


def test_bad_file_shows_an_error_box_not_an_exception() -> None:
    at = _data_page()
    at.file_uploader[0].set_value(("broken.csv", b"foo,bar\nx,y\nz,w\n", "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    assert "broken.csv" in at.error[0].value.replace("\\", "")  # names are Markdown-escaped


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_pages_render_in_both_languages(lang: str) -> None:
    at = _data_page(lang)
    assert at.title[0].value == {"zh-CN": "电表数据", "en": "Meter data"}[lang]


def test_file_names_are_inert_markdown() -> None:
    at = _data_page()
    evil = "[click](http://example.invalid)*x*.csv"
    at.file_uploader[0].set_value((evil, b"nothing useful here\n", "text/csv"))
    at.run()
    assert not at.exception, at.exception
    msg = at.error[0].value
    assert "\\[click\\]" in msg and "](http" not in msg.replace("\\]\\(", "")


def test_data_page_stays_usable_without_a_readable_load() -> None:
    at = _data_page()
    at.radio(key="source").set_value("upload")
    at.run()
    assert not at.exception, at.exception
    assert len(at.file_uploader) >= 2  # consumption and PV uploaders still there
    at.file_uploader[0].set_value(("no_time.csv", b"a,b\n1,2\n3,4\n", "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    assert len(at.file_uploader) >= 2
    # the column-mapping controls stay reachable
    assert at.text_input(key="ov.load.time_column") is not None
