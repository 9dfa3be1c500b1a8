"""Number formats per language."""

from ui.render.format import fmt_cny, fmt_energy, fmt_price, fmt_share


def test_money_formats() -> None:
    assert fmt_cny(12_060_776.8) == "12,060,777 CNY"
    assert fmt_cny(12_060_776.8, compact=True) == "12.06 M CNY"
    assert fmt_cny(12_060_776.8, "zh-CN") == "1,206.08 万元"  # 12,060,776.8 / 10,000
    assert fmt_cny(12_060_776.8, "zh-CN", compact=True) == "1,206 万元"
    assert fmt_cny(5_000.0, "zh-CN") == "5,000 元"


def test_energy_price_share() -> None:
    assert fmt_energy(9_999.0) == "9,999.0 kWh"
    assert fmt_energy(13_723_110.1) == "13,723.1 MWh"
    assert fmt_price(0.87886, "en", 3) == "0.879 CNY/kWh"
    assert fmt_price(0.87886, "zh-CN") == "0.8789 元/kWh"
    assert fmt_share(0.3) == "30.0 %"
