"""The Load & TOU and Green pages' tables in the one number policy (issue 15).

Each function returns a display frame (text cells with thousands separators, the unit in
every header) built with :func:`ui.render.format.format_frame`, so a quantity has the unit
it has on the other pages and in the report. The CSV downloads keep the plain numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analytics.green import GreenTemperature
from analytics.tou import PERIODS, period_share
from ui.render.format import (
    Col,
    count_unit,
    display_lang,
    energy_unit,
    fmt_num,
    fmt_price,
    format_frame,
    money_unit,
)
from ui.state import t


def period_table(
    bill: Any, total_kwh: float, prices: Mapping[str, float], names: Mapping[str, str]
):
    """Energy, share, energy cost and average price of every period the tariff has."""
    used = [p for p in PERIODS if bill.energy_kwh[p] > 0]
    raw = pd.DataFrame(
        {
            "period": [names[p] for p in used],
            "energy": [bill.energy_kwh[p] for p in used],
            "share": [period_share(bill.energy_kwh, total_kwh, (p,)) for p in used],
            "cost": [bill.energy_cost_cny[p] for p in used],
            "price": [prices[p] for p in used],
        }
    )
    return format_frame(
        raw,
        {
            "period": t("tou.periods.col.period"),
            "energy": Col(t("tou.periods.col.energy"), "energy_kwh"),
            "share": Col(t("tou.periods.col.share"), "share"),
            "cost": Col(t("tou.periods.col.cost"), "cny"),
            "price": Col(t("tou.periods.col.price"), "price"),
        },
    )


def monthly_bill_table(
    monthly: pd.DataFrame, names: Mapping[str, str], versions: Sequence[Any]
) -> pd.DataFrame:
    """The monthly bill: month, energy by period and in total in one unit, energy cost,
    maximum demand, demand/capacity charge, total, tariff (its name)."""
    zh = display_lang() == "zh-CN"
    tariff_names = {v.id: (v.meta.name_zh if zh else v.meta.name) for v in versions}
    used = [p for p in PERIODS if monthly[f"energy_kwh_{p}"].sum() > 0]
    raw = monthly.assign(tariff=monthly["tariff"].map(lambda i: tariff_names.get(i, i)))
    unit = energy_unit(raw["energy_kwh"])  # the periods in the unit of the month's total
    cols: dict[str, Col | str] = {
        "month": Col(t("tou.monthly.col.month"), "month"),
        **{f"energy_kwh_{p}": Col(f"{names[p]} [kWh]", "energy_kwh", unit=unit) for p in used},
        "energy_kwh": Col(t("tou.monthly.col.energy"), "energy_kwh", unit=unit),
        "energy_cost_cny": Col(t("tou.monthly.col.energy_cost"), "cny"),
        "max_kw": Col(t("tou.monthly.col.max_kw"), "kw"),
        "demand_charge_cny": Col(t("tou.monthly.col.demand_charge"), "cny"),
        "total_cost_cny": Col(t("tou.monthly.col.total"), "cny"),
        "tariff": t("tou.monthly.col.tariff"),  # last: a long name, the figures first
    }
    return format_frame(money_columns(raw, cols), cols)


def money_columns(raw: pd.DataFrame, cols: dict[str, Col | str]) -> pd.DataFrame:
    """The table's money columns in one unit (万元 for all when the largest needs it): each
    ``cny`` column of ``cols`` becomes a ``num`` column in that unit, ``raw`` scaled to it
    (``cols`` is updated in place; the returned frame is a scaled copy)."""
    money = [k for k, c in cols.items() if isinstance(c, Col) and c.kind == "cny"]
    if not money:
        return raw
    unit, per = money_unit(pd.concat([raw[k] for k in money]).to_numpy())
    out = raw.copy()
    for k in money:
        c = cols[k]
        assert isinstance(c, Col)
        cols[k] = Col(c.label, "num", decimals=0 if per == 1 else 2, unit=unit)
        out[k] = raw[k] / per
    return out


def trade_table(to: Any) -> pd.DataFrame:
    """Claim the own PV's certificates or sell them: certificates sold, purchase needed,
    net cost buying GECs or green power."""
    raw = pd.DataFrame(
        {
            "option": [t("green.trade.claim"), t("green.trade.sell")],
            "sold": [to.claim_sold, to.sell_sold],
            "purchase": [to.claim_purchase_kwh, to.sell_purchase_kwh],
            "gec": [to.claim_net_cost_gec_cny, to.sell_net_cost_gec_cny],
            "premium": [to.claim_net_cost_premium_cny, to.sell_net_cost_premium_cny],
        }
    )
    cols: dict[str, Col | str] = {
        "option": t("green.trade.col.option"),
        "sold": Col(t("st15.trade.sold"), "num", unit=count_unit("gec")),
        "purchase": Col(t("st15.trade.purchase"), "energy_kwh"),
        "gec": Col(t("st15.trade.net_gec"), "cny"),
        "premium": Col(t("st15.trade.net_premium"), "cny"),
    }
    return format_frame(money_columns(raw, cols), cols)


def component_table(temp: GreenTemperature) -> pd.DataFrame:
    """The Green Temperature's components: value [%], weight, points [°]."""
    raw = pd.DataFrame(
        {
            "component": [t(f"green.comp.{k}") for k in temp.components],
            "value": [c.value for c in temp.components.values()],
            "weight": [c.weight for c in temp.components.values()],
            "points": [c.points for c in temp.components.values()],
        }
    )
    return format_frame(
        raw,
        {
            "component": t("green.temp.col.component"),
            "value": Col(t("st15.temp.value"), "share"),
            "weight": Col(t("green.temp.col.weight"), "num", decimals=2),
            "points": Col(t("st15.temp.points"), "num", decimals=1, unit="°"),
        },
    )


def price_value(key: str, value: float) -> str:
    """A default green price with its unit: ``5.22 元/张``, ``0.030 元/kWh``."""
    if key == "gec_cny_per_certificate":
        return t("st15.price.per_certificate", value=fmt_num(value, 2))
    return fmt_price(value, None, 3)


def show_table(frame: pd.DataFrame, container: Any = None, *, narrow: Sequence[str] = ()) -> None:
    """A display frame with its number columns (those with a unit in the header) aligned
    right, as figures are in a bill; the ``narrow`` text columns (long names) kept medium
    wide so the figures stay in view at 1280 px."""
    config: dict[str, Any] = {
        c: st.column_config.Column(alignment="right") for c in frame.columns if str(c).endswith("]")
    }
    config.update({c: st.column_config.Column(width="medium") for c in narrow})
    (container or st).dataframe(frame, hide_index=True, width="stretch", column_config=config)
