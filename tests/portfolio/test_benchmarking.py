"""Sales features: benchmarks, trends and leads on tables small enough to rank by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.portfolio.benchmarking import (
    Reason,
    available_rules,
    benchmarks,
    deltas,
    monthly_figures,
    rank_leads,
)
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.rows import finalize
from analytics.portfolio.screening import screen
from analytics.portfolio.synthetic import SHAPES, generate

NAN = math.nan


def five() -> pd.DataFrame:
    """A, B, C steel and D, E textile, all in JS; E could not be analysed."""
    rows = [
        # id, industry, energy, gec, purchase, pv_self, peak share, load factor, sec,
        # valley-shift value = peak share × energy × a spread [CNY/kWh]: A .4 GWh × .5,
        # B .6 GWh × .5, C 1.0 GWh × .5, D .8 GWh × .3
        ("A", "steel", 1_000_000, 300, 300_000, 0, 0.40, 0.6, 10.0, 200_000),
        ("B", "steel", 2_000_000, 500, 500_000, 100_000, 0.30, 0.5, NAN, 300_000),
        ("C", "steel", 2_000_000, 100, 100_000, 100_000, 0.50, 0.6, 20.0, 500_000),
        ("D", "textile", 4_000_000, 1200, 1_200_000, 0, 0.20, 0.7, 5.0, 240_000),
    ]
    table = [
        {
            "enterprise_id": e, "province": "JS", "industry": ind, "energy_kwh": en,
            "gec_count": g, "green_purchase_kwh": p, "pv_self_consumed_kwh": pv,
            "peak_sharp_energy_share": ps, "load_factor": lf, "sec_kwh_per_unit": sec,
            "valley_shift_value_cny": v,
        }
        for e, ind, en, g, p, pv, ps, lf, sec, v in rows
    ]  # fmt: skip
    table.append(
        {
            "enterprise_id": "E",
            "province": "JS",
            "industry": "textile",
            "error": "workspace.no_load",
        }
    )
    return finalize(table)


def test_percentiles_average_ties_and_small_groups_get_none() -> None:
    b = benchmarks(five(), min_group=3).set_index("enterprise_id")
    # peak share in JS (E has none, n = 4): D .2 < B .3 < A .4 < C .5 → 1/4, 2/4, 3/4, 4/4
    assert b["peak_sharp_energy_share_pct_province"].to_dict() == pytest.approx(
        {"A": 0.75, "B": 0.5, "C": 1.0, "D": 0.25, "E": NAN}, nan_ok=True
    )
    assert b["peak_sharp_energy_share_n_province"].tolist() == [4, 4, 4, 4, 0]
    # steel (n = 3): B .3 < A .4 < C .5 → 1/3, 2/3, 1
    assert b.loc[["A", "B", "C"], "peak_sharp_energy_share_pct_industry"].tolist() == (
        pytest.approx([2 / 3, 1 / 3, 1.0])
    )
    # textile: only D has a value (n = 1 < 3): no percentile, n says why
    assert math.isnan(b.at["D", "peak_sharp_energy_share_pct_industry"])
    assert b.at["D", "peak_sharp_energy_share_n_industry"] == 1
    # load factor in JS: B .5 (rank 1), A and C tie at .6 (ranks 2, 3 → 2.5), D .7 (4) → /4
    assert b.loc[["A", "B", "C", "D"], "load_factor_pct_province"].tolist() == pytest.approx(
        [0.625, 0.25, 0.625, 1.0]
    )
    # renewable share now = pv_self / energy: A 0, B .05, C .05, D 0 → ties (1.5, 3.5) / 4
    assert b.loc[["A", "B", "C", "D"], "renewable_share_now_pct_province"].tolist() == (
        pytest.approx([0.375, 0.875, 0.875, 0.375])
    )
    # SEC only where production exists: D 5 < A 10 < C 20 in JS (n = 3); steel A, C: n = 2 < 3
    assert b.loc[["A", "C", "D"], "sec_kwh_per_unit_pct_province"].tolist() == pytest.approx(
        [2 / 3, 1.0, 1 / 3]
    )
    assert math.isnan(b.at["B", "sec_kwh_per_unit_pct_province"])
    assert b.at["B", "sec_kwh_per_unit_n_province"] == 0
    assert b.loc[["A", "C"], "sec_kwh_per_unit_pct_industry"].isna().all()
    assert b.loc[["A", "C"], "sec_kwh_per_unit_n_industry"].tolist() == [2, 2]
    # the default minimum (5) leaves JS (n = 4) without percentiles
    assert benchmarks(five())["peak_sharp_energy_share_pct_province"].isna().all()


def test_certificate_need_ranking_and_why() -> None:
    leads = rank_leads(five(), "certificate_need", min_group=3)
    # gec_count: D 1200 > B 500 > A 300 > C 100; E has no value → last, no rank
    assert leads["enterprise_id"].tolist() == ["D", "B", "A", "C", "E"]
    assert leads["rank"].tolist()[:4] == [1, 2, 3, 4] and pd.isna(leads["rank"].iloc[4])
    why = dict(zip(leads["enterprise_id"], leads["why"], strict=True))
    assert why["D"] == (
        Reason("leads.why.certificate_need", {"gec": 1200, "purchase_kwh": 1_200_000.0}),
        Reason("leads.why.first.certificate_need", {"n": 4, "gap": 700.0}),  # 1200 − 500
        Reason("leads.why.small_group", {"n": 1, "min": 3}),  # textile peers with a value
    )
    # B: 700 behind D; its steel renewable percentile (3.5 / 3 … = .833) is not ≤ .25
    assert why["B"] == (
        Reason("leads.why.certificate_need", {"gec": 500, "purchase_kwh": 500_000.0}),
        Reason("leads.why.behind.certificate_need", {"rank": 2, "n": 4, "gap": 700.0}),
    )
    assert why["C"][1] == Reason(
        "leads.why.behind.certificate_need", {"rank": 4, "n": 4, "gap": 200.0}
    )  # 300 − 100
    assert why["E"] == (Reason("leads.why.no_value", {"column": "gec_count"}),)


def test_valley_shift_ranking_explains_a_high_peak_share_among_peers() -> None:
    leads = rank_leads(five(), "valley_shift", min_group=3)
    # by the value in CNY: C 500,000, B 300,000, D 240,000, A 200,000 (by the energy alone
    # it would be C 1.0 GWh, D 0.8, B 0.6, A 0.4: D's narrower spread puts it behind B)
    assert leads["enterprise_id"].tolist()[:4] == ["C", "B", "D", "A"]
    assert leads["rule_value"].tolist()[:4] == pytest.approx([5e5, 3e5, 2.4e5, 2e5])
    c = leads.iloc[0]["why"]
    # C: 0.5 × 2,000,000 kWh = 1,000,000 kWh in sharp and peak, worth 500,000 CNY
    assert c[0] == Reason(
        "leads.why.valley_shift",
        {"shift_kwh": 1_000_000.0, "share": 0.5, "value_cny": 500_000.0},
    )
    assert c[1].code == "leads.why.first.valley_shift"
    assert c[1].params == pytest.approx({"n": 4, "gap_cny": 200_000.0})  # 500,000 − 300,000
    # as text, by the number policy: 100 万kWh and 50 万元 in Chinese
    from ui.render.leads import why_text

    zh = why_text(c[:2], "zh-CN")
    assert "100" in zh and "万kWh" in zh and "50" in zh and "万元" in zh and "20" in zh
    assert c[2] == Reason(
        "leads.why.peer.peak_sharp_energy_share", {"pct": 1.0, "n": 3}
    )  # highest of 3 steel peers


def test_valley_shift_value_by_hand() -> None:
    from analytics.portfolio.rows import valley_shift_value_cny

    energy = {"sharp": 100.0, "peak": 300.0, "flat": 600.0, "valley": 400.0, "deep_valley": 100.0}
    cost = {"sharp": 150.0, "peak": 330.0, "flat": 420.0, "valley": 120.0, "deep_valley": 20.0}
    # hi: 400 kWh, 480 CNY; lo: 500 kWh, 140 CNY → 0.28 CNY/kWh; 480 − 400 × 0.28 = 368 CNY
    assert valley_shift_value_cny(energy, cost) == pytest.approx(368.0)
    # a valley dearer than the peak saves nothing (clipped at 0)
    assert valley_shift_value_cny({"peak": 10.0, "valley": 10.0}, {"peak": 1.0, "valley": 5.0}) == 0
    # no valley energy (or no peak energy): no price to shift to
    assert valley_shift_value_cny({"peak": 10.0}, {"peak": 8.0}) is None
    assert valley_shift_value_cny({"valley": 10.0}, {"valley": 3.0}) is None


def test_a_rule_whose_column_is_absent_is_unavailable() -> None:
    assert available_rules(five()) == {
        "certificate_need": True,
        "valley_shift": True,
        "cbam_exposure": False,
    }
    with pytest.raises(InputError) as err:
        rank_leads(five(), "cbam_exposure")
    assert err.value.code == "leads.rule_unavailable"
    assert err.value.params == {"rule": "cbam_exposure"}
    assert err.value.column == "cbam_indirect_emissions_t"
    with pytest.raises(InputError) as err:
        rank_leads(five(), "biggest")
    assert err.value.code == "leads.unknown_rule"
    # once the screen carries the column, the rule ranks by it
    table = five().assign(cbam_indirect_emissions_t=[10.0, 30.0, NAN, 20.0, NAN])
    leads = rank_leads(table, "cbam_exposure")
    assert leads["enterprise_id"].tolist()[:3] == ["B", "D", "A"]
    assert leads["rank"].notna().sum() == 3


def months(eid: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"enterprise_id": eid, "month": m, "energy_kwh": e, "total_cost_cny": c,
             "peak_share": p, "renewable_share": r, "coverage": cov}
            for m, e, c, p, r, cov in rows
        ]
    )  # fmt: skip


def test_year_on_year_and_month_on_month() -> None:
    x = months(
        "X",
        [
            ("2024-11", 900, 700, 0.31, 0.10, 1.0),
            ("2024-12", 1000, 800, 0.30, 0.10, 1.0),
            ("2025-11", 1200, 900, 0.35, 0.10, 1.0),
            ("2025-12", 1100, 990, 0.32, 0.15, 0.95),
        ],
    )
    y = months(
        "Y",
        [
            ("2025-01", 500, 400, 0.4, 0.0, 1.0),
            ("2025-02", 600, 450, 0.5, 0.0, 1.0),
            ("2025-03", 100, 80, 0.5, 0.0, 0.5),  # half a month: not a reference month
        ],
    )
    d = deltas(pd.concat([x, y])).set_index("enterprise_id")
    assert d.at["X", "reference_month"] == "2025-12" and d.at["X", "years"] == 2
    # 同比: Dec 2025 vs Dec 2024: 1100 / 1000 − 1 = .1; 990 / 800 − 1 = .2375;
    # peak .32 − .30 = .02; renewable .15 − .10 = .05 (share points)
    assert d.loc["X", ["energy_kwh_yoy", "total_cost_cny_yoy"]].tolist() == pytest.approx(
        [0.1, 0.2375]
    )
    assert d.loc["X", ["peak_share_yoy", "renewable_share_yoy"]].tolist() == pytest.approx(
        [0.02, 0.05]
    )
    # 环比: Dec vs Nov 2025: 1100 / 1200 − 1 = −1/12; 990 / 900 − 1 = .1; .32 − .35 = −.03
    assert d.loc["X", ["energy_kwh_mom", "total_cost_cny_mom", "peak_share_mom"]].tolist() == (
        pytest.approx([-1 / 12, 0.1, -0.03])
    )
    # Y: one year; reference = Feb (March below 90 %): 600 / 500 − 1 = .2; no 同比
    assert d.at["Y", "reference_month"] == "2025-02" and d.at["Y", "years"] == 1
    assert d.at["Y", "energy_kwh_mom"] == pytest.approx(0.2)
    assert math.isnan(d.at["Y", "energy_kwh_yoy"])


def test_trend_enters_the_why() -> None:
    trends = pd.DataFrame(
        {"enterprise_id": ["D"], "reference_month": ["2025-12"], "energy_kwh_yoy": [0.125]}
    )
    why = rank_leads(five(), "certificate_need", trends=trends).iloc[0]["why"]
    assert why[-1] == Reason("leads.why.energy_yoy", {"change": 0.125, "month": "2025-12"})


@pytest.mark.slow
def test_monthly_figures_add_up_to_the_screen(tmp_path: Path) -> None:
    manifest = generate(tmp_path / "exports", 4, seed=13, shapes=SHAPES)  # PV on GT-00003
    ws = tmp_path / "ws.duckdb"
    assert all(not o.failed for o in ingest(manifest, ws, workers=1))
    table = screen(ws, workers=1).set_index("enterprise_id")
    monthly = monthly_figures(ws)
    assert monthly.groupby("enterprise_id").size().tolist() == [12] * 4  # one year each
    sums = (
        monthly.assign(
            pv_self=monthly["renewable_share"] * monthly["energy_kwh"],
            peak=monthly["peak_share"] * monthly["energy_kwh"],
        )
        .groupby("enterprise_id")[["energy_kwh", "total_cost_cny", "pv_self", "peak"]]
        .sum()
    )
    for eid, s in sums.iterrows():  # the months add up to the screen row of the same data
        row = table.loc[eid]
        assert s["energy_kwh"] == pytest.approx(row["energy_kwh"], rel=1e-9)
        assert s["total_cost_cny"] == pytest.approx(row["total_cost_cny"], rel=1e-9)
        assert s["pv_self"] == pytest.approx(row["pv_self_consumed_kwh"], rel=1e-9, abs=1e-6)
        assert s["peak"] == pytest.approx(
            row["peak_sharp_energy_share"] * row["energy_kwh"], rel=1e-9
        )
    assert (table["pv_self_consumed_kwh"] > 0).any()  # the PV path is exercised
    d = deltas(monthly)
    assert d["reference_month"].eq("2025-12").all() and d["energy_kwh_yoy"].isna().all()
    assert d["energy_kwh_mom"].notna().all()


@pytest.mark.slow
def test_two_years_in_the_store_give_year_on_year(tmp_path: Path) -> None:
    ws = tmp_path / "ws.duckdb"
    for year in (2024, 2025):  # the same two enterprises, one export per year
        manifest = generate(tmp_path / str(year), 2, seed=13, year=year, shapes=("long",))
        assert all(not o.failed for o in ingest(manifest, ws, workers=1))
    monthly = monthly_figures(ws)
    assert monthly.groupby("enterprise_id").size().tolist() == [24, 24]
    d = deltas(monthly).set_index("enterprise_id")
    assert d["years"].tolist() == [2, 2] and d["reference_month"].eq("2025-12").all()
    from analytics.portfolio.store import Workspace

    with Workspace(ws, read_only=True) as w:
        dec = dict(
            w.con.execute(
                "SELECT strftime(timezone('Asia/Shanghai', interval_start), '%Y-%m') AS m, "
                "sum(kwh) FROM intervals WHERE enterprise_id = 'GT-00000' AND kind = 'load' "
                "AND m IN ('2024-12', '2025-11', '2025-12') GROUP BY m"
            ).fetchall()
        )
    # 同比 = E(2025-12) / E(2024-12) − 1; 环比 = E(2025-12) / E(2025-11) − 1, from the stored kWh
    assert d.at["GT-00000", "energy_kwh_yoy"] == pytest.approx(dec["2025-12"] / dec["2024-12"] - 1)
    assert d.at["GT-00000", "energy_kwh_mom"] == pytest.approx(dec["2025-12"] / dec["2025-11"] - 1)
    # the 24 monthly bills add up to the screen row over both years
    table = screen(ws, workers=1).set_index("enterprise_id")
    cost = monthly.groupby("enterprise_id")["total_cost_cny"].sum()
    assert cost.tolist() == pytest.approx(table["total_cost_cny"].tolist(), rel=1e-9)
    leads = rank_leads(table.reset_index(), "certificate_need", trends=d.reset_index())
    why = dict(zip(leads["enterprise_id"], leads["why"], strict=True))["GT-00000"]
    # |同比| < 5 % is not worth a reason (TREND_NOTABLE); |环比| ≥ 5 % is
    assert abs(d.at["GT-00000", "energy_kwh_yoy"]) < 0.05 <= abs(d.at["GT-00000", "energy_kwh_mom"])
    assert why[-1] == Reason(
        "leads.why.energy_mom",
        {"change": pytest.approx(d.at["GT-00000", "energy_kwh_mom"]), "month": "2025-12"},
    )
