"""The Load & TOU page's bill section: power factor (力调), basic-charge choice, bill check.

The figures come from :func:`analytics.tou.bills.bill_sections`, the function the CLI's
``analyze`` calls for the ``power_factor``, ``tou.basic_charge_choice`` and ``bill_check``
sections, so the page and the JSON show the same numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.findings import InputError
from analytics.iotools.bills import Bills, bills_from_frame, read_bills
from analytics.tou import bill
from analytics.tou.bills import BillOptions, BillSections, bill_sections
from analytics.tou.power_factor import LEADING_MODES, STANDARDS, has_reactive
from ui.render.bill_charts import power_factor_chart
from ui.render.format import fmt_cny, fmt_share, md_escape
from ui.state import FileInput, lang, set_uploaded, t, t_now, uploaded
from ui.widgets import show_error, show_warnings

#: The entry form's columns (the strict reader's canonical names).
FORM_COLUMNS = ("month", "energy_kwh", "demand_kw", "total_cny")


def _num(v: Any, decimals: int) -> float | str:
    """A figure rounded for a table, "—" where it is missing (never "None" on the page)."""
    return "—" if v is None else round(float(v), decimals)


def _pct(v: Any) -> str:
    return "" if v is None else fmt_share(float(v), 2)


def bill_options_widgets(analysis: Any) -> BillOptions:
    """The section's inputs as :class:`BillOptions` (the CLI's flags, as widgets)."""
    tf = t_now()
    reactive = has_reactive(analysis.frame)
    c = st.columns(4)
    standard, leading = 0.90, "ignore"
    if reactive:
        standard = c[0].selectbox(
            t("bills.pf.standard"), STANDARDS, key="bills.pf_standard", format_func="{:.2f}".format
        )
        leading = c[1].selectbox(
            t("bills.pf.leading"),
            LEADING_MODES,
            key="bills.pf_leading",
            format_func=lambda m: tf(f"bills.pf.leading.{m}"),
        )
    kva = c[2].number_input(
        t("bills.kva"),
        min_value=0.0,
        value=0.0,
        step=50.0,
        key="bills.kva",
        help=t("bills.kva.help"),
    )
    calibrate = c[3].toggle(
        t("bills.calibrate"), key="bills.calibrate", help=t("bills.calibrate.help")
    )
    tol = st.columns(4)
    kwh_tol = tol[0].number_input(
        t("bills.kwh_tolerance"), 0.0, 0.99, 0.02, 0.01, key="bills.kwh_tol", format="%.2f"
    )
    cny_tol = tol[1].number_input(
        t("bills.cny_tolerance"), 0.0, 0.99, 0.05, 0.01, key="bills.cny_tol", format="%.2f"
    )
    return BillOptions(
        pf_standard=float(standard),
        pf_leading=leading,
        contracted_kva=float(kva) if kva > 0 else None,
        kwh_tolerance=float(kwh_tol),
        cny_tolerance=float(cny_tol),
        calibrate=bool(calibrate),
    )


def bills_input() -> Bills | None:
    """The visitor's bills: an uploaded CSV/XLSX, else the entry form's rows (or none)."""
    up = st.file_uploader(
        t("bills.upload"), type=["csv", "xlsx"], key="bills.upload", help=t("bills.upload.help")
    )
    if up is not None:
        set_uploaded("bills", FileInput.of(up.name, up.getvalue()))
    item = uploaded("bills")
    if item is not None:
        st.caption(t("bills.using", name=md_escape(item.name)))
        if up is None:
            st.button(
                t("bills.remove"), key="bills.remove", on_click=set_uploaded, args=("bills", None)
            )
        return read_bills(item.data, file_name=item.name)[0]
    st.caption(t("bills.form.help"))
    empty = pd.DataFrame(
        {c: pd.Series(dtype="str" if c == "month" else "float") for c in FORM_COLUMNS}
    )
    edited = st.data_editor(
        empty,
        num_rows="dynamic",
        key="bills.editor",
        width="stretch",
        column_config={
            "month": st.column_config.TextColumn(
                t("bills.col.month"), help=t("bills.col.month.help")
            ),
            "energy_kwh": st.column_config.NumberColumn(t("bills.col.billed_kwh"), min_value=0.0),
            "demand_kw": st.column_config.NumberColumn(t("bills.col.billed_demand"), min_value=0.0),
            "total_cny": st.column_config.NumberColumn(t("bills.col.billed_cny"), min_value=0.0),
        },
    )
    rows = edited[edited["month"].fillna("").astype(str).str.strip() != ""]
    return bills_from_frame(rows, file=t("bills.form.name")) if len(rows) else None


def render_bill_sections(analysis: Any) -> BillSections | None:
    """Draw the section under the page's tabs; returns what it showed (None on bad input)."""
    st.header(t("bills.title"))
    st.write(t("bills.intro"))
    options = bill_options_widgets(analysis)
    try:
        bills = bills_input()
        # with a contracted kVA the bill is the capacity bill, as ``analyze --contracted-kva``
        priced = (
            analysis.bill
            if options.contracted_kva is None
            else bill(
                analysis.frame, contracted_kva=options.contracted_kva, periods=analysis.periods
            )
        )
        sections = bill_sections(
            analysis.frame, priced, analysis.periods, options=options, bills=bills
        )
    except InputError as err:
        show_error(err)
        return None
    show_warnings(list(sections.warnings))
    if sections.power_factor is not None:
        _power_factor(sections.power_factor)
    else:
        st.caption(t("bills.pf.none"))
    if sections.basic_charge_choice is not None:
        _basic_charge(sections.basic_charge_choice)
    if sections.bill_check is not None:
        _bill_check(sections.bill_check)
    return sections


def _power_factor(pf: dict[str, Any]) -> None:
    st.subheader(t("bills.pf.title"))
    conf = pf["confidence"]
    st.caption(
        t(
            "bills.pf.caption",
            document=md_escape(pf["document"]),
            standard=f"{pf['standard']:.2f}",
            surcharge=conf["surcharge"],
            rebate=conf["rebate"],
            reactive=t(f"bills.pf.reactive.{pf['reactive']}"),
        )
    )
    months = pd.DataFrame(pf["months"])
    st.plotly_chart(
        power_factor_chart(
            months,
            standard=pf["standard"],
            title=t("bills.pf.chart"),
            y_title=t("bills.pf.col.pf"),
            standard_name=t("bills.pf.standard_line"),
        ),
        width="stretch",
    )
    table = pd.DataFrame(
        {
            t("bills.col.month"): months["month"],
            t("bills.pf.col.kwh"): months["kwh"].round(1),
            t("bills.pf.col.kvarh"): months["kvarh"].round(1),
            t("bills.pf.col.pf"): months["pf"].round(4),
            t("bills.pf.col.pf_rounded"): months["pf_rounded"],
            t("bills.pf.col.share"): [_pct(v) for v in months["adjustment_share"]],
            t("bills.pf.col.basis"): months["basis_cny"].round(2),
            t("bills.pf.col.cny"): months["adjustment_cny"].round(2),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.write(t("bills.pf.total", cny=fmt_cny(pf["adjustment_cny"], lang())))


def _basic_charge(choice: dict[str, Any]) -> None:
    st.subheader(t("bills.basic.title"))
    if choice["cheaper"] is None:
        st.info(t("bills.basic.no_prices"))
        return
    st.metric(
        t(f"bills.basic.cheaper.{choice['cheaper']}"),
        fmt_cny(choice["saving_cny"], lang()),
        help=t("bills.basic.saving_help"),
    )
    st.write(
        t(
            "bills.basic.line",
            demand=fmt_cny(choice["demand_charge_cny"], lang()),
            capacity=fmt_cny(choice["capacity_charge_cny"], lang()),
            kva=f"{choice['contracted_kva']:,.0f}",
        )
    )
    months = pd.DataFrame(choice["months"])
    st.dataframe(
        pd.DataFrame(
            {
                t("bills.col.month"): months["month"],
                t("bills.basic.col.max_kw"): months["max_kw"].round(1),
                t("bills.basic.col.demand"): [_num(v, 2) for v in months["demand_charge_cny"]],
                t("bills.basic.col.capacity"): [_num(v, 2) for v in months["capacity_charge_cny"]],
                t("bills.basic.col.cheaper"): [
                    t(f"bills.basic.kind.{v}") if v else "" for v in months["cheaper"]
                ],
                t("bills.basic.col.saving"): [_num(v, 2) for v in months["saving_cny"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("bills.basic.declared"))


def _bill_check(check: dict[str, Any]) -> None:
    st.subheader(t("bills.check.title"))
    months = check["months"]
    table = pd.DataFrame(
        {
            t("bills.col.month"): [m["month"] for m in months],
            t("bills.col.billed_kwh"): [_num(m["billed_kwh"], 1) for m in months],
            t("bills.col.computed_kwh"): [_num(m["computed_kwh"], 1) for m in months],
            t("bills.col.kwh_diff"): [_pct(m["kwh_diff_share"]) for m in months],
            t("bills.col.billed_cny"): [_num(m.get("billed_cny"), 2) for m in months],
            t("bills.col.computed_cny"): [_num(m.get("computed_cny"), 2) for m in months],
            t("bills.col.cny_diff"): [_pct(m.get("cny_diff_share")) for m in months],
            t("bills.col.coverage"): [fmt_share(m["data_coverage_share"], 1) for m in months],
            t("bills.col.flag"): [
                t("bills.flag.no_data")
                if not m["has_data"]
                else (t("bills.flag.yes") if m["flag"] else t("bills.flag.no"))
                for m in months
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        t(
            "bills.check.caption",
            kwh=fmt_share(check["kwh_tolerance"], 1),
            cny=fmt_share(check["cny_tolerance"], 1),
        )
    )
    cal = check["calibration"]
    if cal["months"]:
        st.write(
            t(
                "bills.cal.done",
                months=", ".join(r["month"] for r in cal["months"]),
                factor=f"{cal['factor_mean']:.4f}",
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("bills.col.month"): [r["month"] for r in cal["months"]],
                    t("bills.cal.col.factor"): [round(r["factor"], 4) for r in cal["months"]],
                    t("bills.cal.col.energy"): [
                        round(r["energy_cost_cny"], 2) for r in cal["months"]
                    ],
                    t("bills.cal.col.basic"): [
                        round(r["basic_charge_cny"], 2) for r in cal["months"]
                    ],
                    t("bills.col.billed_cny"): [round(r["billed_cny"], 2) for r in cal["months"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if cal["applied"]:
        st.metric(t("bills.cal.total"), fmt_cny(cal["calibrated_total_cost_cny"], lang()))
    if cal["not_calibrated"]:
        st.caption(
            t(
                "bills.cal.skipped",
                months="; ".join(
                    f"{r['month']} ({t('bills.cal.reason.' + r['reason'])})"
                    for r in cal["not_calibrated"]
                ),
            )
        )
