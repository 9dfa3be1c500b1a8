"""AppTest: the Green page's procurement, heat-map, factors and CBAM block equal the CLI JSON."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_cny, fmt_num, fmt_share, fmt_tonnes, md_escape

pytestmark = pytest.mark.slow


def _green_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/green.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _cli(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    argv = ["analyze", "--load", str(SAMPLE / "sunan_load_2025_15min.csv")]
    argv += ["--pv", str(SAMPLE / "sunan_pv_2025_15min.csv"), "--no-shift", *extra]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_procurement_block_equals_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _cli(capsys, "--cbam-goods", "cement", "--goods-t", "50000")
    p = doc["green"]["procurement"]
    at = _green_page()
    values = {m.label: m.value for m in at.metric}
    assert values["Cost of the mix"] == fmt_cny(p["total_cost_cny"])
    assert values["GECs alone would cost"] == fmt_cny(p["gec_only_cost_cny"])
    assert values["Renewable share with the mix"] == fmt_share(p["renewable_share"])
    assert values["Hourly matching with the mix"] == fmt_share(p["hourly_matched_share"])
    heat = [c for c in at.get("plotly_chart") if '"heatmap"' in c.proto.spec]
    assert heat and "Matched share by date and hour" in heat[-1].proto.spec
    # the mix table shows every instrument, and the factors table names each purpose
    frames = [d.value for d in at.dataframe]
    mix = next(f for f in frames if "Instrument" in f.columns)
    assert list(mix["Instrument"]) == [
        "New rooftop PV",
        "Direct green-power line (绿电直连)",
        "Green-power trading (绿电)",
        "Unbundled GECs (绿证)",
    ]
    assert list(mix["Cost (CNY)"]) == [round(i["cost_cny"], 2) for i in p["instruments"]]
    factors = next(f for f in frames if "Purpose" in f.columns)
    assert "Product carbon footprint" in set(factors["Purpose"])
    # CBAM for exporters: the same section as --cbam-goods cement --goods-t 50000
    at.selectbox(key="proc.cbam_goods").set_value("cement")
    at.run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    c = doc["cbam"]
    assert values["Indirect emissions, default"] == fmt_tonnes(c["indirect_emissions_t"], "en", 1)
    assert values["Per tonne, default (tCO2/t)"] == fmt_num(c["specific_indirect_t_per_t"], 4)
    assert values["Per tonne with the 10 % mark-up"] == fmt_num(c["default_with_markup_t_per_t"], 4)
    sc = c["direct_line_scenario"]
    assert values["Per tonne with a direct line"] == fmt_num(sc["specific_indirect_t_per_t"], 4)


def test_hourly_target_on_the_page_equals_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _cli(capsys, "--hourly-target", "0.6", "--roof-limit-kwp", "500")
    at = _green_page()
    at.checkbox(key="proc.hourly_on").check()
    at.run()  # the slider is enabled once the box is ticked
    at.slider(key="proc.hourly").set_value(60)
    at.number_input(key="proc.roof").set_value(500.0)
    at.run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    p = doc["green"]["procurement"]
    assert values["Cost of the mix"] == fmt_cny(p["total_cost_cny"])
    assert values["Hourly matching with the mix"] == fmt_share(p["hourly_matched_share"])


def test_procurement_block_in_chinese() -> None:
    at = _green_page("zh-CN")
    labels = {m.label for m in at.metric}
    assert {"组合成本", "仅买绿证的成本", "采用组合后的逐时匹配率"} <= labels


def test_chinese_green_page_quotes_sources_in_their_expander_and_months_in_chinese() -> None:
    """The data files' citations (English publication and site names) are quoted as published
    in a collapsed 来源（原文） expander under the figure; the heat-map's month ticks are ours."""
    from analytics.green import gec_price_cny

    at = _green_page("zh-CN")
    quoted = [c.value for e in at.expander if e.label == "来源（原文）" for c in e.caption]
    # the GEC price the page uses: vintage 2025 (the sample's year), as of December 2025
    source = gec_price_cny(2025, "all", "2025-12").source
    assert md_escape(source) in quoted, quoted  # as the data file gives it, escaped
    captions = [c.value for c in at.caption if c.value.startswith("绿证价格 ")]
    assert captions and "来源见下" in captions[0] and source.split(" (")[0] not in captions[0]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = [c for c in charts if c["data"] and c["data"][0].get("type") == "heatmap"]
    assert heat[0]["layout"]["yaxis"]["ticktext"][:2] == ["2025年1月", "2025年2月"]
    assert heat[0]["layout"]["yaxis"]["tickvals"][:2] == ["2025-01-01", "2025-02-01"]
