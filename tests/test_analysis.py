"""The one orchestrator: the tariff resolved and the index classified once per analysis."""

from __future__ import annotations

from analytics.analysis import analyze, to_json
from analytics.iotools import ImportOptions, read_load, read_production, read_pv
from analytics.tou import engine
from tests.conftest import SAMPLE


def test_one_classification_serves_the_bill_green_and_production(monkeypatch) -> None:
    frame, report = read_load(SAMPLE / "sunan_load_2025_15min.csv")
    pv, pv_report = read_pv(SAMPLE / "sunan_pv_2025_15min.csv", options=ImportOptions())
    production = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    calls: list[int] = []
    real_days = engine._days

    def counting_days(index):
        calls.append(len(index))
        return real_days(index)

    resolved: list[int] = []
    real_default = engine.default_tariffs_for

    def counting_default(f):
        resolved.append(len(f))
        return real_default(f)

    monkeypatch.setattr(engine, "_days", counting_days)
    monkeypatch.setattr("analytics.analysis.default_tariffs_for", counting_default)
    a = analyze(frame, report, pv=pv, pv_report=pv_report, production=production, run_shift=False)
    # the calendar facts of the index are looked up once: bill, green bills and production
    # all price from a.periods (35,040 15-min intervals of 2025)
    assert calls == [35_040]
    assert resolved == [35_040]
    assert a.periods.index.equals(frame.index)
    assert a.tariffs == a.periods.versions
    doc = to_json(a)
    # the one classification gives the same split everywhere it is used
    assert doc["production"]["energy_by_period_kwh"].keys() == doc["tou"]["energy_kwh"].keys()
    assert sum(a.green.energy_by_period_kwh.values()) == sum(a.bill.energy_kwh.values())
