"""Number and time formatting for the pages (units always shown)."""

from __future__ import annotations

import math

import pandas as pd


def fmt_num(value: float | None, decimals: int = 0) -> str:
    """``12345.6`` → ``"12,346"``; NaN/None → ``"–"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{decimals}f}"


def fmt_energy(kwh: float) -> str:
    """Energy with a readable unit: kWh below 10 MWh, MWh from there (managers think in MWh)."""
    if math.isnan(kwh):
        return "–"
    if abs(kwh) >= 1e4:
        return f"{kwh / 1e3:,.1f} MWh"
    return f"{kwh:,.1f} kWh"


def fmt_kw(kw: float) -> str:
    return "–" if math.isnan(kw) else f"{kw:,.0f} kW"


def fmt_share(share: float, decimals: int = 1) -> str:
    """A 0–1 share as a percentage."""
    return "–" if math.isnan(share) else f"{share * 100:.{decimals}f} %"


def fmt_time(ts: pd.Timestamp) -> str:
    """Local wall time, minutes resolution, with the UTC offset."""
    ts = pd.Timestamp(ts)
    off = ts.strftime("%z")
    off = f"{off[:3]}:{off[3:]}" if off else ""
    return ts.strftime("%Y-%m-%d %H:%M") + (f" (UTC{off})" if off else "")


def fmt_date(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def fmt_cny(cny: float, lang: str = "en", *, compact: bool = False) -> str:
    """Money: ``12,060,777 CNY`` (compact ``12.06 M CNY``) in English, ``1,206.08 万元`` in
    Chinese (from 100,000 CNY; compact ``1,206 万元``)."""
    if math.isnan(cny):
        return "–"
    if lang == "zh-CN":
        if abs(cny) < 1e5:
            return f"{cny:,.0f} 元"
        return f"{cny / 1e4:,.0f} 万元" if compact else f"{cny / 1e4:,.2f} 万元"
    if compact and abs(cny) >= 1e6:
        return f"{cny / 1e6:,.2f} M CNY"
    return f"{cny:,.0f} CNY"


def fmt_price(cny_per_kwh: float, lang: str = "en", decimals: int = 4) -> str:
    if math.isnan(cny_per_kwh):
        return "–"
    unit = "元/kWh" if lang == "zh-CN" else "CNY/kWh"
    return f"{cny_per_kwh:.{decimals}f} {unit}"


def fmt_tonnes(t: float, lang: str = "en", decimals: int = 0) -> str:
    """Mass in tonnes: ``7,281 t`` / ``7,281 吨``."""
    if math.isnan(t):
        return "–"
    return f"{t:,.{decimals}f} 吨" if lang == "zh-CN" else f"{t:,.{decimals}f} t"


def fmt_energy_lang(kwh: float, lang: str = "en") -> str:
    """Energy for the language: as :func:`fmt_energy`; in Chinese from 100 MWh as
    ``1,372.31 万kWh`` (the unit of Chinese bills and statistics)."""
    if lang == "zh-CN" and not math.isnan(kwh) and abs(kwh) >= 1e5:
        return f"{kwh / 1e4:,.2f} 万kWh"
    return fmt_energy(kwh)


def fmt_param(name: str, value: object, lang: str = "en") -> str:
    """A message parameter formatted by the unit suffix of its name (STYLE: units in names):
    ``*_cny_per_kwh`` price, ``*_cny`` money, ``*_share`` 0–1 share, ``*_per_unit`` kWh per
    unit, ``*_kwh`` energy, ``*_kw`` power, ``*_t`` tonnes, ``*_days`` days; other numbers
    with thousands separators; anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    v = float(value)
    if math.isnan(v):
        return "–"
    if name.endswith("_cny_per_kwh"):
        return fmt_price(v, lang, 3)
    if name.endswith("_cny"):
        return fmt_cny(v, lang)
    if name.endswith("_share"):
        return fmt_share(v)
    if name.endswith("_per_unit"):
        return f"{v:,.2f} kWh"
    if name.endswith("_kwh"):
        return fmt_energy_lang(v, lang)
    if name.endswith("_kw"):
        return fmt_kw(v)
    if name.endswith("_t"):
        return fmt_tonnes(v, lang)
    if name.endswith("_days"):
        return f"{v:,.0f} 天" if lang == "zh-CN" else f"{v:,.0f} days"
    return fmt_num(v, 0 if v == int(v) else 2)


_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$"


def md_escape(text: object) -> str:
    """User text (file, column, line names) made inert inside Streamlit Markdown."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
