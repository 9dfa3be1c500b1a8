"""The importer of a published monthly agency-purchase table (analytics/tou/agency_import.py)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analytics.cli.main import main
from analytics.findings import InputError
from analytics.tou.agency import load_agency_table
from analytics.tou.agency_import import ImportSpec, import_agency_table

# Shaped like a State Grid table copied to CSV: a title, a unit line, the header, rows per
# user class and voltage with the class cell merged (blank below its first row), a note.
# Numbers are made up so that the sums are easy to check by hand.
PUBLISHED_CSV = """国网江苏省电力有限公司代理工商业用户购电价格表（2026年11月）
单位：元/千瓦时
用电分类,电压等级,电度用电价格,代理购电价格,上网环节线损费用折价,电度输配电价,系统运行费用折价,政府性基金及附加,需量电价（元/千瓦·月）,容量电价（元/千伏安·月）
单一制,不满1千伏,0.7000,0.4000,0.0100,0.2391,0.0215,0.0294,,
,1-10（20）千伏,0.6740,0.4000,0.0100,0.2131,0.0215,0.0294,,
两部制,1-10（20）千伏,0.5907,0.4000,0.0100,0.1298,0.0215,0.0294,51.2,32.0
,35千伏,0.5657,0.4000,0.0100,0.1048,0.0215,0.0294,48.0,30.0
注：上网环节线损费用在输配电价外单列。
"""
SPEC = ImportSpec(province="Jiangsu", month="2026-11", source="国网江苏 2026年11月 代理购电价格表")


def test_csv_row_becomes_a_valid_month_table() -> None:
    text = import_agency_table(PUBLISHED_CSV.encode("utf-8"), file_name="js.csv", spec=SPEC)
    t = load_agency_table(text)
    assert (t.province, t.month, t.applies_to) == ("Jiangsu", "2026-11", "agency")
    got = {c.name: c.price_cny_per_kwh for c in t.components}
    assert got == {
        "agency_purchase_price": 0.4,
        "on_grid_line_loss": 0.01,
        "transmission_distribution": 0.1298,
        "system_operation": 0.0215,
        "government_funds": 0.0294,
    }
    # Jiangsu's sourced rule: the purchase price floats (0.40), the rest is fixed (0.1907)
    assert t.floating_cny_per_kwh == pytest.approx(0.4)
    assert t.fixed_cny_per_kwh == pytest.approx(0.01 + 0.1298 + 0.0215 + 0.0294)
    assert (t.demand_cny_per_kw_month, t.capacity_cny_per_kva_month) == (51.2, 32.0)
    assert t.confidence == "U"  # the user says how sure the copy is (--confidence)


def test_fen_per_kwh_tables_are_converted_and_xlsx_reads_the_same() -> None:
    fen = PUBLISHED_CSV.replace("单位：元/千瓦时", "单位：分/千瓦时")
    rows = [line.split(",") for line in fen.splitlines()]
    for r in rows[3:7]:  # prices ×100 in 分, demand/capacity unchanged
        r[2:8] = [f"{float(x) * 100:.2f}" for x in r[2:8]]
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    text = import_agency_table(buf.getvalue(), file_name="js.xlsx", spec=SPEC)
    t = load_agency_table(text)
    assert t.floating_cny_per_kwh == pytest.approx(0.4)  # 40.00 分 / 100
    assert t.fixed_cny_per_kwh == pytest.approx(0.1907)


def test_guizhou_rule_floats_price_and_line_loss() -> None:
    spec = ImportSpec(province="Guizhou", month="2026-11")
    t = load_agency_table(
        import_agency_table(PUBLISHED_CSV.encode(), file_name="gz.csv", spec=spec)
    )
    # 0.40 + 0.01 float; 0.1298 + 0.0215 + 0.0294 = 0.1807 fixed
    assert t.floating_cny_per_kwh == pytest.approx(0.41)
    assert t.fixed_cny_per_kwh == pytest.approx(0.1807)


@pytest.mark.parametrize(
    ("change", "spec", "code", "row"),
    [
        (("0.1298,0.0215", "0.1298x,0.0215"), SPEC, "agency_import.bad_number", 6),
        (("0.5907", "0.6000"), SPEC, "agency_import.sum_mismatch", 6),
        (("两部制,1-10", "两部,1-10"), SPEC, "agency_import.no_matching_row", None),
        (("0.4000,0.0100,0.1298", "9.4000,0.0100,0.1298"), SPEC, "agency_import.price_out_of_range", 6),
        (("用电分类,电压等级", "类,压"), SPEC, "agency_import.no_header", None),
        (("", ""), ImportSpec(province="Hunan", month="2026-11"), "agency_import.bad_option", None),
        (("", ""), ImportSpec(province="Jiangsu", month="2026-13"), "agency_import.bad_option", None),
    ],
)  # fmt: skip
def test_bad_rows_raise_named_errors(change, spec, code: str, row: int | None) -> None:
    data = PUBLISHED_CSV.replace(*change, 1) if change[0] else PUBLISHED_CSV
    with pytest.raises(InputError) as info:
        import_agency_table(data.encode(), file_name="bad.csv", spec=spec)
    assert info.value.code == code
    assert info.value.row == row


def test_two_matching_rows_are_refused() -> None:
    data = PUBLISHED_CSV.replace(",35千伏,", ",1-10（20）千伏,", 1)
    with pytest.raises(InputError) as info:
        import_agency_table(data.encode(), file_name="dup.csv", spec=SPEC)
    assert info.value.code == "agency_import.several_rows"
    assert info.value.params["rows"] == "6, 7"


def test_cli_import_writes_the_toml(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "js.csv"
    src.write_text(PUBLISHED_CSV, encoding="utf-8")
    out = tmp_path / "2026-11.toml"
    args = ["agency", "import", str(src), "--province", "Jiangsu", "--month", "2026-11"]
    assert main([*args, "--out", str(out), "--confidence", "C1"]) == 0
    assert load_agency_table(out).confidence == "C1"
    bad = tmp_path / "bad.csv"
    bad.write_text(PUBLISHED_CSV.replace("0.5907", "0.6000"), encoding="utf-8")
    assert main(["agency", "import", str(bad), "--province", "Jiangsu", "--month", "2026-11"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.csv" in err and "row 6" in err


def test_without_the_total_column_the_table_is_marked_incomplete() -> None:
    rows = [line.split(",") for line in PUBLISHED_CSV.splitlines()]
    for r in rows[2:7]:
        del r[2]  # drop 电度用电价格
    data = "\n".join(",".join(r) for r in rows)
    t = load_agency_table(import_agency_table(data.encode(), file_name="js.csv", spec=SPEC))
    assert t.complete is False
    full = load_agency_table(
        import_agency_table(PUBLISHED_CSV.encode(), file_name="js.csv", spec=SPEC)
    )
    assert full.complete is True
