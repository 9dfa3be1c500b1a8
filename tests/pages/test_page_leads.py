"""Portfolio page, leads section: the ranked leads equal the library's, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.portfolio import deltas, monthly_figures, rank_leads
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.screening import screen
from analytics.portfolio.synthetic import generate
from tests.conftest import ROOT
from ui.render.format import md_escape
from ui.render.i18n import translate
from ui.render.leads import why_text

pytestmark = pytest.mark.slow  # ingest + screen + the page
N = 6


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    d = tmp_path_factory.mktemp("leads-page")
    manifest = generate(d, N, seed=13, shapes=("long", "wide_gbk"))
    assert all(not o.failed for o in ingest(manifest, d / "ws.duckdb", workers=1))
    table = screen(d / "ws.duckdb", workers=1)
    return d / "ws.duckdb", table, deltas(monthly_figures(d / "ws.duckdb"))


def _page(path: Path, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/portfolio.py")
    at.run()
    at.text_input(key="portfolio.path").set_value(str(path))
    at.run()
    assert not at.exception, at.exception
    return at


def _leads_frame(at: AppTest):
    return next(df.value for df in at.dataframe if "why" in df.value.columns)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_leads_rank_and_why_equal_the_library(workspace, lang: str) -> None:
    path, table, trends = workspace
    at = _page(path, lang)
    for rule in ("certificate_need", "valley_shift"):
        at.selectbox(key="leads.rule").set_value(rule)
        at.run()
        assert not at.exception, at.exception
        want = rank_leads(table, rule, trends=trends)
        shown = _leads_frame(at)
        assert shown["enterprise_id"].tolist() == want["enterprise_id"].tolist()
        assert shown["why"].tolist() == [why_text(w, lang) for w in want["why"]]
        assert shown["rule_value"].tolist() == want["rule_value"].tolist()
        # the first leads' why also spelled out below the table, best first
        listing = next(m.value for m in at.markdown if m.value.startswith("1. "))
        assert listing.count("\n") == 4 and md_escape(want["enterprise_id"].iloc[0]) in listing
        # one year of data: 环比 shown in %, no 同比 column
        assert "energy_kwh_mom" in shown and "energy_kwh_yoy" not in shown
        assert shown["energy_kwh_mom"].tolist() == pytest.approx(
            (want["energy_kwh_mom"] * 100).tolist()
        )
    # peers: 6 enterprises over 4 provinces and 2 industries, fewer than 5 per group → said so
    cells = set(shown["peak_sharp_energy_share_pct_province"])
    assert all(("n=" in c or "仅" in c) for c in cells), cells
    labels = [b.label for b in at.get("download_button")]
    assert any(("leads" in lbl.lower()) or ("线索" in lbl) for lbl in labels)


def test_an_unavailable_rule_says_which_column_it_needs(workspace) -> None:
    path, _, _ = workspace
    at = _page(path, "zh-CN")
    at.selectbox(key="leads.rule").set_value("cbam_exposure")
    at.run()
    assert not at.exception, at.exception
    assert any("cbam_indirect_emissions_t" in i.value and "暂不可用" in i.value for i in at.info)
    assert not any("why" in df.value.columns for df in at.dataframe)


@pytest.fixture(scope="module")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page's demo size (24 enterprises), so some peer groups reach the minimum of 5."""
    d = tmp_path_factory.mktemp("leads-e2e")
    manifest = generate(d, 24, seed=2025)
    assert all(not o.failed for o in ingest(manifest, d / "ws.duckdb", workers=1))
    return d / "ws.duckdb"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("lang", "title", "download"),
    [("en", "Leads for the sales team", "Download the ranked leads of all 24"),
     ("zh-CN", "销售线索", "下载全部 24 家企业的线索排序")],
)  # fmt: skip
def test_browser_shows_the_leads(
    browser,
    app_url: str,
    demo_workspace: Path,
    tmp_path: Path,
    lang: str,
    title: str,
    download: str,
) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1300}, locale="en-US")
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{app_url}/?lang={lang}")  # the language is chosen on the first page
    page.locator('[data-testid="stMetric"]').first.wait_for()
    page.goto(f"{app_url}/portfolio?lang={lang}")
    # the workspace field sits in the collapsed "advanced" expander: open it first
    page.get_by_text(translate(lang, "pf15.advanced")).first.click()
    # by its label: the sidebar's company-name field is a textbox too
    box = page.get_by_role("textbox", name=translate(lang, "portfolio.path"))
    box.wait_for()
    box.fill(str(demo_workspace))
    box.press("Enter")
    heading = page.get_by_role("heading", name=title)
    heading.wait_for()
    heading.scroll_into_view_if_needed()
    page.locator('[data-testid="stDataFrame"]').nth(1).wait_for()
    page.get_by_role("button", name=download).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_role("button", name=download).scroll_into_view_if_needed()  # the why list
    page.wait_for_timeout(1000)
    shot = tmp_path / f"leads_{lang}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    ctx.close()
