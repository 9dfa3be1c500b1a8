"""AppTest: the guided demo (ui/demo.py) and the Overview's industry comparison.

The demo is started on the Overview in zh-CN, walked with 下一步 through its five steps (each
on its page, each banner carrying this enterprise's own figure, formatted as the number policy
formats it from the library's analysis), and ended with 结束演示.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.analysis import analyze
from analytics.iotools import ImportOptions, read_load, read_production, read_pv
from analytics.portfolio.benchmarking import compare_to_group
from analytics.stage import Questionnaire
from analytics.tou import peak_energy_share
from tests.conftest import ROOT, SAMPLE
from ui.demo import analysis_figures, default_industry
from ui.render.format import fmt_cny, fmt_count, fmt_kw, fmt_sec, fmt_share
from ui.render.i18n import translate
from ui.render.report import assess_analysis, stage_name
from ui.state import FileInput

ZH = "zh-CN"
#: Latin-script tokens allowed in the Chinese talking points: units and acronyms
ALLOWED_LATIN = {"kWh", "kW", "CO2", "GEC", "PV"}


@pytest.fixture(scope="module")
def library():
    """The sample enterprise analysed by the library, as the pages analyse it (shift not run)."""
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, report = read_load(load, file_name=load.name, options=ImportOptions())
    pv, pv_report = read_pv(SAMPLE / "sunan_pv_2025_15min.csv", options=ImportOptions())
    production = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    return analyze(
        frame, report, pv=pv, pv_report=pv_report, production=production, run_shift=False
    )


def _expected(a) -> list[tuple[str, list[str]]]:
    """(page title key, figures the banner must contain) per step, from the library."""
    bill, stats, green = a.bill, a.load, a.green
    m = a.production.metrics
    stage = assess_analysis(a, Questionnaire(), production_linked=True, meters=1)
    return [
        (
            "tou.title",
            [
                fmt_cny(bill.total_cost_cny, ZH),
                fmt_share(peak_energy_share(bill.energy_kwh, stats.energy_kwh)),
            ],
        ),
        ("tou.title", [fmt_kw(stats.peak_kw), fmt_cny(bill.demand_charge_cny, ZH)]),
        ("prod.title", [fmt_count(m.units, "unit", ZH), fmt_sec(m.sec_kwh_per_unit, ZH)]),
        (
            "green.title",
            [
                fmt_count(green.gec_count, "gec", ZH),
                fmt_share(green.balance.self_sufficiency_ratio),
            ],
        ),
        ("canvas.title", [f"「{stage_name(stage, ZH)}」"]),
    ]


def _banner(at: AppTest) -> tuple[str, str] | None:
    """(header, talking point) of the demo banner, or None when there is none."""
    texts = [md.value for md in at.markdown]
    for i, text in enumerate(texts):
        if text.startswith("**演示 · 第"):
            return text, texts[i + 1]
    return None


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text)) - ALLOWED_LATIN


@pytest.mark.slow
def test_the_demo_walks_five_steps_with_this_enterprise_s_figures(library) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = ZH
    at.run()
    assert not at.exception, at.exception
    assert _banner(at) is None  # off: demo_bar draws nothing
    start = at.button(key="demo.start")
    assert start.label == "开始演示"
    start.click()
    at.run()
    for k, (title_key, figures) in enumerate(_expected(library), start=1):
        assert not at.exception, at.exception
        banner = _banner(at)
        assert banner is not None, f"no banner at step {k}"
        header, said = banner
        assert f"第 {k} 步，共 5 步" in header
        assert [t.value for t in at.title] == [translate(ZH, title_key)]  # the step's page
        for figure in figures:
            assert figure in said, (k, figure, said)
        assert _latin_words(header + said) == set(), said
        labels = {b.key: b.label for b in at.button if b.key and b.key.startswith("demo.")}
        assert labels == {"demo.prev": "上一步", "demo.next": "下一步", "demo.end": "结束演示"}
        assert at.button(key="demo.prev").disabled == (k == 1)
        assert at.button(key="demo.next").disabled == (k == 5)
        if k < 5:
            at.button(key="demo.next").click()
            at.run()
    at.button(key="demo.prev").click()  # back to step 4: the green page
    at.run()
    assert "第 4 步" in _banner(at)[0]
    assert [t.value for t in at.title] == [translate(ZH, "green.title")]
    at.button(key="demo.end").click()
    at.run()
    assert not at.exception, at.exception
    assert _banner(at) is None
    assert "demo.step" not in at.session_state


def test_default_industry_prefers_the_sidebar_then_the_most_common() -> None:
    counts = pd.Series({"food": 3, "textiles": 7, "chemicals": 7})
    industries = sorted(counts.index)
    assert default_industry(industries, counts, "food") == "food"
    # steel is not in the portfolio: the most common, a tie broken by name
    assert default_industry(industries, counts, "steel") == "chemicals"
    assert default_industry(industries, counts, None) == "chemicals"


def _screen_table(a) -> pd.DataFrame:
    """Six food enterprises around the sample's figures (a hand-made screen table)."""
    return pd.DataFrame(
        {
            "enterprise_id": [f"f{i}" for i in range(6)],
            "name": [f"食品{i}" for i in range(6)],
            "industry": ["food"] * 6,
            "province": ["Jiangsu"] * 6,
            "energy_kwh": [1e6] * 6,
            "pv_self_consumed_kwh": [0.0, 0.0, 1e4, 5e4, 2e5, 3e5],
            "peak_sharp_energy_share": [0.30, 0.35, 0.40, 0.50, 0.55, 0.60],
            "load_factor": [0.30, 0.35, 0.40, 0.45, 0.50, 0.55],
            "sec_kwh_per_unit": [1.0, 1.5, 2.0, 2.5, 3.0, 3.5],
            "error": [None] * 6,
        }
    )


@pytest.mark.slow
def test_the_overview_compares_the_sample_with_the_portfolio_industry(library) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert any("Portfolio page" in c.value for c in at.caption)  # no portfolio: one caption
    assert "This enterprise vs its industry" not in [s.value for s in at.subheader]
    table = _screen_table(library)
    at.session_state["demo.screen"] = {
        "table": table,
        "names": table[["enterprise_id", "name"]],
        "path": "/nowhere.duckdb",
    }
    at.run()
    assert not at.exception, at.exception
    shown = at.dataframe[-1].value  # the comparison comes after the findings table
    rows = compare_to_group(table, analysis_figures(library), group_value="food").set_index(
        "metric"
    )
    # peak share of the sample 0.4527 among 0.30 … 0.60: above 0.30, 0.35, 0.40 → 4th of 7
    assert rows.loc["peak_sharp_energy_share", "pct"] == pytest.approx(4 / 7)
    by_metric = shown.set_index("Metric")
    peak = by_metric.loc["Peak (and sharp) energy share"]
    assert peak["This enterprise"] == fmt_share(
        peak_energy_share(library.bill.energy_kwh, library.load.energy_kwh)
    )
    assert peak["Percentile [%]"] == f"{4 / 7 * 100:.0f}"
    assert peak["Industry median"] == fmt_share(0.45)  # (0.40 + 0.50) / 2
    assert peak["Compared [enterprises]"] == "7"  # six food enterprises + the sample
    assert by_metric.loc["Energy per unit (SEC)", "This enterprise"] == fmt_sec(
        library.production.metrics.sec_kwh_per_unit
    )


@pytest.mark.slow
def test_a_drilled_down_enterprise_is_compared_by_its_screen_row(library) -> None:
    """A Portfolio drill-down (the workspace enterprise's files as the session's upload) is
    compared by its own screen row within its own industry, without an industry picker."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = ZH
    table = _screen_table(library)
    load = SAMPLE / "sunan_load_2025_15min.csv"
    at.session_state["upload.load"] = FileInput.of("f2_load.csv", load.read_bytes())
    at.session_state["source"] = "upload"
    at.session_state["portfolio.enterprise"] = "f2"
    at.session_state["demo.screen"] = {
        "table": table,
        "names": table[["enterprise_id", "name"]],
        "path": "/nowhere.duckdb",
    }
    at.run()
    assert not at.exception, at.exception
    assert "本企业与同行业对比" in [s.value for s in at.subheader]
    assert not [s for s in at.selectbox if s.key == "demo.cmp.industry"]
    by_metric = at.dataframe[-1].value.set_index("指标")
    # f2: peak share 0.40 among the other five (0.30, 0.35, 0.50, 0.55, 0.60) → 3rd of 6 = 50 %;
    # the median of the other five = 0.50; load factor 0.40 → 3rd of 6 = 50 %
    peak = by_metric.loc["高峰（含尖峰）用电占比"]
    assert peak["本企业"] == fmt_share(0.40)
    assert peak["行业中位数"] == fmt_share(0.50)
    assert peak["百分位 [%]"] == "50"
    assert peak["参与比较 [家]"] == "6"
    assert by_metric.loc["单位产品电耗", "本企业"] == fmt_sec(2.0, ZH)


@pytest.mark.slow
def test_the_portfolio_page_hands_its_screen_to_the_overview(tmp_path) -> None:
    """Wiring: a real workspace screened on the Portfolio page, one enterprise opened by the
    drill-down; the Overview compares it within its own industry of that screen."""
    from analytics.portfolio.ingestion import ingest
    from analytics.portfolio.screening import screen
    from analytics.portfolio.synthetic import generate

    manifest = generate(tmp_path, 4, seed=13, shapes=("long",))
    assert all(not o.failed for o in ingest(manifest, tmp_path / "ws.duckdb", workers=1))
    table = screen(tmp_path / "ws.duckdb", workers=1)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/portfolio.py")
    at.run()
    at.text_input(key="portfolio.path").set_value(str(tmp_path / "ws.duckdb"))
    at.run()
    assert not at.exception, at.exception
    eid = table["enterprise_id"].iloc[0]
    at.selectbox(key="portfolio.pick").set_value(eid)
    at.run()
    at.button(key="portfolio.open").click()
    at.run()  # the drill-down opens the Overview
    assert not at.exception, at.exception
    assert "This enterprise vs its industry" in [s.value for s in at.subheader]
    industry = table.loc[table["enterprise_id"] == eid, "industry"].iloc[0]
    peers = int(((table["industry"] == industry) & table["error"].isna()).sum())
    shown = at.dataframe[-1].value.set_index("Metric")
    # its own row is compared with the rest of its industry: n = the industry's rows
    assert shown.loc["Load factor", "Compared [enterprises]"] == str(peers)
    lf = float(table.loc[table["enterprise_id"] == eid, "load_factor"].iloc[0])
    assert shown.loc["Load factor", "This enterprise"] == fmt_share(lf)
